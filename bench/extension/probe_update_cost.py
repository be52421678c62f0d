"""What one update_display_data sent while the model generates costs the generation: in one kernel, model().generate
with a listener that sends an update on each of its first k tokens (k = 0 twice as an A/A control, 4 small, 4 carrying
a 6 KB image, 12 small), and one small update sent just before generate (as ask's question display is: the message
is handed to ZeroMQ at once, but its sending overlaps the start of the generation), the calls rotated through every
place of a round; prints the median ms of each and its difference from the first k = 0. Explains ask()'s overhead
in bench_extension.py (c).

  .venv/bin/python bench/extension/probe_update_cost.py [rounds, default 60]   (after ./glimpse bench extension once)
"""
import pathlib
import statistics
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import bench_extension as be  # noqa: E402
model = be.ROOT / "models" / "glimpse-tiny"
rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 60
km, kc, _, _, _ = be.start(model, {}, then_one_plus_one=False)
try:
    be.ok(be.run(kc, "model();", timeout=300)[0])
    setup = (be.question_setup(24) +
             'var bigHtml = html("<img src=\\"data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(new byte[4600]) + "\\">");'
             'double tMsgs(int k, boolean big) { String id = display("x"); int[] n = {0}; long t = System.nanoTime();'
             ' model().generate(benchPrompt, benchGen, tok -> { if (n[0]++ < k) updateDisplay(id, big ? bigHtml : html("tok " + n[0])); }, () -> false);'
             ' return (System.nanoTime() - t) / 1e6; }'
             'double tBefore() { String id = display("x"); long t = System.nanoTime(); updateDisplay(id, html("q"));'
             ' model().generate(benchPrompt, benchGen); return (System.nanoTime() - t) / 1e6; }')
    be.ok(be.run(kc, setup)[0])
    calls = [("k0", "tMsgs(0,false)"), ("k0b", "tMsgs(0,false)"), ("k4s", "tMsgs(4,false)"), ("k4b", "tMsgs(4,true)"),
             ("k12s", "tMsgs(12,false)"), ("before", "tBefore()")]
    for _, c in calls:
        be.ok(be.run(kc, c, timeout=300)[0])
    times = {n: [] for n, _ in calls}
    for r in range(rounds):
        for name, code in be.rotated(calls, r):
            reply, outs = be.run(kc, code, timeout=300)
            be.ok(reply)
            times[name].append(float(be.result_text(outs)))
    base = statistics.median(times["k0"])
    print("  ".join(f"{n} {statistics.median(v):.1f} ({statistics.median(v) - base:+.1f})" for n, v in times.items()))
finally:
    be.stop(km, kc)
