"""`glimpse serve` through the official `openai` Python client (issue 17, item 8): the streamed deltas of an answer
add up to exactly the answer not streamed, content and reasoning alike. The client showed a leading newline (the one
after </think>) in the streamed content only."""
import base64
import os
import pathlib
import signal
import subprocess

import openai

ROOT = pathlib.Path(__file__).resolve().parents[3]
IMAGE = ROOT / "src" / "test" / "resources" / "glm4v" / "images" / "shapes_rgb.png"


def test_streamed_deltas_add_up_to_the_non_streamed_answer(tmp_path):
    log = tmp_path / "serve.log"
    env = {k: v for k, v in os.environ.items() if k not in ("GLIMPSE_MODEL", "GLIMPSE_API_KEY")}
    with log.open("w") as err:
        proc = subprocess.Popen([str(ROOT / "glimpse"), "serve", "--port", "0"], stdout=subprocess.PIPE, stderr=err,
                                text=True, env=env, start_new_session=True)
    try:
        url = proc.stdout.readline().strip()  # the API root, once the model is loaded
        assert url.startswith("http://127.0.0.1:"), log.read_text()
        client = openai.OpenAI(base_url=url, api_key="unused", max_retries=0, timeout=120)
        image = "data:image/png;base64," + base64.b64encode(IMAGE.read_bytes()).decode()
        messages = [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": image}},
                                                 {"type": "text", "text": "What is in this image?"}]}]
        mismatches = []
        for thinking in (True, False):
            kwargs = dict(model="glimpse-tiny", messages=messages, max_tokens=96, temperature=0,
                          extra_body={"chat_template_kwargs": {"enable_thinking": thinking}})
            whole = client.chat.completions.create(**kwargs).choices[0].message
            content, reasoning = "", ""
            for chunk in client.chat.completions.create(stream=True, **kwargs):
                if chunk.choices:
                    delta = chunk.choices[0].delta
                    content += delta.content or ""
                    reasoning += getattr(delta, "reasoning_content", None) or ""
            if content != whole.content:
                mismatches.append((thinking, "content", content, whole.content))
            if reasoning != (getattr(whole, "reasoning_content", None) or ""):
                mismatches.append((thinking, "reasoning", reasoning, whole.reasoning_content))
            assert whole.content, f"an answer with thinking={thinking}"
        assert mismatches == []
    finally:
        os.kill(proc.pid, signal.SIGINT)  # the launcher execs java: this is the server, which stops on Ctrl-C
        proc.wait(timeout=60)
