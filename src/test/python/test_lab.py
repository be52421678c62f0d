"""`glimpse lab` starts JupyterLab with the Glimpse kernel installed, also as root (every container and most CI
machines), where JupyterLab on its own refuses to run without --allow-root."""
import os
import pathlib
import secrets
import signal
import subprocess

from local_servers import free_port, get_json, wait_until

ROOT = pathlib.Path(__file__).resolve().parents[3]


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
        base, auth = f"http://127.0.0.1:{port}", f"token {token}"
        status = wait_until(proc, lambda: get_json(f"{base}/api/status", auth), "glimpse lab", log)
        specs = get_json(f"{base}/api/kernelspecs", auth)["kernelspecs"]
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)

    assert "started" in status, status
    assert "glimpse" in specs, f"the Glimpse kernel is not installed: {sorted(specs)}"
    said_root = "passing --allow-root to JupyterLab because you are root" in log.read_text()
    assert said_root == (os.geteuid() == 0), log.read_text()
