"""Small helpers for talking to a kernel in tests: run a cell and collect its outputs, send raw frames."""
import contextlib
import os
import time

import zmq
from jupyter_client import KernelManager


# Every JDK a kernel test runs on: the default (17) and, when installed, Temurin 25, where Thread.stop no longer
# exists and interrupts rely on the kernel's instrumentation of cell bytecode and on library code that polls.
JDKS = [None] + [p for p in ["/usr/lib/jvm/temurin-25-jdk-amd64"] if os.path.isdir(p)]


def jdk_id(path):
    return "default-jdk" if path is None else os.path.basename(path)


@contextlib.contextmanager
def started_kernel(jdk=None, cwd=None, **env_vars):
    """Starts the glimpse kernel on a JDK (None: the default) with extra environment variables (None removes one)
    and yields (manager, client) once it answers; shuts it down afterwards."""
    env = dict(os.environ)
    for name, value in env_vars.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    if jdk:
        env["JAVA_HOME"] = jdk
    km = KernelManager(kernel_name="glimpse")
    km.start_kernel(env=env, cwd=cwd)
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=90)
        yield km, kc
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def run(kc, code, timeout=60, **kwargs):
    """Executes code; returns (execute_reply, [iopub messages of that request, excluding status/execute_input])."""
    msg_id = kc.execute(code, **kwargs)
    deadline = time.monotonic() + timeout
    reply = shell_reply(kc, msg_id, timeout)
    outputs = collect_iopub(kc, msg_id, deadline)
    return reply, outputs


def collect_iopub(kc, msg_id, deadline):
    outputs = []
    while True:
        msg = kc.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status":
            if msg["content"]["execution_state"] == "idle":
                return outputs
            continue
        if msg["msg_type"] != "execute_input":
            outputs.append(msg)


def shell_reply(kc, msg_id, timeout=60):
    """The shell reply to msg_id, skipping stale replies to earlier requests (e.g. wait_for_ready's kernel_info)."""
    deadline = time.monotonic() + timeout
    while True:
        msg = kc.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))
        if msg["parent_header"].get("msg_id") == msg_id:
            return msg


def result_text(outputs):
    for msg in outputs:
        if msg["msg_type"] == "execute_result":
            return msg["content"]["data"].get("text/plain")
    return None


def stdout_text(outputs, name="stdout"):
    return "".join(m["content"]["text"] for m in outputs if m["msg_type"] == "stream" and m["content"]["name"] == name)


def assert_alive(kc):
    reply, outputs = run(kc, "20 + 22", timeout=30)
    assert reply["content"]["status"] == "ok", reply["content"]
    assert result_text(outputs) == "42"
    info = kc.kernel_info(reply=True, timeout=10)
    assert info["content"]["status"] == "ok"


def raw_shell_socket(km):
    """A DEALER socket on the kernel's shell port, for sending hand-made frames."""
    ctx = zmq.Context.instance()
    sock = ctx.socket(zmq.DEALER)
    sock.setsockopt(zmq.LINGER, 0)
    sock.connect(f"{km.transport}://{km.ip}:{km.shell_port}")
    return sock


def no_reply(sock, wait=1.5):
    """True when nothing comes back on the socket within the wait."""
    return sock.poll(int(wait * 1000)) == 0
