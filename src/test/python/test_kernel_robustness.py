"""Bad input and hard cases: each test checks the kernel's answer and that it still answers afterwards.

Runs against every JDK available here: the default (17) and, when installed, Temurin 25, where Thread.stop no
longer exists and interrupts rely on the kernel's instrumentation of cell bytecode."""
import time

import pytest

from kernel_client import (JDKS, assert_alive, jdk_id, no_reply, raw_shell_socket, result_text, run, shell_reply,
                           started_kernel, stdout_text)


@pytest.fixture(scope="module", params=JDKS, ids=jdk_id)
def kernel(request):
    with started_kernel(request.param, GLIMPSE_JVM_OPTS="-Xmx1g") as started:
        yield started


def test_kernel_info_reports_running_java(kernel):
    km, kc = kernel
    info = kc.kernel_info(reply=True, timeout=10)["content"]
    assert info["status"] == "ok"
    assert info["language_info"]["name"] == "java"
    assert float(info["protocol_version"]) >= 5.3
    reply, outputs = run(kc, 'System.getProperty("java.version")')
    assert result_text(outputs).startswith(info["language_info"]["version"].split("+")[0].split(".")[0])


def test_malformed_json_frame_is_dropped(kernel):
    km, kc = kernel
    sock = raw_shell_socket(km)
    session = kc.session
    header = session.pack(session.msg_header("execute_request"))
    parts = [header, b"{}", b"{}", b"{this is not json"]
    sock.send_multipart([b"<IDS|MSG>", session.sign(parts)] + parts)
    assert no_reply(sock)
    sock.close()
    assert_alive(kc)


def test_bad_signature_is_dropped_and_not_run(kernel):
    km, kc = kernel
    sock = raw_shell_socket(km)
    session = kc.session
    msg = session.msg("execute_request", {"code": 'System.out.println("SHOULD NOT RUN");', "silent": False})
    parts = [session.pack(msg["header"]), b"{}", b"{}", session.pack(msg["content"])]
    for signature in [b"0" * 64, b""]:
        sock.send_multipart([b"<IDS|MSG>", signature] + parts)
        assert no_reply(sock)
    sock.close()
    # Nothing of that request may appear on IOPub.
    while True:
        try:
            m = kc.get_iopub_msg(timeout=0.5)
        except Exception:
            break
        assert m["parent_header"].get("msg_id") != msg["header"]["msg_id"]
    assert_alive(kc)


def test_unknown_message_type_is_ignored(kernel):
    km, kc = kernel
    msg = kc.session.msg("no_such_request", {})
    kc.shell_channel.send(msg)
    assert_alive(kc)


def test_exception_shows_cell_line(kernel):
    km, kc = kernel
    reply, outputs = run(kc, 'int a = 1;\nif (a == 1) {\n    throw new IllegalStateException("boom");\n}')
    content = reply["content"]
    assert content["status"] == "error"
    assert "IllegalStateException" in content["ename"]
    assert content["evalue"] == "boom"
    trace = "\n".join(content["traceback"])
    assert "line 3" in trace, trace
    assert "jdk.jshell" not in trace and "$JShell$" not in trace, trace
    assert [m["msg_type"] for m in outputs] == ["error"]
    assert_alive(kc)


def test_compile_error_names_line_and_column(kernel):
    km, kc = kernel
    reply, outputs = run(kc, 'int ok = 1;\nString s = 42;')
    content = reply["content"]
    assert content["status"] == "error"
    trace = "\n".join(content["traceback"])
    assert "incompatible types" in trace
    assert "line 2" in trace, trace
    assert_alive(kc)


def test_stack_overflow(kernel):
    km, kc = kernel
    reply, _ = run(kc, "int depth(int n) { return depth(n + 1) + 1; }\ndepth(0)")
    assert reply["content"]["status"] == "error"
    assert "StackOverflowError" in reply["content"]["ename"]
    assert_alive(kc)


def test_out_of_memory_huge_array(kernel):
    km, kc = kernel
    reply, _ = run(kc, "long[] huge = new long[Integer.MAX_VALUE - 8];")
    assert reply["content"]["status"] == "error"
    assert "OutOfMemoryError" in reply["content"]["ename"]
    assert_alive(kc)


def test_out_of_memory_filling_the_heap(kernel):
    km, kc = kernel
    reply, _ = run(kc, "{ List<long[]> hog = new ArrayList<>(); while (true) hog.add(new long[1 << 20]); }",
                   timeout=120)
    assert reply["content"]["status"] == "error"
    assert "OutOfMemoryError" in reply["content"]["ename"]
    assert_alive(kc)


def test_system_exit_is_refused(kernel):
    km, kc = kernel
    reply, _ = run(kc, "System.exit(0);")
    assert reply["content"]["status"] == "error"
    assert "System.exit" in reply["content"]["evalue"] + "\n".join(reply["content"]["traceback"])
    assert km.is_alive()
    assert_alive(kc)


@pytest.mark.parametrize("code, call", [
    ('System.class.getMethod("exit", int.class).invoke(null, 0);', "System.exit"),
    ('Runtime.class.getMethod("halt", int.class).invoke(Runtime.getRuntime(), 0);', "Runtime.halt"),
    ('java.lang.invoke.MethodHandles.lookup().findStatic(System.class, "exit", '
     'java.lang.invoke.MethodType.methodType(void.class, int.class)).invoke(0);', "System.exit"),
], ids=["reflection", "runtime-reflection", "method-handle"])
def test_reflective_exit_is_refused(kernel, code, call):
    km, kc = kernel
    reply, _ = run(kc, code)
    assert reply["content"]["status"] == "error"
    assert call in reply["content"]["evalue"] + "\n".join(reply["content"]["traceback"])
    assert km.is_alive()
    assert_alive(kc)


def test_infinite_loop_is_interrupted(kernel):
    km, kc = kernel
    msg_id = kc.execute("long spins = 0;\nwhile (true) { spins++; }")
    time.sleep(1.0)
    started = time.monotonic()
    km.interrupt_kernel()
    reply = shell_reply(kc, msg_id, timeout=30)
    elapsed = time.monotonic() - started
    assert reply["content"]["status"] == "error"
    print(f"interrupt of a tight loop took {elapsed * 1000:.0f} ms")
    assert_alive(kc)
    reply, outputs = run(kc, "spins > 0")
    assert result_text(outputs) == "true"


def test_sleep_is_interrupted(kernel):
    km, kc = kernel
    msg_id = kc.execute("Thread.sleep(600_000);")
    time.sleep(0.5)
    km.interrupt_kernel()
    reply = shell_reply(kc, msg_id, timeout=30)
    assert reply["content"]["status"] == "error"
    assert_alive(kc)


def test_failed_cell_aborts_the_queue(kernel):
    km, kc = kernel
    first = kc.execute('Thread.sleep(300); throw new RuntimeException("first fails");')
    second = kc.execute('System.out.println("second ran");')
    assert shell_reply(kc, first, timeout=30)["content"]["status"] == "error"
    assert shell_reply(kc, second, timeout=30)["content"]["status"] == "aborted"
    assert_alive(kc)


def test_stdout_streams_while_the_cell_runs(kernel):
    km, kc = kernel
    reply, outputs = run(kc, 'for (int i = 0; i < 3; i++) { System.out.println("tick " + i); Thread.sleep(300); }')
    streams = [m for m in outputs if m["msg_type"] == "stream"]
    assert len(streams) >= 2, "output should arrive in pieces while the cell runs"
    assert stdout_text(outputs) == "tick 0\ntick 1\ntick 2\n"


@pytest.mark.parametrize("stream", ["out", "err"])
def test_a_closed_standard_stream_is_restored_for_the_next_cell(kernel, stream):
    km, kc = kernel
    run(kc, f'System.{stream}.close(); System.{stream}.println("lost");')
    reply, outputs = run(kc, f'System.{stream}.println("printed again");')
    assert reply["content"]["status"] == "ok"
    assert stdout_text(outputs, "std" + stream) == "printed again\n"


def test_a_replaced_standard_stream_is_restored_for_the_next_cell(kernel):
    km, kc = kernel
    run(kc, 'System.setOut(new PrintStream(OutputStream.nullOutputStream()));')
    reply, outputs = run(kc, 'System.out.println("back in the notebook");')
    assert stdout_text(outputs) == "back in the notebook\n"


def test_stdin_input_request(kernel):
    km, kc = kernel
    msg_id = kc.execute("new Scanner(System.in).nextLine().toUpperCase()", allow_stdin=True)
    request = kc.get_stdin_msg(timeout=30)
    assert request["msg_type"] == "input_request"
    assert request["content"]["password"] is False
    kc.input("hello")
    assert shell_reply(kc, msg_id, timeout=30)["content"]["status"] == "ok"


def test_password_input_request(kernel):
    km, kc = kernel
    msg_id = kc.execute('readPassword("API key: ").length()', allow_stdin=True)
    request = kc.get_stdin_msg(timeout=30)
    assert request["content"]["password"] is True
    assert request["content"]["prompt"] == "API key: "
    kc.input("s3cret")
    assert shell_reply(kc, msg_id, timeout=30)["content"]["status"] == "ok"


def test_input_without_stdin_is_a_clear_error(kernel):
    km, kc = kernel
    reply, _ = run(kc, "new BufferedReader(new InputStreamReader(System.in)).readLine()", allow_stdin=False)
    assert reply["content"]["status"] == "error"
    assert "input" in reply["content"]["evalue"].lower()
    assert_alive(kc)


def test_update_display_data(kernel):
    km, kc = kernel
    reply, outputs = run(kc, 'String id = display("first");\nupdateDisplay(id, "second");\nid')
    display = [m for m in outputs if m["msg_type"] == "display_data"][0]
    update = [m for m in outputs if m["msg_type"] == "update_display_data"][0]
    assert display["content"]["transient"]["display_id"] == update["content"]["transient"]["display_id"]
    assert update["content"]["data"]["text/plain"] == "second"


def test_comm_open_to_unknown_target_is_closed(kernel):
    km, kc = kernel
    msg = kc.session.msg("comm_open", {"comm_id": "c0ffee", "target_name": "nope", "data": {}})
    kc.shell_channel.send(msg)
    deadline = time.monotonic() + 10
    closed = False
    while time.monotonic() < deadline and not closed:
        m = kc.get_iopub_msg(timeout=10)
        closed = m["msg_type"] == "comm_close" and m["content"]["comm_id"] == "c0ffee"
    assert closed
    reply = shell_reply(kc, kc.comm_info(), timeout=10)
    assert reply["content"]["status"] == "ok" and reply["content"]["comms"] == {}


def test_restart_gives_a_fresh_kernel(kernel):
    km, kc = kernel
    run(kc, "int remembered = 7;")
    km.restart_kernel(now=False)
    kc.wait_for_ready(timeout=90)
    reply, _ = run(kc, "remembered")
    assert reply["content"]["status"] == "error"
    assert_alive(kc)
