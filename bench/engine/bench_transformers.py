"""transformers side of the engine benchmark: one process, one JSON line on stdout.

Runs Glm4vForConditionalGeneration (PyTorch eager, float32 weights read from the bf16 checkpoint, eager attention)
with the same protocol as EngineBench.java on the Java side; bench/engine/compare.py starts both and prints the table.

    python bench_transformers.py run MODEL_DIR IMAGE PROMPT --threads N --prefill-reps R --decode-reps D \
        --decode-tokens T --launched EPOCH_SECONDS
    python bench_transformers.py image PATH      # write the deterministic 448x448 bench image

Protocol (keep in step with EngineBench.java):
- load: model directory -> model and processor ready; the clock starts after `import torch, transformers`
  (the JVM's counterpart, starting DJL's engine, is likewise outside it). `startup_s` counts from process launch.
- prefill: read the image file, preprocess, vision tower, decoder over the prompt, choose the first token
  (generate with max_new_tokens=1); one warm-up, then the median of `prefill_reps`.
- decode: greedy, end-of-sequence ignored, `decode_tokens` + 1 new tokens; decode time is from the first token to
  the last as seen by a per-token callback (a streamer here, a TokenListener in Java), so it covers
  `decode_tokens` steps. Median tokens/s over `decode_reps` after the warm-up.
- CPU time (all threads of the process) over the same spans, which a loaded machine disturbs less than wall time.
- peak RSS: VmHWM from /proc/self/status at the end.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

LAUNCHED = time.time()


def write_image(path: Path) -> None:
    """A deterministic 448x448 RGB picture: gradient background, shapes, a line of text (448 = 16 x 28, so the
    resize is a no-op and the image becomes 32x32 patches, 256 tokens)."""
    import numpy as np
    from PIL import Image, ImageDraw

    y, x = np.mgrid[0:448, 0:448]
    rgb = np.stack([(x * 255 // 447), (y * 255 // 447), ((x + y) * 255 // 894)], axis=-1).astype(np.uint8)
    img = Image.fromarray(rgb, "RGB")
    d = ImageDraw.Draw(img)
    d.ellipse((40, 60, 200, 220), fill=(220, 40, 40), outline=(0, 0, 0), width=3)
    d.rectangle((250, 80, 400, 230), fill=(40, 60, 220))
    d.polygon([(120, 400), (220, 260), (320, 400)], fill=(40, 180, 60))
    d.text((30, 15), "Glimpse bench 448x448", fill=(255, 255, 255))
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, format="PNG")


def status_mb(key: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key):
            return int(line.split()[1]) / 1024
    return float("nan")


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run(args) -> dict:
    import torch

    torch.set_num_interop_threads(1)  # as the Java engine: generation issues one op at a time
    torch.set_num_threads(args.threads)
    import transformers
    from PIL import Image
    from transformers import GenerationConfig, Glm4vForConditionalGeneration
    from transformers.generation.streamers import BaseStreamer

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "models"))
    from make_fixtures import load_processor  # the fixtures' processor: PIL image processor, no torchvision

    t0 = time.perf_counter()
    model_dir = Path(args.model_dir)
    dtype = {"float32": torch.float32, "bfloat16": torch.bfloat16}[args.dtype]
    model = Glm4vForConditionalGeneration.from_pretrained(model_dir, dtype=dtype, attn_implementation="eager")
    model.eval()
    processor = load_processor(model_dir)
    load_s = time.perf_counter() - t0
    startup_s = time.time() - args.launched

    pad = model.config.text_config.pad_token_id

    def config(new_tokens: int) -> GenerationConfig:
        # Plain greedy with no stop token: the directory's sampling defaults must not leak in, and every run
        # produces exactly new_tokens tokens (the Java side passes an empty stop set).
        return GenerationConfig(do_sample=False, num_beams=1, max_new_tokens=new_tokens, min_new_tokens=None,
                                eos_token_id=None, pad_token_id=pad)

    class Stamps(BaseStreamer):
        def __init__(self):
            self.times, self.cpu, self.tokens, self.prompt_seen = [], [], [], False

        def put(self, value):
            if not self.prompt_seen:  # the first call hands over the prompt
                self.prompt_seen = True
                return
            self.times.append(time.perf_counter())
            self.cpu.append(time.process_time())  # cheap here; the Java side reads it only at both ends
            self.tokens.extend(value.reshape(-1).tolist())

        def end(self):
            pass

    messages = [{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": args.prompt}]}]
    prompt = processor.apply_chat_template(messages, tokenize=False, add_generation_prompt=True,
                                           enable_thinking=True)

    def answer(new_tokens: int):
        image = Image.open(args.image)
        image.load()
        inputs = processor(text=[prompt], images=[image], return_tensors="pt")
        inputs = {k: v for k, v in inputs.items() if k != "token_type_ids"}
        gen = config(new_tokens)
        model.generation_config = gen
        stamps = Stamps()
        with torch.inference_mode():
            out = model.generate(**inputs, generation_config=gen, streamer=stamps)
        produced = out[0, inputs["input_ids"].shape[1]:].tolist()
        if produced != stamps.tokens or len(produced) != new_tokens:
            raise SystemExit(f"generate produced {len(produced)} tokens, expected {new_tokens}")
        return inputs["input_ids"].shape[1], stamps

    answer(1)  # warm-up
    answer(args.decode_tokens + 1)
    prefill, prefill_cpu = [], []
    for _ in range(args.prefill_reps):
        t, c = time.perf_counter(), time.process_time()
        prompt_tokens, _ = answer(1)
        prefill.append((time.perf_counter() - t) * 1000)
        prefill_cpu.append((time.process_time() - c) * 1000)
    decode, decode_cpu, tokens = [], [], []
    for _ in range(args.decode_reps):
        _, stamps = answer(args.decode_tokens + 1)
        decode.append(args.decode_tokens / (stamps.times[-1] - stamps.times[0]))
        decode_cpu.append((stamps.cpu[-1] - stamps.cpu[0]) * 1000 / args.decode_tokens)
        tokens = stamps.tokens
    return {
        "side": "transformers",
        "version": f"transformers {transformers.__version__}, torch {torch.__version__}",
        "threads": torch.get_num_threads(),
        "prompt_tokens": prompt_tokens,
        "load_s": load_s,
        "startup_s": startup_s,
        "prefill_ms": prefill,
        "prefill_ms_median": statistics.median(prefill),
        "prefill_cpu_ms_median": statistics.median(prefill_cpu),
        "decode_tok_s": decode,
        "decode_tok_s_median": statistics.median(decode),
        "decode_cpu_ms_per_token_median": statistics.median(decode_cpu),
        "tokens": tokens,
        "peak_rss_mb": peak_rss_mb(),
        "rss_anon_mb": status_mb("RssAnon:"),
        "rss_file_mb": status_mb("RssFile:"),
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("model_dir")
    r.add_argument("image")
    r.add_argument("prompt")
    r.add_argument("--threads", type=int, default=2)
    r.add_argument("--prefill-reps", type=int, default=5)
    r.add_argument("--decode-reps", type=int, default=3)
    r.add_argument("--decode-tokens", type=int, default=64)
    r.add_argument("--dtype", default="float32", choices=["float32", "bfloat16"])
    r.add_argument("--launched", type=float, default=LAUNCHED, help="epoch seconds when the process was started")
    i = sub.add_parser("image")
    i.add_argument("path", type=Path)
    args = parser.parse_args(argv)
    if args.cmd == "image":
        write_image(args.path)
    else:
        print(json.dumps(run(args)), flush=True)


if __name__ == "__main__":
    main()
