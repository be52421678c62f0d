"""Kernel latency benchmark: Glimpse against ipykernel on the same machine, in one run.

Measures, for each kernel:
  (a) process start -> kernel_info_reply (ms), median of several starts
  (b) round trip of N execute_requests of an empty cell (median, p95 ms)
  (c) the same for `1+1`
  (d) resident memory (RSS, MB) once the kernel has started and run one cell
and prints a Markdown table with Glimpse/ipykernel ratios and the targets.

Run with `./glimpse bench kernel [--runs N] [--starts K]`. Not a test: timings on shared machines are noisy,
so compare ratios from one run, never absolute numbers across runs.
"""
import argparse
import os
import statistics
import sys
import time

from jupyter_client import KernelManager


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def kernel_pid(km):
    provisioner = getattr(km, "provisioner", None)
    if provisioner is not None and getattr(provisioner, "process", None) is not None:
        return provisioner.process.pid
    return km.kernel.pid


def start(name):
    """Starts a kernel; returns (manager, client, ms from start to kernel_info_reply)."""
    km = KernelManager(kernel_name=name)
    t0 = time.perf_counter()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    # Ask repeatedly, as clients do, until the kernel answers any of the requests.
    sent = set()
    while True:
        sent.add(kc.kernel_info())
        try:
            reply = kc.get_shell_msg(timeout=0.5)
        except Exception:
            continue
        if reply["parent_header"].get("msg_id") in sent:
            break
    elapsed = (time.perf_counter() - t0) * 1000
    # Replies to the other requests may still come: let them arrive and drop them.
    time.sleep(0.6)
    while True:
        try:
            kc.get_shell_msg(timeout=0.05)
        except Exception:
            break
    return km, kc, elapsed


def drain_iopub(kc, msg_id):
    while True:
        msg = kc.get_iopub_msg(timeout=30)
        if (msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status"
                and msg["content"]["execution_state"] == "idle"):
            return


def round_trips(kc, code, n):
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        msg_id = kc.execute(code, store_history=False)
        while True:
            reply = kc.get_shell_msg(timeout=60)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        times.append((time.perf_counter() - t0) * 1000)
        assert reply["content"]["status"] == "ok", reply["content"]
        drain_iopub(kc, msg_id)
    return times


def p95(values):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]


def measure(name, runs, starts):
    start_ms = []
    for i in range(starts):
        km, kc, ms = start(name)
        start_ms.append(ms)
        if i < starts - 1:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
    # The last kernel stays up for the round trips and memory.
    print(f"  {name}: started ({statistics.median(start_ms):.0f} ms), warming up", file=sys.stderr)
    warm = round_trips(kc, "1+1", 10)  # warm-up (JShell compiles its first snippet)
    rss = rss_mb(kernel_pid(km))
    empty = round_trips(kc, "", runs)
    one_plus_one = round_trips(kc, "1+1", runs)
    kc.stop_channels()
    km.shutdown_kernel(now=True)
    return {
        "start": statistics.median(start_ms),
        "empty_median": statistics.median(empty), "empty_p95": p95(empty),
        "add_median": statistics.median(one_plus_one), "add_p95": p95(one_plus_one),
        "rss": rss, "first_cell": warm[0],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=200, help="execute_requests per measurement")
    parser.add_argument("--starts", type=int, default=5, help="kernel starts for the start-up figure")
    parser.add_argument("--kernel", default="glimpse")
    parser.add_argument("--baseline", default="python3")
    args = parser.parse_args()

    print(f"# Kernel benchmark ({os.cpu_count()} cores, {args.runs} requests, {args.starts} starts)\n",
          file=sys.stderr)
    base = measure(args.baseline, args.runs, args.starts)
    ours = measure(args.kernel, args.runs, args.starts)

    rows = [
        ("(a) start -> kernel_info_reply (ms)", "start", "<= 1.0x ipykernel"),
        ("(b) empty cell, median RTT (ms)", "empty_median", "<= 1.5x ipykernel"),
        ("(b) empty cell, p95 RTT (ms)", "empty_p95", ""),
        ("(c) `1+1`, median RTT (ms)", "add_median", "<= 30 ms"),
        ("(c) `1+1`, p95 RTT (ms)", "add_p95", ""),
        ("(d) RSS after start (MB)", "rss", "<= 250 MB"),
        ("first cell after start (ms)", "first_cell", ""),
    ]
    print(f"| measure | Glimpse | ipykernel | ratio | target |")
    print(f"|---|---:|---:|---:|---|")
    for label, key, target in rows:
        ratio = ours[key] / base[key] if base[key] else float("nan")
        print(f"| {label} | {ours[key]:.1f} | {base[key]:.1f} | {ratio:.2f}x | {target} |")


if __name__ == "__main__":
    main()
