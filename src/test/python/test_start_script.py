"""docker/start.sh, the container's one-click start, run on this machine from the repository (docker/test.sh runs it
in the built image; that takes minutes, this takes seconds): JupyterLab and the model server come up with one
token, their links are printed, a notebook's kernel answers through the web page's server (one copy of the model), and
SIGTERM stops both; a model directory that is not mounted is refused with the fix; the GPU report. Where a GPU is needed, a stand-in nvidia-smi prints what the real one prints for a GPU."""
import os
import pathlib
import re
import secrets
import shutil
import signal
import subprocess
import textwrap
import time
import urllib.request

from lab_cells import run_cells
from local_servers import free_port, get_json, http_status, wait_until

ROOT = pathlib.Path(__file__).resolve().parents[3]
START = ROOT / "docker" / "start.sh"


def start_env(tmp_path, **settings):
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp_path / "config"), JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
               **settings)
    for name in ("GLIMPSE_MODEL", "GLIMPSE_API_KEY", "GLIMPSE_GPU"):
        if name not in settings:
            env.pop(name, None)
    return env


def test_start_serves_jupyterlab_and_the_model_with_one_token_and_stops_on_sigterm(tmp_path):
    lab_port, web_port, token = free_port(), free_port(), secrets.token_hex(16)
    log = tmp_path / "start.log"
    env = start_env(tmp_path, GLIMPSE_LAB_PORT=str(lab_port), GLIMPSE_WEB_PORT=str(web_port), GLIMPSE_TOKEN=token)
    with log.open("w") as out:
        proc = subprocess.Popen([str(START)], stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    try:
        wait_until(proc, lambda: True if "Glimpse is ready" in log.read_text() else None, "docker/start.sh", log)
        lab, web = f"http://127.0.0.1:{lab_port}", f"http://127.0.0.1:{web_port}"
        status = get_json(f"{lab}/api/status", f"token {token}")
        models = get_json(f"{web}/v1/models", f"Bearer {token}")
        with urllib.request.urlopen(f"{web}/", timeout=5) as response:
            page_type, page = response.headers.get_content_type(), response.read().decode()
        lab_without_token = http_status(f"{lab}/api/status")
        web_without_key = http_status(f"{web}/v1/models")
        served_before = served_requests(log.read_text())
        cells = run_cells(lab, token, [
            "%model",
            'ask(image("data/scenes/images/scene-00010.png"), "What is in this image?").text()',
            f'askAll(List.of("data/scenes/images/scene-00010.png", "data/scenes/images/scene-00011.png"), '
            f'"How many shapes are there?", java.nio.file.Path.of("{tmp_path}/answers.csv"), '
            f'options().noThink().maxTokens(8)).rowCount()',
        ])
        served_after = served_requests(log.read_text())
    finally:
        os.kill(proc.pid, signal.SIGTERM)  # start.sh alone, as docker stop does: it must stop both servers
        proc.wait(timeout=30)

    text = log.read_text()
    assert "started" in status, status
    assert [m["id"] for m in models["data"]] == ["glimpse-tiny"], models
    assert page_type == "text/html" and "<html" in page.lower(), (page_type, page[:200])
    assert (lab_without_token, web_without_key) == (403, 401), text
    assert f"http://localhost:{lab_port}/lab?token={token}" in text, text
    assert f"http://localhost:{web_port}/" in text and f"API key: {token}" in text, text
    assert "model: the bundled glimpse-tiny" in text, text
    # the notebook's kernel holds no model of its own: it asks the web page's server, which loaded the only copy
    assert [c["status"] for c in cells] == ["ok"] * 3, "\n".join(c["output"] for c in cells)
    assert f"http://127.0.0.1:{web_port}/v1" in cells[0]["output"] and "remote" in cells[0]["output"], cells[0]
    assert cells[1]["result"].strip() not in ("", '""'), cells[1]
    assert cells[2]["result"] == "2", cells[2]
    assert served_after - served_before == 3, "the server did not answer the kernel's 3 questions:\n" + text
    assert text.count("glimpse web: loading") == 1, text
    time.sleep(1)
    assert (http_status_or_none(f"{lab}/api"), http_status_or_none(f"{web}/health")) == (None, None), \
        "a server still answers after start.sh stopped:\n" + text


def served_requests(log):
    """How many answers the web page's server logged (one line per request)."""
    return len(re.findall(r"^glimpse serve: \S+ 200\b", log, re.MULTILINE))


def http_status_or_none(url):
    try:
        return http_status(url)
    except OSError:
        return None


def test_start_refuses_a_model_directory_that_is_not_mounted(tmp_path):
    result = subprocess.run([str(START)], env=start_env(tmp_path, GLIMPSE_MODEL="/models/not-mounted"),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1, result
    assert ("GLIMPSE_MODEL=/models/not-mounted is not a directory in the container; mount the model there: "
            "docker run -v /path/on/the/host:/models/not-mounted:ro") in result.stderr, result.stderr


def test_start_reports_the_gpu_it_finds(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    nvidia_smi = bin_dir / "nvidia-smi"
    nvidia_smi.write_text(textwrap.dedent("""\
        #!/bin/sh
        echo "NVIDIA A100-SXM4-80GB, 81920 MiB"
    """))
    nvidia_smi.chmod(0o755)
    path = f"{bin_dir}:{os.environ['PATH']}"
    not_mounted = {"GLIMPSE_MODEL": "/models/not-mounted"}  # stops start.sh right after its reports

    cpu_image = subprocess.run([str(START)], env=start_env(tmp_path, PATH=path, **not_mounted),
                               capture_output=True, text=True, timeout=60)
    gpu_image = subprocess.run([str(START)], env=start_env(tmp_path, PATH=path, GLIMPSE_GPU="1", **not_mounted),
                               capture_output=True, text=True, timeout=60)
    gpu_image_without_gpu = subprocess.run([str(START)], env=start_env(tmp_path, GLIMPSE_GPU="1", **not_mounted),
                                           capture_output=True, text=True, timeout=60)

    assert "GPU found: NVIDIA A100-SXM4-80GB, 81920 MiB" in cpu_image.stdout, cpu_image
    assert "this is the CPU image, so the model runs on the CPU" in cpu_image.stdout, cpu_image
    assert "the model runs on the GPU" in gpu_image.stdout, gpu_image
    if shutil.which("nvidia-smi") is None:
        assert "no GPU visible in this container (start it with --gpus all" in gpu_image_without_gpu.stdout, \
            gpu_image_without_gpu


def test_start_fetches_a_hub_model_before_starting_and_stops_when_it_cannot(tmp_path):
    # offline with an empty Hub cache: the real glimpse pull fails at once, and nothing else may start
    env = start_env(tmp_path, GLIMPSE_MODEL="glimpse-test/not-cached", HF_HOME=str(tmp_path / "hf"),
                    HF_HUB_OFFLINE="1")
    result = subprocess.run([str(START)], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result
    assert "model: glimpse-test/not-cached from the Hugging Face Hub" in result.stdout, result
    assert "could not fetch glimpse-test/not-cached from the Hugging Face Hub" in result.stderr, result
    assert "starting JupyterLab" not in result.stdout + result.stderr, result
