"""`glimpse lab` starts JupyterLab with the Glimpse kernel installed, also as root (every container and most CI
machines), where JupyterLab on its own refuses to run without --allow-root."""
import json
import os
import pathlib
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[3]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url, token):
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.load(response)


def wait_for_status(proc, url, token, log, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"glimpse lab exited with {proc.returncode}:\n{log.read_text()}")
        try:
            return get_json(url, token)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    raise AssertionError(f"JupyterLab did not answer {url} within {seconds} s:\n{log.read_text()}")


def test_lab_starts_and_serves_the_glimpse_kernel(tmp_path):
    port, token = free_port(), secrets.token_hex(16)
    log = tmp_path / "lab.log"
    # a config and runtime directory of its own: no user settings, and no stray server files left behind
    env = dict(os.environ, JUPYTER_TOKEN=token, JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
               JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    with log.open("w") as out:
        proc = subprocess.Popen([str(ROOT / "glimpse"), "lab", "--no-browser", "--port", str(port)],
                                stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        status = wait_for_status(proc, f"{base}/api/status", token, log)
        specs = get_json(f"{base}/api/kernelspecs", token)["kernelspecs"]
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)

    assert "started" in status, status
    assert "glimpse" in specs, f"the Glimpse kernel is not installed: {sorted(specs)}"
    said_root = "passing --allow-root to JupyterLab because you are root" in log.read_text()
    assert said_root == (os.geteuid() == 0), log.read_text()
