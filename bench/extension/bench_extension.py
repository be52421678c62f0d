"""Vision extension benchmark: every kernel-side target of issue 5 in one run, each against a baseline measured in the
same run, ending in one summary table (target | measured | baseline | ratio | met).

  (a) start → kernel_info reply, and start → first `1+1` result, with the extension (GLIMPSE_MODEL = the bench model,
      loading in the background) vs without (GLIMPSE_LOAD_EXTENSIONS=0); --kernels kernels each, alternating.
      Target: kernel_info while the model loads ≤ 1.2 × without the extension.
  (b) first answer: start → the result of `ask(image("…png"), "What is in this image?")` sent right after
      kernel_info, so the cell waits for the background load; split into kernel_info, load started, model ready
      (the slot's readyAt and load time) and answer. Target ≤ 3 s. Reference: `glimpse ask --json` with the same question, image and token
      cap (a fresh JVM: start, load, answer), unless --no-cli.
  (c) in one kernel, the same greedy question timed around the call: model().generate(..) (bare engine, no display)
      vs ask(..) (streaming into the cell: display + throttled updates + final bundle), interleaved, --rounds rounds.
      Each call is timed by a method the cell calls, so the time is one snippet's run: in a cell of several
      snippets (`long t = …; ask(..); elapsed`) it would also count JShell compiling the later snippets, which
      differs between the two calls (a `var` declaration costs another javac pass).
      A third call, the bare engine call again (A/A control), shows the run's noise (the three take turns in
      every place of a round): when the control moves by more than the target's 5 % margin, or ask's difference
      from the baseline is no larger than the control's, the target is reported as not resolved (❔), neither met
      nor missed.
      Target: ask's overhead ≤ 5 % of the answer latency.
  (d) in the same kernel, images/s of askAll(folder, prompt, a fresh CSV, options) vs a plain JShell loop of
      ImageLoader.load + model().generate(..) over the same files with the same options, the loop run twice as an
      A/A control; the three take turns in every place, median of --batch-rounds rounds. Target: askAll ≥ 0.95 × the
      loop's throughput (❔ when the control moves by more than 5 % or askAll's shortfall is no larger than the
      control's difference). Each round's rates are printed in the order run, so a drift shows.

The model is the first argument, else $BENCH_MODEL, else models/glimpse-tiny (the embedded default model).
Images: the 16 synthetic scenes of notebooks/data/scenes/images/, cycled into a temporary folder of --images copies.
Questions in (c) and (d): "Describe the image." with noThink, greedy, at most --tokens tokens; (b) asks the literal
first cell, with the model's default options (generation_config.json).

Run: glimpse bench extension [MODEL_DIR] [--kernels N] [--rounds N] [--images N] [--batch-rounds N] [--tokens N]
     [--no-cli]     (the launcher builds, sets up the venv with jupyter_client and installs the kernelspec)
Quick trial: glimpse bench extension /tmp/model --kernels 1 --rounds 1 --images 10 --batch-rounds 1
"""
import argparse
import json
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from jupyter_client import KernelManager

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src" / "test" / "python"))
from kernel_client import result_text, run  # noqa: E402

SCENES = sorted((ROOT / "notebooks" / "data" / "scenes" / "images").glob("*.png"))
FIRST_IMAGE = SCENES[0]
FIRST_QUESTION = "What is in this image?"
PROMPT = "Describe the image."

TARGET_INFO_RATIO = 1.2
TARGET_FIRST_ANSWER_S = 3.0
TARGET_ASK_OVERHEAD = 0.05
TARGET_ASKALL_RATIO = 0.95


def java_string(s):
    return json.dumps(str(s))  # a JSON string literal is a valid Java string literal for these paths and prompts


def start(model, extra, then_one_plus_one=True):
    """Starts a kernel; returns (km, kc, (wall-clock, monotonic) start, seconds to kernel_info, seconds to the first
    1+1 or None)."""
    env = dict(os.environ)
    env["GLIMPSE_MODEL"] = str(model)
    env.update(extra)
    km = KernelManager(kernel_name="glimpse")
    wall = time.time()
    t0 = time.monotonic()
    km.start_kernel(env=env)
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=120)
    info = time.monotonic() - t0
    first = None
    if then_one_plus_one:
        reply, outputs = run(kc, "1+1", timeout=120)
        first = time.monotonic() - t0
        assert result_text(outputs) == "2", outputs
    return km, kc, (wall, t0), info, first


def stop(km, kc):
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def ok(reply):
    assert reply["content"]["status"] == "ok", reply["content"]


def startup(model, kernels):
    rows = {"with": [], "without": []}
    for _ in range(kernels):
        for name, extra in (("without", {"GLIMPSE_LOAD_EXTENSIONS": "0"}), ("with", {})):
            km, kc, _, info, first = start(model, extra)
            rows[name].append((info, first))
            stop(km, kc)
    base_info = statistics.median(r[0] for r in rows["without"])
    base_first = statistics.median(r[1] for r in rows["without"])
    print(f"(a) kernel start (median of {kernels}, s)")
    print(f"{'':30}{'kernel_info':>12}{'ratio':>8}{'first 1+1':>12}{'ratio':>8}")
    for name in ("without", "with"):
        info = statistics.median(r[0] for r in rows[name])
        first = statistics.median(r[1] for r in rows[name])
        label = "extensions off (baseline)" if name == "without" else "vision extension, loading"
        print(f"{label:30}{info:12.2f}{info / base_info:8.2f}{first:12.2f}{first / base_first:8.2f}")
    with_info = statistics.median(r[0] for r in rows["with"])
    return with_info, base_info


def first_answer(model, kernels):
    """start → kernel_info → the first ask cell (waiting for the background load) → its result."""
    runs = []
    for _ in range(kernels):
        km, kc, (wall, t0), info, _ = start(model, {}, then_one_plus_one=False)
        try:
            reply, _ = run(kc, f"ask(image({java_string(FIRST_IMAGE)}), {java_string(FIRST_QUESTION)})", timeout=300)
            answered = time.monotonic() - t0
            ok(reply)
            reply, outputs = run(kc, 'modelStatus().readyAtEpochMillis() + " " + lastAnswer().millis() + " " '
                                     '+ lastAnswer().completionTokens() + " " + modelStatus().loadMillis()')
            ok(reply)
            ready_at, answer_ms, tokens, load_ms = result_text(outputs).strip('"').split()
            ready = int(ready_at) / 1000 - wall
            runs.append((info, ready, answered, float(answer_ms) / 1000, int(tokens), float(load_ms) / 1000))
        finally:
            stop(km, kc)
    med = [statistics.median(r[i] for r in runs) for i in range(6)]
    print(f"\n(b) first answer after kernel start: kernel_info, then ask(image(\"{FIRST_IMAGE.name}\"), "
          f"\"{FIRST_QUESTION}\") with the model's default options (median of {kernels}, s from start_kernel)")
    # load started = ready − the slot's own load time; the gap before it is the extension starting up (JShell, DJL)
    print(f"{'kernel_info':>12}{'load started':>14}{'model ready':>13}{'answer':>9}   (the answer itself "
          f"{med[3]:.2f} s, {med[4]:.0f} tokens)")
    print(f"{med[0]:12.2f}{med[1] - med[5]:14.2f}{med[1]:13.2f}{med[2]:9.2f}")
    return med[2], med[4]


def cli_reference(model, tokens):
    """`glimpse ask --json` in a fresh JVM with the same question, image and token cap: wall seconds and its parts."""
    config = pathlib.Path(model) / "generation_config.json"
    max_tokens = json.loads(config.read_text()).get("max_new_tokens", 1024) if config.exists() else 1024
    cmd = [str(ROOT / "glimpse"), "ask", "--json", "--model", str(model), "--image", str(FIRST_IMAGE),
           "--prompt", FIRST_QUESTION, "--max-tokens", str(max_tokens), "--temperature", "0"]
    t0 = time.monotonic()
    done = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.monotonic() - t0
    if done.returncode != 0:
        print(f"glimpse ask failed ({done.returncode}): {done.stderr.strip()[-500:]}")
        return None
    out = json.loads(done.stdout)
    t = out["timings_ms"]
    print(f"reference, bare engine: glimpse ask --json (new JVM, same question, --max-tokens {max_tokens}, greedy): "
          f"{wall:.2f} s wall = JVM start + load {t['load'] / 1000:.2f} s + answer {t['total'] / 1000:.2f} s "
          f"({out['completion_tokens']} tokens; the kernel's answer had {tokens})")
    return wall


def in_kernel(model, rounds, tokens, images, batch_rounds):
    """(c) ask vs generate and (d) askAll vs a generate loop, in one kernel."""
    km, kc, _, _, _ = start(model, {}, then_one_plus_one=False)
    work = pathlib.Path(tempfile.mkdtemp(prefix="glimpse-bench-"))
    try:
        folder = work / "scenes"
        folder.mkdir()
        for i in range(images):
            shutil.copyfile(SCENES[i % len(SCENES)], folder / f"scene-{i:04d}.png")
        ok(run(kc, "model();", timeout=300)[0])
        setup = (question_setup(tokens) +
                 'var benchLoader = new dev.glimpse.engine.ImageLoader();'
                 'var benchFiles = dev.glimpse.pipeline.BatchItem.fromFolder(java.nio.file.Path.of('
                 f'{java_string(folder)}));'
                 'double benchTimeGenerate() { long t = System.nanoTime(); model().generate(benchPrompt, benchGen); '
                 'return (System.nanoTime() - t) / 1e6; }'
                 f'double benchTimeAsk() {{ long t = System.nanoTime(); ask(benchImg, {java_string(PROMPT)}, benchOpts); '
                 'return (System.nanoTime() - t) / 1e6; }')
        ok(run(kc, setup)[0])
        overhead = ask_overhead(kc, rounds, tokens)
        throughput = askall_throughput(kc, work, images, batch_rounds, tokens)
        return overhead, throughput
    finally:
        stop(km, kc)
        shutil.rmtree(work, ignore_errors=True)


def question_setup(tokens):
    """JShell declarations of (c)'s question: benchImg, benchOpts (ask's options), benchPrompt and benchGen (the same
    question and options for model().generate)."""
    return (f'var benchImg = image({java_string(FIRST_IMAGE)});'
            f'var benchOpts = options().maxTokens({tokens}).noThink().temperature(0);'
            'var benchPrompt = new dev.glimpse.engine.Prompt(java.util.List.of('
            f'dev.glimpse.engine.Message.user({java_string(PROMPT)}, benchImg.input())));'
            'var benchGen = benchOpts.applyTo(((dev.glimpse.engine.glm4v.Glm4vModel) model()).defaultOptions());')


def rotated(calls, r):
    """Round r's order of the calls: each takes each place equally often over the rounds (in a fixed order the
    second of two identical calls measured 3-6 ms slower than the first, as much as the overhead to measure)."""
    return calls[r % len(calls):] + calls[:r % len(calls)]


def ask_overhead(kc, rounds, tokens):
    bare = 'benchTimeGenerate()'
    asked = 'benchTimeAsk()'
    for code in (bare, asked):  # warm-up
        ok(run(kc, code, timeout=300)[0])
    times = {"bare": [], "again": [], "ask": []}
    updates = []
    calls = (("bare", bare), ("again", bare), ("ask", asked))
    for r in range(rounds):
        for name, code in rotated(calls, r):
            reply, outputs = run(kc, code, timeout=300)
            ok(reply)
            times[name].append(float(result_text(outputs)))
            if name == "ask":
                updates.append(sum(1 for m in outputs if m["msg_type"] == "update_display_data"))
    base = statistics.median(times["bare"])
    again = statistics.median(times["again"])
    mid = statistics.median(times["ask"])
    print(f"\n(c) one question, ≤ {tokens} tokens, noThink, greedy, in one kernel "
          f"(median of {rounds}, ms around the call)")
    print(f"{'':44}{'ms':>9}{'ratio':>8}")
    print(f"{'model().generate(..) (baseline)':44}{base:9.1f}{1.0:8.2f}")
    print(f"{'model().generate(..) again (A/A control)':44}{again:9.1f}{again / base:8.2f}")
    print(f"{'ask(..) streaming into the cell':44}{mid:9.1f}{mid / base:8.2f}")
    print(f"updates per answer: median {statistics.median(updates)}; overhead {mid - base:+.1f} ms per answer, "
          f"same work differing by {again - base:+.1f} ms")
    return mid, base, again


def askall_throughput(kc, work, images, batch_rounds, tokens):
    loop = ('long t2 = System.nanoTime(); int benchN = 0; for (var f : benchFiles) { '
            'model().generate(dev.glimpse.engine.Prompt.of(' + java_string(PROMPT) + ', '
            'benchLoader.load(f.path())), benchGen); benchN++; } '
            'benchN + " " + (System.nanoTime() - t2) / 1e6')

    def askall(r):
        csv = work / f"answers-round-{r}.csv"  # a fresh file each round, so nothing is reused from an earlier one
        return (f'long t3 = System.nanoTime(); var benchTable = askAll({java_string(work / "scenes")}, '
                f'{java_string(PROMPT)}, java.nio.file.Path.of({java_string(csv)}), benchOpts); '
                'benchTable.rowCount() + " " + (System.nanoTime() - t3) / 1e6')

    rates = {"loop": [], "again": [], "askAll": []}
    rounds = []  # each round's (name, rate) in the order run
    for r in range(batch_rounds):
        calls = (("loop", loop), ("again", loop), ("askAll", askall(r)))  # the loop twice: A/A control
        rounds.append([])
        for name, code in rotated(calls, r):
            reply, outputs = run(kc, code, timeout=3600)
            ok(reply)
            count, millis = result_text(outputs).strip('"').split()
            assert int(count) == images, f"{name} answered {count} of {images} images"
            rates[name].append(images / (float(millis) / 1000))
            rounds[-1].append((name, rates[name][-1]))
    base = statistics.median(rates["loop"])
    again = statistics.median(rates["again"])
    mid = statistics.median(rates["askAll"])
    print(f"\n(d) {images} images (the {len(SCENES)} scenes of notebooks/data/scenes/images cycled as copies), "
          f"\"{PROMPT}\", ≤ {tokens} tokens, noThink, greedy (median of {batch_rounds}, rotated, images/s)")
    print(f"{'':52}{'img/s':>9}{'ratio':>8}")
    print(f"{'loop of ImageLoader.load + model().generate (baseline)':52}{base:9.2f}{1.0:8.2f}")
    print(f"{'the same loop again (A/A control)':52}{again:9.2f}{again / base:8.2f}")
    print(f"{'askAll(folder, prompt, fresh CSV, options)':52}{mid:9.2f}{mid / base:8.2f}")
    for r, ran in enumerate(rounds, 1):  # the rounds themselves: a drift shows here, not in the medians
        print(f"  round {r}: " + " → ".join(f"{name} {rate:.2f}" for name, rate in ran))
    return mid, base, again


def judged(met, measured, base, again, margin):
    """The verdict on a target: met, missed, or None when this run cannot tell: the A/A control (the baseline
    measured again) moved by more than the target's margin, so a pass is as likely noise as a miss, or a miss is
    no further from the baseline than the control."""
    if abs(again / base - 1) > margin:
        return None
    return met if met or abs(measured - base) > abs(again - base) else None


def summary(info, first, cli, overhead, throughput):
    rows = []
    with_info, base_info = info
    rows.append(("kernel_info while the model loads ≤ 1.2× without extension", f"{with_info:.2f} s",
                 f"{base_info:.2f} s", with_info / base_info, with_info / base_info <= TARGET_INFO_RATIO))
    answer_s = first
    rows.append(("first answer after kernel start ≤ 3 s", f"{answer_s:.2f} s",
                 f"{cli:.2f} s (glimpse ask)" if cli else "—", answer_s / cli if cli else None,
                 answer_s <= TARGET_FIRST_ANSWER_S))
    ask_ms, bare_ms, again_ms = overhead
    rows.append(("ask overhead over model().generate ≤ 5 %", f"{ask_ms:.1f} ms", f"{bare_ms:.1f} ms",
                 ask_ms / bare_ms, judged(ask_ms / bare_ms <= 1 + TARGET_ASK_OVERHEAD, ask_ms, bare_ms, again_ms,
                                          TARGET_ASK_OVERHEAD)))
    all_rate, loop_rate, again_rate = throughput
    rows.append(("askAll throughput ≥ 0.95× the generate loop", f"{all_rate:.2f} img/s", f"{loop_rate:.2f} img/s",
                 all_rate / loop_rate, judged(all_rate / loop_rate >= TARGET_ASKALL_RATIO, all_rate, loop_rate,
                                              again_rate, 1 - TARGET_ASKALL_RATIO)))
    print("\nSummary (issue 5 targets)")
    print(f"{'target':62}{'measured':>14}{'baseline':>26}{'ratio':>8}  met")
    for target, measured, baseline, ratio, met in rows:
        r = f"{ratio:.2f}" if ratio is not None else "—"
        verdict = "❔ within the A/A control's noise" if met is None else "✅" if met else "❌"
        print(f"{target:62}{measured:>14}{baseline:>26}{r:>8}  {verdict}")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("model", nargs="?", default=os.environ.get("BENCH_MODEL", str(ROOT / "models" / "glimpse-tiny")),
                   help="GLM-4V model directory (default $BENCH_MODEL, else models/glimpse-tiny)")
    p.add_argument("--kernels", type=int, default=3, help="kernel starts per variant in (a) and (b) (default 3)")
    p.add_argument("--rounds", type=int, default=200,
                   help="rounds of generate, generate again and ask in (c) (default 200: fewer do not resolve 3 ms)")
    p.add_argument("--images", type=int, default=200, help="images for askAll vs the loop in (d) (default 200)")
    p.add_argument("--batch-rounds", type=int, default=3, help="rounds of askAll vs the loop in (d) (default 3)")
    p.add_argument("--tokens", type=int, default=24, help="most tokens per answer in (c) and (d) (default 24)")
    p.add_argument("--no-cli", action="store_true", help="skip the glimpse ask reference in (b)")
    a = p.parse_args()
    model = pathlib.Path(a.model).resolve()
    if not (model / "config.json").is_file():
        sys.exit(f"bench extension: no model at {model} (no config.json). Pass a GLM-4V model directory as the first "
                 f"argument or in BENCH_MODEL, or train the default one into models/glimpse-tiny.")
    print(f"model: {model}\n")
    info = startup(model, a.kernels)
    first, tokens = first_answer(model, a.kernels)
    cli = None if a.no_cli else cli_reference(model, tokens)
    overhead, throughput = in_kernel(model, a.rounds, a.tokens, a.images, a.batch_rounds)
    summary(info, first, cli, overhead, throughput)


if __name__ == "__main__":
    main()
