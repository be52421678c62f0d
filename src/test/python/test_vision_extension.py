"""The vision extension in a real kernel, with GLIMPSE_MODEL pointing at the tiny-a fixture model (random weights:
gibberish answers, real machinery): the model loads in the background while kernel_info and other cells answer,
answers stream into the cell, an interrupt keeps the partial answer, askAll resumes, and errors are clear."""
import csv
import fcntl
import os
import pathlib
import shutil
import signal
import time

import pytest
from jupyter_client import KernelManager

from kernel_client import assert_alive, collect_iopub, result_text, run, shell_reply

ROOT = pathlib.Path(__file__).resolve().parents[3]
FIXTURE_MODEL = ROOT / "src" / "test" / "resources" / "glm4v" / "tiny-a" / "model"
IMAGES = ROOT / "src" / "test" / "resources" / "glm4v" / "images"
SHAPES = IMAGES / "shapes_rgb.png"


def start(model, cwd=None):
    env = dict(os.environ)
    env["GLIMPSE_MODEL"] = str(model)
    km = KernelManager(kernel_name="glimpse")
    km.start_kernel(env=env, cwd=str(cwd or ROOT))
    kc = km.client()
    kc.start_channels()
    return km, kc


def stop(km, kc):
    kc.stop_channels()
    km.shutdown_kernel(now=True)


@pytest.fixture(scope="module")
def kernel():
    km, kc = start(FIXTURE_MODEL)
    kc.wait_for_ready(timeout=90)
    run(kc, "model();", timeout=120)
    yield km, kc
    stop(km, kc)


def value(kc, code, timeout=120):
    reply, outputs = run(kc, code, timeout=timeout)
    assert reply["content"]["status"] == "ok", reply["content"]
    return result_text(outputs)


def error_of(kc, code, timeout=120):
    reply, outputs = run(kc, code, timeout=timeout)
    assert reply["content"]["status"] == "error", f"{code} should fail"
    return reply["content"]["evalue"]


def java_string(path):
    return '"' + str(path).replace("\\", "\\\\") + '"'


class HeldWeights:
    """A copy of a model directory whose weights the kernel cannot open until release(): the test holds a Linux write
    lease on each safetensors file, and another process's open() of a leased file waits until the holder gives the
    lease up (or fs.lease-break-time passes, 45 s by default). So the test, not the machine's speed, decides when the
    model can finish loading, and the kernel runs exactly as it does for users."""

    def __init__(self, source, into):
        self.model = into / source.name  # the same directory name: the model is named after it
        shutil.copytree(source, self.model)
        self.fds = []
        # the holder is told of a waiting open() by SIGIO, whose default action would end the test run
        self.previous_sigio = signal.signal(signal.SIGIO, signal.SIG_IGN)
        for weights in sorted(self.model.glob("*.safetensors")):
            fd = os.open(weights, os.O_RDONLY)
            self.fds.append(fd)
            try:
                fcntl.fcntl(fd, getattr(fcntl, "F_SETLEASE", 1024), fcntl.F_WRLCK)
            except OSError as e:
                self.release()
                pytest.fail(f"Cannot take a write lease on {weights} ({e}). This test needs file leases: a local file "
                            f"system for {into} and fs.leases-enable = 1.")

    def release(self):
        while self.fds:
            fd = self.fds.pop()
            fcntl.fcntl(fd, getattr(fcntl, "F_SETLEASE", 1024), fcntl.F_UNLCK)
            os.close(fd)
        if self.previous_sigio is not None:
            signal.signal(signal.SIGIO, self.previous_sigio)
            self.previous_sigio = None


def test_kernel_info_and_cells_answer_while_the_model_loads(tmp_path):
    held = HeldWeights(FIXTURE_MODEL, tmp_path)
    km, kc = start(held.model)
    try:
        kc.wait_for_ready(timeout=90)
        info_at = time.time()
        reply, outputs = run(kc, "1 + 1")
        assert result_text(outputs) == "2"
        assert value(kc, "modelStatus().state()") == "loading", \
            "kernel_info or a cell that does not need the model waited for it"

        # the first cell that needs the model waits for it, showing what it waits for; the load ends when let go
        msg_id = kc.execute("model().info().name()")
        deadline = time.monotonic() + 60
        outputs = []
        while not any(m["msg_type"] == "display_data" for m in outputs):
            msg = kc.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
            if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] not in ("status", "execute_input"):
                outputs.append(msg)
        released_at = time.time()
        held.release()
        outputs += collect_iopub(kc, msg_id, time.monotonic() + 120)
        reply = shell_reply(kc, msg_id, timeout=120)
        assert reply["content"]["status"] == "ok", reply["content"]
        assert result_text(outputs) == "model"
        progress = [m["content"]["data"]["text/plain"] for m in outputs
                    if m["msg_type"] in ("display_data", "update_display_data")]
        assert progress[0].startswith("Loading model (1.2 MiB of weights) from "), progress
        assert progress[-1].startswith("Loaded model in "), progress
        ready_at = int(value(kc, "modelStatus().readyAtEpochMillis()")) / 1000
        assert ready_at >= released_at, "the model loaded without its weights"
        print(f"kernel_info answered {released_at - info_at:.2f} s before the weights were let go; the model was ready "
              f"{ready_at - released_at:.2f} s later (progress shown: {progress})")
    finally:
        stop(km, kc)
        held.release()


def test_an_answer_streams_into_the_cell_and_shows_once(kernel):
    _, kc = kernel
    # greedy: this question runs 87 tokens on the fixture, so the answer always has its 12; sampled it may stop sooner
    code = (f'ask(image({java_string(SHAPES)}), "What is in this image?", '
            'options().maxTokens(12).temperature(0).noThink())')
    reply, outputs = run(kc, code)
    assert reply["content"]["status"] == "ok", reply["content"]
    kinds = [m["msg_type"] for m in outputs]
    displays = [m for m in outputs if m["msg_type"] == "display_data"]
    updates = [m for m in outputs if m["msg_type"] == "update_display_data"]
    assert len(displays) == 1, kinds
    assert len(updates) >= 2, f"streamed in more than one update: {kinds}"
    assert "execute_result" not in kinds, "the returned answer replaces the streamed output instead of repeating it"
    display_id = displays[0]["content"]["transient"]["display_id"]
    assert all(u["content"]["transient"]["display_id"] == display_id for u in updates)
    final = updates[-1]["content"]["data"]
    assert {"image/png", "text/markdown", "text/html", "text/plain"} <= set(final)
    assert "**Q:** What is in this image?" in final["text/markdown"]
    assert "12 answer tokens" in final["text/plain"]
    assert "<img src=\"data:image/png;base64," in final["text/html"]
    partial = updates[0]["content"]["data"]["text/plain"]
    assert "generating…" in partial

    # the answer in a later cell is an ordinary result
    reply, outputs = run(kc, "lastAnswer()")
    results = [m for m in outputs if m["msg_type"] == "execute_result"]
    assert len(results) == 1 and "image/png" in results[0]["content"]["data"]


def test_interrupt_during_generation_keeps_the_partial_answer(kernel):
    km, kc = kernel
    # greedy, this question runs 314 tokens on the fixture (~1.2 s here) before its stop token: time enough to be
    # interrupted. The fixture's own options sample, and a sampled answer can stop after a dozen tokens, before the
    # interrupt lands ("Describe it." did, now and then).
    code = f'ask(image({java_string(SHAPES)}), "seven", options().maxTokens(3000).temperature(0).noThink())'
    msg_id = kc.execute(code)
    updates = []
    deadline = time.monotonic() + 120
    interrupted = False
    while True:
        msg = kc.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "update_display_data":
            updates.append(msg)
            if len(updates) == 3 and not interrupted:
                km.interrupt_kernel()
                interrupted = True
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    reply = shell_reply(kc, msg_id)
    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "Interrupted"
    last = updates[-1]["content"]["data"]["text/plain"]
    assert "Interrupted after" in last and "the answer is partial" in last, last
    tokens = int(value(kc, "lastAnswer().completionTokens()"))
    assert 2 <= tokens < 314
    assert value(kc, "lastAnswer().interrupted()") == "true"
    assert_alive(kc)


def test_askall_resumes_after_an_interrupted_run(kernel, tmp_path):
    km, kc = kernel
    photos = tmp_path / "photos"
    photos.mkdir()
    names = ["badge_rgba.png", "shapes_rgb.png", "small_p.png", "stripes_l.png", "tiny_rgb.png", "wide_rgb.png"]
    for name in names:
        shutil.copy(IMAGES / name, photos / name)
    answers = tmp_path / "photos-answers.csv"
    code = f'askAll({java_string(photos)}, "What is it?", options().maxTokens(6).noThink())'

    def rows():
        if not answers.exists():
            return []
        with answers.open(newline="", encoding="utf-8") as f:
            return list(csv.DictReader(f))

    msg_id = kc.execute(code)
    deadline = time.monotonic() + 120
    while len(rows()) < 2:
        assert time.monotonic() < deadline, "askAll wrote no answers"
        time.sleep(0.05)
    km.interrupt_kernel()
    reply = shell_reply(kc, msg_id, timeout=60)
    assert reply["content"]["status"] == "error", "the run was interrupted before the end"
    assert "Interrupted" in reply["content"]["ename"]
    before = rows()
    assert 2 <= len(before) < len(names)

    reply, outputs = run(kc, code + ".rowCount()", timeout=180)
    assert result_text(outputs) == str(len(names))
    after = rows()
    assert len(after) == len(names), "each image answered once"
    assert after[:len(before)] == before, "answers of the interrupted run were kept, not recomputed"
    closing = [m["content"]["data"]["text/plain"] for m in outputs if m["msg_type"] == "update_display_data"][-1]
    assert f"({len(names) - len(before)} now, {len(before)} from earlier runs)" in closing, closing


def test_missing_and_unreadable_images_give_clear_errors(kernel, tmp_path):
    _, kc = kernel
    missing = tmp_path / "nowhere.png"
    assert f"Image file not found: {missing}" in error_of(kc, f"image({java_string(missing)})")
    text = tmp_path / "notes.png"
    text.write_text("this is text, not a picture")
    message = error_of(kc, f"image({java_string(text)})")
    assert "notes.png is not in a format Java can decode" in message and "Use PNG, JPEG" in message
    cut = tmp_path / "cut.png"
    cut.write_bytes(SHAPES.read_bytes()[:200])
    assert "cut.png is truncated" in error_of(kc, f"image({java_string(cut)})")
    assert_alive(kc)


def test_model_magic_shows_unloads_and_loads(kernel):
    _, kc = kernel
    reply, outputs = run(kc, "%model")
    table = [m for m in outputs if m["msg_type"] == "execute_result"][0]["content"]["data"]
    for row in ("state", "device", "dtype", "parameters", "memory", "load time"):
        assert row in table["text/plain"]
    assert "630,720" in table["text/plain"]
    reply, outputs = run(kc, "%model unload")
    assert "Unloaded model" in "".join(m["content"].get("text", "") for m in outputs)
    assert "No model is loaded (unloaded with %model unload)" in error_of(kc, 'ask("hello")')
    reply, outputs = run(kc, f"%model {FIXTURE_MODEL}", timeout=120)
    assert reply["content"]["status"] == "ok", reply["content"]
    assert value(kc, "modelStatus().ready()") == "true"


def test_a_bad_model_directory_is_explained_in_the_first_model_cell(tmp_path):
    not_a_model = tmp_path / "not-a-model"
    not_a_model.mkdir()
    km, kc = start(not_a_model)
    try:
        kc.wait_for_ready(timeout=90)
        reply, outputs = run(kc, "1 + 1")
        assert result_text(outputs) == "2"
        message = error_of(kc, 'ask("What is this?")')
        assert str(not_a_model) in message and "GLIMPSE_MODEL" in message, message
        assert "%model DIR" in message, message
        reply, outputs = run(kc, "1 + 1")
        assert result_text(outputs) == "2", "the kernel stays up"
        assert value(kc, "modelStatus().state()") == "failed"
    finally:
        stop(km, kc)


def test_web_page_runs_on_the_kernels_model_and_stops_with_the_kernel():
    import json
    import re
    import urllib.error
    import urllib.request

    km, kc = start(FIXTURE_MODEL)
    try:
        kc.wait_for_ready(timeout=90)
        reply, outputs = run(kc, "webPage(0)", timeout=120)
        assert reply["content"]["status"] == "ok", reply["content"]
        html = "".join(m["content"]["data"].get("text/html", "") for m in outputs
                       if m["msg_type"] in ("execute_result", "display_data"))
        url = re.search(r'href="(http://127\.0\.0\.1:\d+/)"', html).group(1)
        assert "Glimpse web page for <b>model</b>" in html
        # the same page again, not a second server
        assert url in value(kc, "webPage(0).url()")
        with urllib.request.urlopen(url, timeout=30) as page:
            assert b'<script type="module" src="web/app.js">' in page.read()
        # the page's API answers with the kernel's model: the same answer as ask() in the notebook
        local = value(kc, 'ask("seven", options().maxTokens(6).temperature(0).noThink()).text()')
        body = json.dumps({"model": "model", "max_tokens": 6, "temperature": 0,
                           "chat_template_kwargs": {"enable_thinking": False},
                           "messages": [{"role": "user", "content": "seven"}]}).encode()
        request = urllib.request.Request(url + "v1/chat/completions", data=body,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            remote = json.load(response)["choices"][0]["message"]["content"]
        assert remote == local.strip()
        # the server answered with the model in the kernel's slot (SlotModel), which is still the one loaded
        assert value(kc, "modelStatus().state()").strip() == "ready"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)  # a clean shutdown: the extension's uninstall stops the page
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url, timeout=5)
