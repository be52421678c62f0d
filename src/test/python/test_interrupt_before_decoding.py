"""Interrupting ask(..) while the model is still reading the images and the prompt, on every JDK here.

Thirty 4000×3000 images keep the bundled model (models/glimpse-tiny) busy for tens of seconds before its first
token: preprocessing, then the vision tower, then prefill. An interrupt at any of those stages must stop the work
itself — not wait for the kernel to force-stop the cell thread (Java 17 shows `Thread.stop` internals) or leave it
running (Java 25, where the next ask waited for it) — and lastAnswer() must be the interrupted question."""
import os
import pathlib
import time

import pytest

from kernel_client import JDKS, collect_iopub, jdk_id, result_text, run, shell_reply, started_kernel

ROOT = pathlib.Path(__file__).resolve().parents[3]
QUESTION = "Describe these images."
FORCED = ["Thread.stop", "ThreadDeath", "left running", "DirectExecutionControl"]


@pytest.fixture(scope="module", params=JDKS, ids=jdk_id)
def kernel(request):
    with started_kernel(request.param, cwd=str(ROOT), GLIMPSE_MODEL=None) as (km, kc):  # the bundled model
        reply, _ = run(kc, "model(); import java.awt.image.BufferedImage;\n"
                           "var big = image(new BufferedImage(4000, 3000, BufferedImage.TYPE_INT_RGB));\n"
                           "var small = image(new BufferedImage(800, 600, BufferedImage.TYPE_INT_RGB));", timeout=180)
        assert reply["content"]["status"] == "ok", reply["content"]
        yield km, kc


def value(kc, code, timeout=120):
    reply, outputs = run(kc, code, timeout=timeout)
    assert reply["content"]["status"] == "ok", reply["content"]
    return result_text(outputs)


def interrupted(km, kc, code, delay):
    """Runs code and interrupts it delay seconds after the cell shows the question (so that ask(..) is running, not
    still being compiled). Returns the reply's content, the seconds from interrupt to reply, and the text of the
    cell's last display (the answer's final layout)."""
    msg_id = kc.execute(code)
    seen = []
    deadline = time.monotonic() + 120
    while not any(m["msg_type"] == "display_data" for m in seen):
        msg = kc.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
        if msg["parent_header"].get("msg_id") == msg_id:
            seen.append(msg)
    time.sleep(delay)
    t0 = time.monotonic()
    km.interrupt_kernel()
    reply = shell_reply(kc, msg_id, timeout=120)
    seconds = time.monotonic() - t0
    outputs = seen + collect_iopub(kc, msg_id, time.monotonic() + 30)
    shown = [m["content"]["data"].get("text/plain", "") for m in outputs
             if m["msg_type"] in ("display_data", "update_display_data")]
    return reply["content"], seconds, shown[-1]


def assert_stopped_by_the_model(km, kc, code, delay, attempts=1, slow_machine_retries=2):
    """Interrupts code after delay seconds and checks that the model's call stopped by itself. When the answer was
    complete before the interrupt arrived (a busy machine runs slower or faster from one run to the next), tries
    again sooner, up to attempts times. The model checks for interrupts every ~0.1 s of CPU time; on a machine so
    overloaded that this takes longer than the kernel's one-second grace period, the kernel stops the thread
    itself: that is retried twice before it counts as a failure."""
    # a different question first, so that lastAnswer() shows which call it kept
    value(kc, 'ask("Say hi.", options().maxTokens(1)).prompt()')
    content, seconds, shown = interrupted(km, kc, code, delay)
    if content["status"] == "ok" and attempts > 1:
        return assert_stopped_by_the_model(km, kc, code, delay / 2, attempts - 1, slow_machine_retries)
    print(f"interrupt at {delay:.2f} s answered in {seconds * 1000:.0f} ms")
    forced = any(internal in "\n".join(content.get("traceback", [])) for internal in FORCED)
    if forced and seconds >= 1.0 and slow_machine_retries > 0:
        print(f"  forced after the grace period on a busy machine (load {os.getloadavg()[0]:.0f}); again")
        value(kc, "1", timeout=300)  # an abandoned thread finishes its step first
        return assert_stopped_by_the_model(km, kc, code, delay, attempts, slow_machine_retries - 1)
    assert content["status"] == "error", "the interrupt landed before the answer was complete"
    assert content["ename"] == "Interrupted", content
    trace = "\n".join(content["traceback"])
    for internal in FORCED:
        assert internal not in trace, f"the cell thread was forced to stop ({internal}):\n{trace}"
    assert "Session.ask" in trace, f"the model's call returned by itself:\n{trace}"
    assert "Interrupted before the first token" in shown or "Interrupted after" in shown, shown
    last = value(kc, 'lastAnswer().prompt() + "|" + lastAnswer().interrupted()')
    assert last == f"{QUESTION}|true", last
    return seconds


@pytest.mark.parametrize("delay", [0.4, 1.5, 3.0])
def test_interrupt_while_thirty_large_images_are_prepared(kernel, delay):
    km, kc = kernel
    assert_stopped_by_the_model(km, kc, f'ask(Collections.nCopies(30, big), "{QUESTION}")', delay)
    # the interrupted work is over: the model answers the next question at once, not after finishing the old one
    value(kc, 'ask("Say hi.", options().maxTokens(1)).prompt()')


def test_interrupt_in_the_vision_tower_and_during_prefill(kernel):
    km, kc = kernel
    # Eight small images: quick to preprocess, then the vision tower and a prefill of two chunks (about 570 tokens).
    code = f'ask(Collections.nCopies(8, small), "{QUESTION}")'
    timings = value(kc, 'var timings = ' + code[:-1] + ', options().maxTokens(1)).timings();\n'
                    'String.format("%.0f,%.0f,%.0f", timings.preprocessMillis(), timings.visionMillis(), '
                    'timings.prefillMillis())', timeout=300)
    preprocess, vision, prefill = (float(x) / 1000 for x in timings.strip('"').split(","))
    print(f"8 images: preprocessing {preprocess:.2f} s, vision {vision:.2f} s, prefill {prefill:.2f} s")
    for delay in [preprocess + vision / 2, preprocess + vision + prefill / 2]:  # from the start of ask(..)
        assert_stopped_by_the_model(km, kc, code, delay, attempts=3)
