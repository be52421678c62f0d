"""Records which classes a kernel session loads, so later kernels start from a CDS archive (AppCDS).

`glimpse kernel install` runs this once per JDK and build: it starts the Glimpse kernel with
-XX:ArchiveClassesAtExit=<archive>, runs a few typical cells (JShell, display, a table, magics, completion,
inspection, a question about an image) and shuts it down; the JVM writes the archive as it exits. Kernels started
afterwards map those classes from the archive instead of loading and verifying them again, which roughly halves the
time to the first reply.

Usage: python kernel/cds_training.py <archive-path>
"""
import json
import os
import pathlib
import sys
import time

from jupyter_client import KernelManager

CELLS = [
    "1+1",
    'System.out.println("hello");',
    'display(html("<b>x</b>"));',
    "import tech.tablesaw.api.*;\nTable t = Table.create(\"t\", IntColumn.create(\"n\", 1, 2, 3));\nt",
    "new java.awt.image.BufferedImage(4, 4, java.awt.image.BufferedImage.TYPE_INT_RGB)",
    "%lsmagic",
    'String s = "abc"; s.length()',
    "int broken = ;",
    'throw new IllegalStateException("training")',
]

ROOT = pathlib.Path(__file__).resolve().parents[1]
TINY_MODEL = ROOT / "models" / "glimpse-tiny"
SCENE = ROOT / "notebooks" / "data" / "scenes" / "images" / "scene-00003.png"
# A notebook's first answer loads the engine's, the image decoder's and the answer display's classes: archived, they
# take about 0.25 s off it. Asked of the bundled model whatever GLIMPSE_MODEL says, so that recording never loads a
# large model or calls an endpoint.
VISION_CELL = f'ask(image({json.dumps(str(SCENE))}), "How many shapes are there?")'


def main():
    archive = os.path.abspath(sys.argv[1])
    env = dict(os.environ)
    env["GLIMPSE_JVM_OPTS"] = (env.get("GLIMPSE_JVM_OPTS", "") + f" -XX:ArchiveClassesAtExit={archive}").strip()
    env["GLIMPSE_CDS"] = "off"  # don't read an archive while writing one
    env["GLIMPSE_HISTORY"] = os.devnull
    cells = list(CELLS)
    if (TINY_MODEL / "config.json").is_file() and SCENE.is_file():
        env["GLIMPSE_MODEL"] = str(TINY_MODEL)
        cells.append(VISION_CELL)
    km = KernelManager(kernel_name="glimpse")
    km.shutdown_wait_time = 300  # writing the archive at exit takes seconds; don't kill the JVM meanwhile
    km.start_kernel(env=env)
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=120)
        for code in cells:
            kc.execute_interactive(code, timeout=120, output_hook=lambda msg: None)
        kc.complete('"abc".subs')
        kc.get_shell_msg(timeout=60)
        kc.inspect("String")
        kc.get_shell_msg(timeout=60)
        kc.is_complete("int x = 7q")
        kc.get_shell_msg(timeout=60)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)  # a clean exit, so the JVM writes the archive
    for _ in range(300):
        if os.path.exists(archive):
            break
        time.sleep(0.1)
    if not os.path.exists(archive):
        sys.exit(f"cds_training: the kernel exited without writing {archive}")


if __name__ == "__main__":
    main()
