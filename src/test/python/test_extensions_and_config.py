"""The extension SPI and the GLIMPSE_* settings, end to end: an extension jar built here and put on
GLIMPSE_CLASSPATH registers a renderer, a magic, an import and start-up code, and starts slow background work that
must not delay kernel_info; start-up scripts run; GLIMPSE_TIMEOUT interrupts a runaway cell."""
import os
import pathlib
import shutil
import subprocess
import textwrap
import time

import pytest
from jupyter_client import KernelManager

from kernel_client import assert_alive, result_text, run, stdout_text

ROOT = pathlib.Path(__file__).resolve().parents[3]

EXTENSION = textwrap.dedent("""
    package demo;

    import dev.glimpse.kernel.spi.ExtensionContext;
    import dev.glimpse.kernel.spi.KernelExtension;
    import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

    public final class DemoExtension implements KernelExtension {
        public static volatile boolean backgroundDone;

        public record Celsius(double value) { }

        public static Celsius celsius(double value) {
            return new Celsius(value);
        }

        @Override
        public void install(ExtensionContext context) {
            context.renderer().createRegistration(Celsius.class)
                    .preferring(MIMEType.TEXT_HTML).supporting(MIMEType.TEXT_PLAIN)
                    .register((c, ctx) -> {
                        ctx.renderIfRequested(MIMEType.TEXT_HTML, () -> "<b>" + c.value() + " &deg;C</b>");
                        ctx.renderIfRequested(MIMEType.TEXT_PLAIN, () -> c.value() + " C");
                    });
            context.magics().registerLineMagic("shout", "Prints its argument in capitals.",
                    (args, magic) -> { magic.out().println(args.toUpperCase()); return null; });
            context.addImports("import static demo.DemoExtension.*;");
            context.addStartupCode("String greeting = \\"hello from the extension\\";");
            context.background("slow-load", () -> {
                Thread.sleep(8000);
                backgroundDone = true;
                return null;
            });
        }
    }
""")


@pytest.fixture(scope="module")
def extension_jar(tmp_path_factory):
    work = tmp_path_factory.mktemp("ext")
    src = work / "src" / "demo"
    src.mkdir(parents=True)
    (src / "DemoExtension.java").write_text(EXTENSION)
    services = work / "classes" / "META-INF" / "services"
    services.mkdir(parents=True)
    (services / "dev.glimpse.kernel.spi.KernelExtension").write_text("demo.DemoExtension\n")
    classpath = f"{ROOT / 'target' / 'glimpse.jar'}:{ROOT / 'target' / 'lib'}/*"
    javac = shutil.which("javac", path=os.path.join(os.environ["JAVA_HOME"], "bin")) if os.environ.get(
        "JAVA_HOME") else shutil.which("javac")
    subprocess.run([javac, "--release", "17", "-cp", classpath, "-d", str(work / "classes"),
                    str(src / "DemoExtension.java")], check=True)
    jar = work / "demo-extension.jar"
    subprocess.run([shutil.which("jar"), "cf", str(jar), "-C", str(work / "classes"), "."], check=True)
    return jar


def start(env_extra):
    env = dict(os.environ)
    env.update(env_extra)
    km = KernelManager(kernel_name="glimpse")
    started = time.monotonic()
    km.start_kernel(env=env)
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=90)
    return km, kc, time.monotonic() - started


def stop(km, kc):
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def test_extension_registers_renderer_magic_imports_and_startup_code(extension_jar, tmp_path):
    script = tmp_path / "startup.jsh"
    script.write_text("int fromScriptsPath = 7;\n")
    km, kc, ready_after = start({
        "GLIMPSE_CLASSPATH": str(extension_jar),
        "GLIMPSE_STARTUP_SCRIPTS_PATH": str(script),
        "IJAVA_STARTUP_SCRIPT": "int fromIJavaName = 11;",
    })
    try:
        # kernel_info came back although the extension's background work takes 8 s
        reply, outputs = run(kc, "demo.DemoExtension.backgroundDone")
        assert result_text(outputs) == "false", "the background work should still be running"
        print(f"kernel_info answered {ready_after:.2f} s after start, before the 8 s background load")

        reply, outputs = run(kc, "celsius(21.5)")
        result = [m for m in outputs if m["msg_type"] == "execute_result"][0]["content"]["data"]
        assert result["text/html"] == "<b>21.5 &deg;C</b>"
        assert result["text/plain"] == "21.5 C"

        reply, outputs = run(kc, "%shout quiet words")
        assert stdout_text(outputs) == "QUIET WORDS\n"

        reply, outputs = run(kc, "greeting + \" \" + fromScriptsPath + \" \" + fromIJavaName")
        assert result_text(outputs) == "hello from the extension 7 11"
    finally:
        stop(km, kc)


def test_failing_start_up_script_is_reported_in_the_first_cell():
    km, kc, _ = start({"GLIMPSE_STARTUP_SCRIPT": "int broken = ;"})
    try:
        reply, outputs = run(kc, "1 + 1")
        assert reply["content"]["status"] == "ok"
        assert "GLIMPSE_STARTUP_SCRIPT" in stdout_text(outputs, "stderr")
        assert result_text(outputs) == "2"
    finally:
        stop(km, kc)


def test_timeout_interrupts_a_runaway_cell():
    km, kc, _ = start({"GLIMPSE_TIMEOUT": "2000"})
    try:
        started = time.monotonic()
        reply, _ = run(kc, "while (true) { }", timeout=60)
        assert reply["content"]["status"] == "error"
        print(f"GLIMPSE_TIMEOUT=2000 stopped the loop after {time.monotonic() - started:.2f} s")
        assert_alive(kc)
    finally:
        stop(km, kc)
