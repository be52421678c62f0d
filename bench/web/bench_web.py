"""The web page's targets (issue 15), measured against curl in the same run.

1. Pressing Enter on the page to the first streamed token shown, and to the final answer shown, against the same
   request (the page's own JSON body, image included) made with curl to /v1/chat/completions: medians of N rounds,
   the two taking turns in every round (which goes first alternates). Targets: <= 1.2x and <= 1.1x.
2. Page weight on a first load with an empty cache (everything transferred: HTML, CSS, JS, gallery images, API
   calls), and time to interactive in headless Chromium: from navigation until the model's name shows and the
   gallery is there (the page answers input from then on). Targets: <= 300 KB, <= 1 s.

The page's times are taken inside the page (performance.now()): Enter's keydown, then the first moment the answer
element holds text, then the moment it is marked finished. curl's are taken by reading its unbuffered output
(curl -sN) line by line from the moment it is started, as a shell user would see it: the first line with a token,
and the "data: [DONE]" line (the page, too, ends an answer at [DONE]). curl's times include starting curl and its
new connection, which the page, already open in its tab, does not pay per question; the table shows that
fixed cost on its own (curl GET /health) so the ratios can be read with it.

Usage: ./glimpse bench web [--rounds N] [--model DIR]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src/test/python"))
from web_browser import WebServer, require_browser  # noqa: E402

SHAPES = ROOT / "src/main/resources/dev/glimpse/serve/web/examples/shapes.png"
QUESTION = "What is in this image?"

# installed before Enter is pressed; records when the answer first shows text and when it is finished
PROBE = """() => {
  const t = {enter: null, first: null, final: null};
  window.__bench = t;
  document.addEventListener('keydown', e => { if (e.key === 'Enter' && t.enter === null) t.enter = performance.now(); },
                            {capture: true});
  const seen = () => {
    const turn = document.querySelector('.turn.assistant:last-child');
    if (!turn) return;
    const answer = turn.querySelector('.answer');
    if (t.enter !== null && t.first === null && answer && !answer.classList.contains('pending') && answer.textContent.trim() !== '') {
      t.first = performance.now();
    }
    if (t.enter !== null && t.final === null && turn.dataset.state && turn.dataset.state !== 'running') {
      t.final = performance.now();
    }
  };
  new MutationObserver(seen).observe(document.getElementById('conversation'),
                                     {childList: true, subtree: true, attributes: true, characterData: true});
}"""


def open_page(browser, url):
    """One page for every round, as a person asks one question after another."""
    page = browser.new_context().new_page()
    page.goto(url)
    page.wait_for_selector("#model-status[data-state=up]")
    page.evaluate(PROBE)
    return page


def page_round(page):
    page.evaluate("() => document.getElementById('clear').click()")
    page.set_input_files("#file-input", str(SHAPES))
    page.wait_for_selector("#attachments img")
    page.fill("#question", QUESTION)
    page.evaluate("() => { Object.assign(window.__bench, {enter: null, first: null, final: null}); }")
    time.sleep(0.2)  # let the page settle (thumbnail decoded, layout done), as it has when a person presses Enter
    page.press("#question", "Enter")
    page.wait_for_function("() => window.__bench.final !== null", timeout=120_000)
    t = page.evaluate("() => window.__bench")
    return (t["first"] - t["enter"]) / 1000, (t["final"] - t["enter"]) / 1000


def request_body(url):
    """The body the page sends for this question (same fields, same image bytes)."""
    import base64
    image = "data:image/png;base64," + base64.b64encode(SHAPES.read_bytes()).decode()
    with urllib_open(url + "v1/models") as r:
        model = json.load(r)["data"][0]["id"]
    return {"model": model, "stream": True, "stream_options": {"include_usage": True}, "temperature": 0,
            "top_p": 1, "max_tokens": 1024, "chat_template_kwargs": {"enable_thinking": True},
            "messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": image}},
                                                      {"type": "text", "text": QUESTION}]}]}


def urllib_open(url):
    import urllib.request
    return urllib.request.urlopen(url, timeout=30)


def curl_round(url, body_file):
    time.sleep(0.2)  # the same pause as before the page's Enter
    start = time.perf_counter()
    process = subprocess.Popen(["curl", "-sN", url + "v1/chat/completions", "-H", "Content-Type: application/json",
                                "--data-binary", "@" + body_file], stdout=subprocess.PIPE)
    first = final = None
    for line in process.stdout:
        if first is None and line.startswith(b"data: {"):
            delta = json.loads(line[6:])["choices"]
            if delta and (delta[0]["delta"].get("content") or delta[0]["delta"].get("reasoning_content")):
                first = time.perf_counter()
        if line.startswith(b"data: [DONE]"):
            final = time.perf_counter()  # the end of the answer, as the terminal shows it
    process.wait()
    return first - start, (final or time.perf_counter()) - start


def curl_overhead(url):
    """curl started, a request that does no work (GET /health) and its exit: a fixed cost inside every curl time."""
    start = time.perf_counter()
    subprocess.run(["curl", "-sN", "-o", "/dev/null", url + "health"], check=True)
    return time.perf_counter() - start


def load_round(browser, url):
    context = browser.new_context()
    page = context.new_page()
    finished = []
    page.on("requestfinished", lambda r: finished.append(r))
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_selector("#model-status[data-state=up]")
    page.wait_for_selector("#gallery-list .card img")
    interactive = time.perf_counter() - start
    page.wait_for_load_state("networkidle")
    page.evaluate("() => Promise.all([...document.images].map(i => i.decode().catch(() => null)))")
    weight = 0
    for r in finished:
        sizes = r.sizes()
        weight += sizes["responseBodySize"] + sizes["responseHeadersSize"]
    dom = page.evaluate("() => performance.getEntriesByType('navigation')[0].domInteractive") / 1000
    context.close()
    return interactive, weight, dom


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--model", default=str(ROOT / "models/glimpse-tiny"))
    args = parser.parse_args()

    chromium = require_browser()
    from playwright.sync_api import sync_playwright
    server = WebServer(args.model)
    try:
        with sync_playwright() as p, tempfile.TemporaryDirectory(prefix="web-bench-") as tmp:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            body_file = os.path.join(tmp, "body.json")
            Path(body_file).write_text(json.dumps(request_body(server.url)))
            page = open_page(browser, server.url)
            page_first, page_final, curl_first, curl_final, curl_fixed = [], [], [], [], []
            for i in range(args.warmup + args.rounds):
                order = (("curl", "page") if i % 2 == 0 else ("page", "curl"))
                for who in order:
                    if who == "curl":
                        f, t = curl_round(server.url, body_file)
                        fixed = curl_overhead(server.url)
                        if i >= args.warmup:
                            curl_first.append(f)
                            curl_final.append(t)
                            curl_fixed.append(fixed)
                    else:
                        f, t = page_round(page)
                        if i >= args.warmup:
                            page_first.append(f)
                            page_final.append(t)
            loads = [load_round(browser, server.url) for _ in range(args.warmup + args.rounds)][args.warmup:]
            browser.close()
    finally:
        server.stop()

    med = statistics.median
    ms = lambda s: "%.1f ms" % (s * 1000)  # noqa: E731
    r_first = med(page_first) / med(curl_first)
    r_final = med(page_final) / med(curl_final)
    tti = med([x[0] for x in loads])
    weight = max(x[1] for x in loads)
    dom = med([x[2] for x in loads])
    ok = lambda b: "✅" if b else "❌"  # noqa: E731
    print(f"glimpse web bench: {Path(args.model).name}, {args.rounds} rounds (+{args.warmup} warm-up), "
          f"medians; question '{QUESTION}' on shapes.png")
    print()
    print("| measure | page | curl | ratio | target |")
    print("|---|---:|---:|---:|---|")
    print(f"| Enter → first streamed token | {ms(med(page_first))} | {ms(med(curl_first))} | {r_first:.2f}x | "
          f"≤ 1.2x {ok(r_first <= 1.2)} |")
    print(f"| Enter → final answer | {ms(med(page_final))} | {ms(med(curl_final))} | {r_final:.2f}x | "
          f"≤ 1.1x {ok(r_final <= 1.1)} |")
    print(f"| curl alone: start, GET /health, exit (a part of each curl time) | | {ms(med(curl_fixed))} | | |")
    print(f"| page weight, first load (most of {args.rounds}) | {weight / 1000:.1f} KB | | | ≤ 300 KB {ok(weight <= 300_000)} |")
    print(f"| time to interactive (model shown, gallery there) | {ms(tti)} | | | ≤ 1 s {ok(tti <= 1.0)} |")
    print(f"| DOM interactive (navigation timing) | {ms(dom)} | | | |")


if __name__ == "__main__":
    main()
