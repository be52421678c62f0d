"""Runs the Java engine and transformers in alternating processes and prints a Markdown table with ratios.

Started by bench/engine/run.sh, which prepares the model, the image and the classpaths. Standard library only
(the children need torch / the JVM, this driver does not).

Each round starts one process per side (the order alternates between rounds), each with the same intra-op thread
count; a side's figure is the median over rounds of its per-process medians, peak RSS the largest over rounds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def loadavg() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def run_child(label: str, cmd: list[str], env: dict) -> dict:
    before = loadavg()
    launched = time.time()
    proc = subprocess.run(cmd + [repr(launched)], env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-4000:])
        raise SystemExit(f"{label} failed with exit code {proc.returncode}")
    line = [l for l in proc.stdout.splitlines() if l.startswith("{")][-1]
    result = json.loads(line)
    result["loadavg"] = (before, loadavg())
    print(f"  {label:<24} load {before:.2f}->{result['loadavg'][1]:.2f}  prefill {result['prefill_ms_median']:8.1f} ms"
          f"  decode {result['decode_tok_s_median']:6.2f} tok/s  load {result['load_s']:.2f} s"
          f"  rss {result['peak_rss_mb']:.0f} MB", file=sys.stderr, flush=True)
    return result


def summarise(results: list[dict]) -> dict:
    med = lambda key: statistics.median(r[key] for r in results)  # noqa: E731
    return {
        "load_s": med("load_s"),
        "startup_s": med("startup_s"),
        "prefill_ms": med("prefill_ms_median"),
        "prefill_ms_best": min(x for r in results for x in r["prefill_ms"]),
        "prefill_cpu_ms": med("prefill_cpu_ms_median"),
        "decode_tok_s": med("decode_tok_s_median"),
        "decode_tok_s_best": max(x for r in results for x in r["decode_tok_s"]),
        "decode_cpu_ms": med("decode_cpu_ms_per_token_median"),
        "peak_rss_mb": max(r["peak_rss_mb"] for r in results),
        "rss_anon_mb": max(r.get("rss_anon_mb", float("nan")) for r in results),
        "prompt_tokens": results[0]["prompt_tokens"],
        "tokens": results[0]["tokens"],
        "version": results[0]["version"]
        + (f"; bf16 rows: {results[0]['bf16_row_route']}" if "bf16_row_route" in results[0] else ""),
        "loadavg": [x for r in results for x in r["loadavg"]],
    }


def table(sides: dict[str, dict], base: str, args) -> str:
    javas = [k for k in sides if k != base]
    b = sides[base]
    rows = [
        ("load: model directory → ready (s)", "load_s", "{:.2f}", None),
        ("start-up: process launch → ready (s)", "startup_s", "{:.2f}", None),
        (f"prefill: 448×448 image + {b['prompt_tokens']}-token prompt → first token (ms)", "prefill_ms", "{:.0f}",
         "≤ 1.0"),
        ("prefill, best repetition (ms)", "prefill_ms_best", "{:.0f}", None),
        ("prefill CPU time, all threads (ms)", "prefill_cpu_ms", "{:.0f}", None),
        (f"decode: {args.decode_tokens} greedy tokens (tok/s)", "decode_tok_s", "{:.2f}", "≥ 1.0"),
        ("decode, best repetition (tok/s)", "decode_tok_s_best", "{:.2f}", None),
        ("decode CPU time per token, all threads (ms)", "decode_cpu_ms", "{:.1f}", None),
        ("peak RSS, VmHWM (MB)", "peak_rss_mb", "{:.0f}", None),
        ("anonymous RSS at the end, RssAnon (MB)", "rss_anon_mb", "{:.0f}", None),
    ]
    head = ["", *javas, base, *[f"{j} / {base}" for j in javas], "target"]
    out = ["| " + " | ".join(head) + " |", "|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|"]
    for name, key, fmt, target in rows:
        cells = [name, *[fmt.format(sides[j][key]) for j in javas], fmt.format(b[key])]
        for j in javas:
            ratio = sides[j][key] / b[key]
            mark = ""
            if target:
                ok = ratio <= 1.0 if target.startswith("≤") else ratio >= 1.0
                mark = " ✅" if ok else " ❌"
            cells.append(f"{ratio:.2f}×{mark}")
        cells.append(target or "")
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out)


def token_check(sides: dict[str, dict], base: str, first: int) -> list[str]:
    ref = sides[base]["tokens"]
    lines = []
    for name, s in sides.items():
        if name == base:
            continue
        t = s["tokens"]
        same = next((i for i, (x, y) in enumerate(zip(t, ref)) if x != y), min(len(t), len(ref)))
        verdict = "same" if t[:first] == ref[:first] else "DIFFERENT"
        lines.append(f"- greedy tokens, {name} vs {base}: first {first} {verdict} ({t[:first]}); "
                     f"identical for {same} of {len(ref)} tokens")
    return lines


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True)
    p.add_argument("--image", required=True)
    p.add_argument("--prompt", required=True)
    p.add_argument("--python", required=True, help="python of the torch venv")
    p.add_argument("--java", default="java")
    p.add_argument("--java-cp", action="append", required=True, metavar="LABEL=CLASSPATH",
                   help="a Java side to run (repeat to compare engine versions)")
    p.add_argument("--java-dtype", action="append", default=[], metavar="LABEL=DTYPE",
                   help="the dtype of a Java side (default: --dtype)")
    p.add_argument("--dtype", default="float32", choices=["float32", "bfloat16"],
                   help="what transformers computes in, and the Java sides unless --java-dtype says otherwise")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--prefill-reps", type=int, default=5)
    p.add_argument("--decode-reps", type=int, default=3)
    p.add_argument("--decode-tokens", type=int, default=64)
    p.add_argument("--json", type=Path, help="also write every process's raw results here")
    args = p.parse_args(argv)

    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads), MKL_NUM_THREADS=str(args.threads),
               TOKENIZERS_PARALLELISM="false", HF_HUB_OFFLINE="1", TRANSFORMERS_VERBOSITY="error")
    common = [args.model, args.image, args.prompt]
    reps = [str(args.threads), str(args.prefill_reps), str(args.decode_reps), str(args.decode_tokens)]
    base = "transformers"
    commands = {}
    java_dtypes = dict(spec.split("=", 1) for spec in args.java_dtype)
    for spec in args.java_cp:
        label, cp = spec.split("=", 1)
        # jdk.incubator.vector: the engine's bf16 decoding rows, as the glimpse launcher runs it
        commands[label] = [args.java, "--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector",
                           "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                           f"-Dglimpse.bench.dtype={java_dtypes.get(label, args.dtype)}", "-cp", cp,
                           "dev.glimpse.engine.glm4v.EngineBench", *common, *reps]
    commands[base] = [args.python, str(HERE / "bench_transformers.py"), "run", *common,
                      "--threads", reps[0], "--prefill-reps", reps[1], "--decode-reps", reps[2],
                      "--decode-tokens", reps[3], "--dtype", args.dtype, "--launched"]

    raw: dict[str, list[dict]] = {k: [] for k in commands}
    order = list(commands)
    for r in range(args.rounds):
        print(f"round {r + 1}/{args.rounds}", file=sys.stderr, flush=True)
        for label in (order if r % 2 == 0 else order[::-1]):
            raw[label].append(run_child(label, commands[label], env))
    if args.json:
        args.json.write_text(json.dumps(raw, indent=1))

    sides = {k: summarise(v) for k, v in raw.items()}
    loads = [x for s in sides.values() for x in s["loadavg"]]
    print(f"transformers in {args.dtype}; Java sides: "
          + ", ".join(f"{k} in {java_dtypes.get(k, args.dtype)}" for k in commands if k != base) + ".")
    print(f"{args.threads} threads, {args.rounds} rounds (processes alternate), medians; prefill over "
          f"{args.prefill_reps} repetitions and decode over {args.decode_reps} per process, after a warm-up. "
          f"1-minute load average during the runs: {min(loads):.2f}–{max(loads):.2f} on {os.cpu_count()} CPUs.\n")
    print(table(sides, base, args))
    print()
    for name, s in sides.items():
        print(f"- {name}: {s['version']}")
    for line in token_check(sides, base, 8):
        print(line)


if __name__ == "__main__":
    main()
