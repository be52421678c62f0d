"""The web page of `glimpse web` in headless Chromium, against real servers: glimpse-tiny behind an API key for the
answers a person reads, and the tiny-a fixture (random weights, long answers) for streaming and stopping.

Screenshots of the main states go to target/web-screenshots/.
"""
import base64
import json
from pathlib import Path

import pytest

from web_browser import ROOT, WebServer, require_browser, screenshot

KEY = "sk-web-test"
WEB = ROOT / "src/main/resources/dev/glimpse/serve/web"
SHAPES = WEB / "examples/shapes.png"
SHAPES_ANSWER = "a red triangle, a blue triangle and an orange square"
FIXTURE_IMAGE = ROOT / "src/test/resources/glm4v/images/shapes_rgb.png"


@pytest.fixture(scope="module")
def chromium():
    path = require_browser()
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def tiny():
    """glimpse-tiny, with an API key."""
    server = WebServer(ROOT / "models/glimpse-tiny", "--api-key", KEY)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def fixture_model():
    """The tiny-a fixture: random weights whose greedy answers run for hundreds of tokens."""
    # named for what it is, so that the screenshots of its answers do not pass for a model's
    server = WebServer(ROOT / "src/test/resources/glm4v/tiny-a/model", "--served-model-name",
                       "tiny-a-random-weights-test-fixture")
    yield server
    server.stop()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 860}, accept_downloads=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    assert errors == [], "script errors on the page: " + "; ".join(errors)


def open_with_key(page, server):
    page.add_init_script("sessionStorage.setItem('glimpse.apiKey', %s)" % json.dumps(KEY))
    page.goto(server.url)
    page.wait_for_selector("#model-status[data-state=up]")


def answer(page, timeout=60_000):
    """Waits for the last answer to finish; returns its element."""
    page.wait_for_selector(".turn.assistant:last-child:not([data-state=running])", timeout=timeout)
    return page.locator(".turn.assistant").last


def test_the_page_comes_from_the_server_alone_and_is_light(chromium, tiny):
    context = chromium.new_context()
    page = context.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    finished = []
    page.on("requestfinished", lambda r: finished.append(r))
    page.goto(tiny.url)
    page.wait_for_selector("#gallery-list .card img")
    page.wait_for_load_state("networkidle")
    assert requests, "no requests seen"
    foreign = [u for u in requests if not u.startswith(tiny.url)]
    assert foreign == [], "the page fetched from elsewhere: %s" % foreign
    transferred = 0
    for r in finished:
        sizes = r.sizes()
        transferred += sizes["responseBodySize"] + sizes["responseHeadersSize"]
    assert transferred <= 300_000, "first load transferred %d bytes" % transferred
    # every image has a text alternative
    assert page.locator("img:not([alt])").count() == 0
    context.close()


def test_a_wrong_key_is_refused_plainly_and_the_right_one_works(page, tiny):
    page.goto(tiny.url)
    page.wait_for_selector("#key-form:not([hidden])")
    assert "needs an API key" in page.inner_text("#error-text")
    page.fill("#api-key", "sk-wrong")
    page.press("#api-key", "Enter")
    page.wait_for_function("() => document.querySelector('#error-text').textContent.includes('not accepted')")
    screenshot(page, "wrong-key")
    page.fill("#api-key", KEY)
    page.click("#key-form button")
    page.wait_for_selector("#model-status[data-state=up]")
    assert page.is_hidden("#key-form") and page.is_hidden("#error")


def test_ask_about_an_image_and_read_the_answer(page, tiny):
    open_with_key(page, tiny)
    screenshot(page, "start")
    # two images from the file picker, one removed again
    page.set_input_files("#file-input", [str(SHAPES), str(FIXTURE_IMAGE)])
    page.wait_for_function("() => document.querySelectorAll('#attachments img').length === 2")
    page.click("#attachments li:nth-child(2) .remove")
    assert page.locator("#attachments img").count() == 1
    assert page.get_attribute("#attachments img", "alt") == "Image to send: shapes.png"
    page.fill("#question", "What is in this image?")
    page.press("#question", "Enter")
    turn = answer(page)
    assert turn.locator(".answer").inner_text().strip() == SHAPES_ANSWER
    stats = turn.locator(".stats").inner_text()
    assert "first token" in stats and "prompt +" in stats and "answer tokens" in stats, stats
    assert page.locator(".turn.user .thumbs img").count() == 1
    assert page.locator("#attachments img").count() == 0
    screenshot(page, "answer")

    # a second turn with no new image: the conversation goes on
    page.fill("#question", "How many shapes are there?")
    page.press("#question", "Enter")
    page.wait_for_function("() => document.querySelectorAll('.turn.assistant').length === 2")
    # glimpse-tiny was trained on single questions, so its second answer is not checked, only that it came
    second = answer(page)
    assert second.get_attribute("data-state") == "stop" and second.locator(".answer").inner_text().strip()

    # downloads: Markdown and JSON of the whole conversation
    page.click("#settings-toggle") if page.is_hidden("#settings") else None
    with page.expect_download() as md:
        page.click("#download-md")
    text = Path(md.value.path()).read_text(encoding="utf-8")
    assert "What is in this image?" in text and SHAPES_ANSWER in text and "How many shapes are there?" in text
    with page.expect_download() as js:
        page.click("#download-json")
    saved = json.loads(Path(js.value.path()).read_text(encoding="utf-8"))
    assert [t["role"] for t in saved["turns"]] == ["user", "assistant", "user", "assistant"]
    assert saved["turns"][1]["text"] == SHAPES_ANSWER
    assert saved["turns"][0]["images"][0]["url"].startswith("data:image/png;base64,")
    assert saved["turns"][1]["usage"]["completion_tokens"] > 0

    page.click("#clear")
    assert page.locator(".turn").count() == 0 and page.is_visible("#gallery")


def test_the_gallery_starts_a_question(page, tiny):
    open_with_key(page, tiny)
    assert page.locator("#gallery-list .card").count() == 5
    page.get_by_role("button", name="How many shapes are there?").click()
    page.wait_for_selector("#attachments img")
    assert page.input_value("#question") == "How many shapes are there?"
    page.keyboard.press("Enter")
    assert answer(page).locator(".answer").inner_text().strip() == "3"


def test_images_come_by_paste_and_by_drop_and_non_images_are_refused(page, tiny):
    open_with_key(page, tiny)
    png = base64.b64encode(SHAPES.read_bytes()).decode()
    for event in ("paste", "drop"):
        page.evaluate("""([kind, b64]) => {
            const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
            const dt = new DataTransfer();
            dt.items.add(new File([bytes], kind + '.png', {type: 'image/png'}));
            const e = kind === 'paste' ? new ClipboardEvent('paste', {clipboardData: dt, bubbles: true})
                                       : new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true});
            document.getElementById('question').dispatchEvent(e);
        }""", [event, png])
    page.wait_for_function("() => document.querySelectorAll('#attachments img').length === 2")
    alts = [page.get_attribute(f"#attachments li:nth-child({i}) img", "alt") for i in (1, 2)]
    assert alts == ["Image to send: paste.png", "Image to send: drop.png"]

    page.set_input_files("#file-input", files=[{"name": "notes.txt", "mimeType": "text/plain", "buffer": b"hello"}])
    page.wait_for_selector("#error:not([hidden])")
    assert "“notes.txt” is not an image" in page.inner_text("#error-text")
    page.set_input_files("#file-input", files=[{"name": "broken.png", "mimeType": "image/png", "buffer": b"nope"}])
    page.wait_for_function("() => document.querySelector('#error-text').textContent.includes('could not be read')")
    assert page.locator("#attachments img").count() == 2
    screenshot(page, "not-an-image")


def test_the_answer_streams_and_stops(page, fixture_model):
    page.goto(fixture_model.url)
    page.wait_for_selector("#model-status[data-state=up]")
    page.set_input_files("#file-input", str(FIXTURE_IMAGE))
    page.wait_for_selector("#attachments img")
    if page.is_hidden("#settings"):
        page.click("#settings-toggle")
    page.uncheck("#thinking")
    page.fill("#max-tokens", "3000")
    # greedy, this question runs 314 tokens on the fixture before its stop token
    page.fill("#question", "seven")
    page.press("#question", "Enter")
    page.wait_for_selector(".turn.assistant[data-state=running]")
    page.wait_for_function("() => Number(document.querySelector('.turn.assistant').dataset.updates) >= 4", timeout=60_000)
    running = page.locator(".turn.assistant")
    assert running.get_attribute("data-state") == "running", "finished before it could be stopped"
    partial = running.locator(".answer").inner_text()
    assert page.is_visible("#stop") and page.is_hidden("#send")
    screenshot(page, "streaming")
    page.click("#stop")
    turn = answer(page)
    assert turn.get_attribute("data-state") == "stopped"
    assert "stopped by you" in turn.locator(".stats").inner_text()
    stopped = turn.locator(".answer").inner_text()
    assert len(stopped) >= len(partial) > 0
    assert page.is_visible("#send") and page.is_hidden("#stop")
    screenshot(page, "stopped")

    # the conversation goes on after a stop
    page.fill("#max-tokens", "5")
    page.fill("#question", "Describe it.")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('.turn.assistant').length === 2")
    assert answer(page).get_attribute("data-state") == "length"
    assert page.locator(".turn").count() == 4


def test_a_server_that_is_gone_loses_nothing(page, tiny):
    open_with_key(page, tiny)
    page.set_input_files("#file-input", str(SHAPES))
    page.fill("#question", "What is in this image?")
    page.press("#question", "Enter")
    answer(page)
    # the connection refused, as when the server has stopped
    page.route("**/v1/chat/completions", lambda route: route.abort("connectionrefused"))
    page.set_input_files("#file-input", str(SHAPES))
    page.fill("#question", "How many shapes are there?")
    page.press("#question", "Enter")
    page.wait_for_selector("#error:not([hidden])")
    assert "Cannot reach the Glimpse server" in page.inner_text("#error-text")
    # the question and its image are back in the composer, the earlier turns are all there
    assert page.input_value("#question") == "How many shapes are there?"
    assert page.locator("#attachments img").count() == 1
    assert page.locator(".turn").count() == 2
    screenshot(page, "server-down")
    page.unroute("**/v1/chat/completions")
    page.press("#question", "Enter")
    page.wait_for_function("() => document.querySelectorAll('.turn.assistant').length === 2")
    assert answer(page).get_attribute("data-state") == "stop"


# An answer with every kind of block the renderer knows, blank lines inside a code fence and between list items,
# and boxes before and after other blocks (their numbers run on across blocks).
LONG_ANSWER = """## What is on the desk

There are **two** things: a mug <|begin_of_box|>[790,486,884,647]<|end_of_box|> and a laptop.

1. the mug
2. the laptop <|begin_of_box|>[240,278,760,667]<|end_of_box|>

3. a third, after a blank line

- a bullet
  with a second line
- another, with `code`

```python
def f():

    return 1
```

> a quote
> on two lines

| thing | where |
|---|---:|
| mug | right |
| laptop | middle |

---

The end, with a link: https://example.com/x and a last box <|begin_of_box|>[1,2,3,4]<|end_of_box|>.
"""


def test_a_streamed_answer_is_drawn_as_its_whole_text_would_be(page, tiny):
    """While an answer streams, the page re-renders only the blocks that can still change; after every character of
    a long answer it must show exactly what rendering the whole text so far shows."""
    page.goto(tiny.url)
    result = page.evaluate("""async text => {
        const {renderMarkdown, StreamingMarkdown} = await import('./web/markdown.js');
        const streamed = document.createElement('div');
        const view = new StreamingMarkdown(streamed);
        const whole = document.createElement('div');
        const mismatches = [];
        for (let n = 1; n <= text.length; n++) {
          view.update(text.slice(0, n));
          whole.replaceChildren(renderMarkdown(text.slice(0, n)));
          if (streamed.innerHTML !== whole.innerHTML) mismatches.push([n, streamed.innerHTML, whole.innerHTML]);
        }
        return {mismatches: mismatches.slice(0, 3), count: mismatches.length, settled: view.settled,
                length: text.length};
    }""", LONG_ANSWER)
    assert result["count"] == 0, result["mismatches"]
    # all but its last paragraph was drawn once and kept, not re-rendered on every character
    assert result["settled"] == LONG_ANSWER.index("The end"), result


FIXTURE_AUTHOR = "hand-written test fixture"


def boxed_conversation():
    """A saved conversation whose answer has grounding boxes in GLM-4.6V's format. glimpse-tiny never writes boxes,
    so this answer was written for the test, not by a model, and says so where the page shows who answered and in
    its first line (the screenshot must not pass for a real model's answer); the page draws what any answer with
    boxes would get."""
    office = base64.b64encode((WEB / "examples/office.jpg").read_bytes()).decode()
    text = ("*Test fixture: this answer was written by hand for the page's test, not by a model.*\n\n"
            "Two things on the desk:\n\n1. the mug <|begin_of_box|>[790,486,884,647]<|end_of_box|>\n"
            "2. the laptop <|begin_of_box|>[240,278,760,667]<|end_of_box|>\n\n"
            "Not drawn: <img src=x onerror=\"document.title='hacked'\"> [click](javascript:alert(1)) **bold** "
            "<script>document.title='hacked'</script>")
    return {"model": FIXTURE_AUTHOR, "turns": [
        {"role": "user", "text": "Where are the mug and the laptop?",
         "images": [{"name": "office.jpg", "url": "data:image/jpeg;base64," + office}]},
        {"role": "assistant", "text": text, "reasoning": "(Test fixture, written by hand.) The mug is on the right.",
         "usage": {"prompt_tokens": 900, "completion_tokens": 60}, "finish_reason": "stop",
         "first_token_ms": 420, "total_ms": 2100}]}


def test_boxes_are_drawn_and_answers_cannot_inject_markup(page, tiny, tmp_path):
    open_with_key(page, tiny)
    saved = tmp_path / "conversation.json"
    saved.write_text(json.dumps(boxed_conversation()), encoding="utf-8")
    page.set_input_files("#open-file", str(saved))
    page.wait_for_selector(".turn.assistant figure.boxed")
    turn = page.locator(".turn.assistant")
    assert turn.locator("svg rect").count() == 2
    assert turn.locator(".box-label").all_inner_texts() == ["1", "2"]
    assert turn.locator(".answer .box-ref").all_inner_texts() == ["1", "2"]
    rect = turn.locator("svg rect").first
    assert [rect.get_attribute(a) for a in ("x", "y", "width", "height")] == ["790", "486", "94", "161"]
    assert turn.locator(".reasoning summary").inner_text() == "Reasoning"
    assert turn.locator(".who").inner_text().lower() == "glimpse · " + FIXTURE_AUTHOR, "the saved answer's author"
    assert turn.locator(".answer em").first.inner_text().startswith("Test fixture: this answer was written by hand")
    # markup in an answer is text: no element, no script ran, no javascript: link
    assert turn.locator(".answer img, .answer script").count() == 0
    assert "<img src=x" in turn.locator(".answer").inner_text()
    assert turn.locator(".answer a").count() == 0
    assert turn.locator(".answer strong").inner_text() == "bold"
    assert page.title() == "Glimpse"
    screenshot(page, "boxes")
    # and the conversation goes on from the saved one
    page.fill("#question", "Thanks")
    page.press("#question", "Enter")
    page.wait_for_function("() => document.querySelectorAll('.turn.assistant').length === 2")
    answer(page)


def test_keyboard_and_phone_width(chromium, tiny):
    context = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    open_with_key(page, tiny)
    assert page.is_hidden("#settings"), "the settings start folded on a phone"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page is wider than the phone: %d px" % width
    screenshot(page, "phone")
    # Shift+Enter is a new line, Enter sends
    page.focus("#question")
    page.keyboard.type("What is")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("in this image?")
    assert page.input_value("#question") == "What is\nin this image?"
    # keyboard focus is visible on the controls
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "no visible focus on " + page.evaluate("document.activeElement.outerHTML")
    page.focus("#question")
    page.keyboard.press("Enter")
    turn = answer(page)
    assert page.locator(".turn.user .question").inner_text() == "What is\nin this image?"
    assert turn.locator(".answer").inner_text().strip() != ""
    screenshot(page, "phone-answer")
    context.close()
