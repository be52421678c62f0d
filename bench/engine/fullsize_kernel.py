#!/usr/bin/env python3
"""The full-size model in a real Glimpse kernel: `%model DIR`, then `ask(image, "What is in this image?")` with a
few tokens, while the kernel process's memory is sampled from /proc every 0.25 s. Run by hand (issue 14, item 3),
with the project venv (jupyter_client) and the kernelspec installed (`./glimpse kernel install`):

    JUPYTER_PATH=.venv/share/jupyter .venv/bin/python bench/engine/fullsize_kernel.py /work/fullsize IMAGE.png [TOKENS]

Prints what each cell showed and a Markdown table: load and answer times, peak RSS (VmHWM), peak anonymous memory
(RssAnon), peak file-backed memory (RssFile: the memory-mapped shards), and whether the answer streamed (more than
one update of its display before the end).
"""
import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src/test/python"))
from kernel_client import run, started_kernel  # noqa: E402


def status_kb(pid):
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
                out[key] = int(value.split()[0])
    return out


class Sampler(threading.Thread):
    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop = pid, {}, threading.Event()

    def run(self):
        while not self.stop.is_set():
            try:
                for k, v in status_kb(self.pid).items():
                    self.peak[k] = max(self.peak.get(k, 0), v)
            except OSError:
                return
            time.sleep(0.25)


def texts(outputs):
    lines = []
    for msg in outputs:
        c = msg["content"]
        if msg["msg_type"] == "stream":
            lines.append(c["text"].rstrip())
        elif "data" in c:
            lines.append(c["data"].get("text/plain", "").rstrip())
        elif msg["msg_type"] == "error":
            lines.append(f"{c['ename']}: {c['evalue']}")
    return lines


def main():
    model, image = sys.argv[1], sys.argv[2]
    tokens = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    # the kernel loads its default model (glimpse-tiny) at start; %model closes it before loading the big one
    with started_kernel() as (km, kc):
        pid = km.provisioner.process.pid
        sampler = Sampler(pid)
        sampler.start()
        t0 = time.monotonic()
        reply, outputs = run(kc, f'%model "{model}"', timeout=900)
        load_s = time.monotonic() - t0
        print(f"## %model ({reply['content']['status']}, {load_s:.1f} s)")
        print("\n".join(texts(outputs)))
        t1 = time.monotonic()
        code = (f'ask(image("{image}"), "What is in this image?", options().maxTokens({tokens}).noThink())')
        reply, outputs = run(kc, code, timeout=3600)
        ask_s = time.monotonic() - t1
        updates = sum(1 for m in outputs if m["msg_type"] == "update_display_data")
        print(f"## ask ({reply['content']['status']}, {ask_s:.1f} s, {updates} display updates)")
        print("\n".join(texts(outputs)))
        sampler.stop.set()
        sampler.join()
        peak = sampler.peak
        mb = lambda kb: f"{kb / 1024:.0f} MB"  # noqa: E731
        print("\n| | measured | target |\n|---|---:|---:|")
        print(f"| `%model` cell (directory → ready) | {load_s:.1f} s | ≤ 60 s |")
        print(f"| `ask` cell ({tokens} tokens) | {ask_s:.1f} s | streams |")
        print(f"| answer display updates while streaming | {updates} | > 1 |")
        print(f"| peak RSS (VmHWM) | {mb(peak.get('VmHWM', 0))} | ≤ 22 GB |")
        print(f"| peak anonymous memory (RssAnon) | {mb(peak.get('RssAnon', 0))} | ≤ 3 GB |")
        print(f"| peak file-backed memory (RssFile, the mapped shards) | {mb(peak.get('RssFile', 0))} | |")
        print(f"1-minute load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
