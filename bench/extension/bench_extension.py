"""Vision extension benchmark: what the preloading extension costs at kernel start, and what ask(..) adds over a
bare engine call. Prints tables with ratios against a baseline measured in the same run.

  (a) start → kernel_info reply, and start → first `1+1` result, with the extension (GLIMPSE_MODEL = the tiny-a
      fixture model, loading in the background) vs without (GLIMPSE_LOAD_EXTENSIONS=0); 3 kernels each, alternating
  (b) in one kernel, the same greedy question timed inside the cell: model().generate(..) (bare engine, no display)
      vs ask(..) (streaming into the cell: display + throttled updates + final bundle), interleaved, N rounds

Run: glimpse bench extension [rounds]   (needs the venv with jupyter_client and the installed kernelspec)
"""
import os
import pathlib
import statistics
import sys
import time

from jupyter_client import KernelManager

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "src" / "test" / "python"))
from kernel_client import result_text, run  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
MODEL = ROOT / "src" / "test" / "resources" / "glm4v" / "tiny-a" / "model"
IMAGE = ROOT / "src" / "test" / "resources" / "glm4v" / "images" / "shapes_rgb.png"


def start(extra):
    env = dict(os.environ)
    env["GLIMPSE_MODEL"] = str(MODEL)
    env.update(extra)
    km = KernelManager(kernel_name="glimpse")
    t0 = time.monotonic()
    km.start_kernel(env=env)
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=120)
    info = time.monotonic() - t0
    reply, outputs = run(kc, "1+1", timeout=120)
    first = time.monotonic() - t0
    assert result_text(outputs) == "2"
    return km, kc, info, first


def stop(km, kc):
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def startup(kernels=3):
    rows = {"with": [], "without": []}
    for _ in range(kernels):
        for name, extra in (("without", {"GLIMPSE_LOAD_EXTENSIONS": "0"}), ("with", {})):
            km, kc, info, first = start(extra)
            rows[name].append((info, first))
            stop(km, kc)
    base_info = statistics.median(r[0] for r in rows["without"])
    base_first = statistics.median(r[1] for r in rows["without"])
    print("(a) kernel start (median of %d, s)" % kernels)
    print(f"{'':28}{'kernel_info':>12}{'ratio':>8}{'first 1+1':>12}{'ratio':>8}")
    for name in ("without", "with"):
        info = statistics.median(r[0] for r in rows[name])
        first = statistics.median(r[1] for r in rows[name])
        label = "extensions off (baseline)" if name == "without" else "vision extension, loading"
        print(f"{label:28}{info:12.2f}{info / base_info:8.2f}{first:12.2f}{first / base_first:8.2f}")


def overhead(rounds):
    km, kc, _, _ = start({})
    try:
        run(kc, "model();", timeout=120)
        tokens = 24
        setup = (f'var benchImg = image("{IMAGE}");'
                 f'var benchOpts = options().maxTokens({tokens}).noThink().temperature(0);'
                 'var benchPrompt = new dev.glimpse.engine.Prompt(java.util.List.of('
                 'dev.glimpse.engine.Message.user("Describe the image.", benchImg.input())));'
                 'var benchGen = benchOpts.applyTo(((dev.glimpse.engine.glm4v.Glm4vModel) model()).defaultOptions());')
        reply, _ = run(kc, setup)
        assert reply["content"]["status"] == "ok", reply["content"]
        bare = ('long t0 = System.nanoTime(); model().generate(benchPrompt, benchGen); '
                '(System.nanoTime() - t0) / 1e6')
        asked = ('long t1 = System.nanoTime(); var a = ask(benchImg, "Describe the image.", benchOpts); '
                 '(System.nanoTime() - t1) / 1e6')
        for code in (bare, asked):  # warm-up
            run(kc, code, timeout=120)
        times = {"bare": [], "ask": []}
        updates = []
        for _ in range(rounds):
            for name, code in (("bare", bare), ("ask", asked)):
                reply, outputs = run(kc, code, timeout=120)
                assert reply["content"]["status"] == "ok", reply["content"]
                times[name].append(float(result_text(outputs)))
                if name == "ask":
                    updates.append(sum(1 for m in outputs if m["msg_type"] == "update_display_data"))
        base = statistics.median(times["bare"])
        print(f"\n(b) one question, {tokens} tokens, greedy, in one kernel (median of {rounds}, ms inside the cell)")
        print(f"{'':44}{'ms':>9}{'ratio':>8}")
        print(f"{'model().generate(..) (baseline)':44}{base:9.1f}{1.0:8.2f}")
        mid = statistics.median(times["ask"])
        print(f"{'ask(..) streaming into the cell':44}{mid:9.1f}{mid / base:8.2f}")
        print(f"updates per answer: median {statistics.median(updates)}; overhead {mid - base:+.1f} ms per answer")
    finally:
        stop(km, kc)


if __name__ == "__main__":
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    startup()
    overhead(rounds)
