"""Set-up for the web page tests: headless Chromium (Debian's package, driven by Playwright) and `glimpse web` servers.

Playwright's own browser downloads cannot be reached here, so Playwright drives the system's Chromium. Where it is
missing and we are root, it is installed with apt; elsewhere the tests skip with one loud line, except under CI=true,
where a missing browser fails them.
"""
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SCREENSHOTS = ROOT / "target" / "web-screenshots"


def chromium_path():
    """The system Chromium, installing Debian's package when root and it is missing; None when there is none."""
    for candidate in (os.environ.get("GLIMPSE_CHROMIUM"), shutil.which("chromium"), shutil.which("chromium-browser"),
                      "/usr/bin/chromium"):
        if candidate and os.path.exists(candidate):
            return candidate
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        print("web tests: installing Debian's chromium with apt-get (once)", file=sys.stderr)
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        for attempt in range(5):  # another apt may hold the dpkg lock for a while
            subprocess.run(["apt-get", "update", "-q"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            done = subprocess.run(["apt-get", "install", "-y", "-q", "chromium"], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            if done.returncode == 0:
                break
            time.sleep(10)
        if os.path.exists("/usr/bin/chromium"):
            return "/usr/bin/chromium"
    return None


def require_browser():
    """Chromium's path, or a skip (a failure under CI=true) that says what is missing."""
    path = chromium_path()
    problem = None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problem = "Python Playwright is not installed (pip install -r src/test/python/requirements.txt)"
    if path is None:
        problem = "no Chromium (apt-get install chromium, or set GLIMPSE_CHROMIUM to a Chromium binary)"
    if problem:
        line = "!!! WEB PAGE TESTS NOT RUN: " + problem + " !!!"
        print("\n" + line, file=sys.stderr)
        if os.environ.get("CI") == "true":
            pytest.fail(line + " (CI=true: a missing browser is a failure)", pytrace=False)
        # Issue 15 asks for exactly this: on a developer's machine without root or apt, a loud skip; under CI=true the
        # failure above. The set-up installs Chromium with apt as root, so CI and these machines never reach it.
        pytest.skip(line)
    return path


class WebServer:
    """`./glimpse web --no-browser --port 0` in its own JVM; stdout's first line is the page's address."""

    def __init__(self, model, *args):
        self.log = []
        self.process = subprocess.Popen(
            [str(ROOT / "glimpse"), "web", "--no-browser", "--port", "0", "--model", str(model), *args],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={k: v for k, v in os.environ.items() if k != "GLIMPSE_API_KEY"})
        threading.Thread(target=self._drain, daemon=True).start()
        line = self.process.stdout.readline().strip()
        if not line.startswith("http://"):
            self.process.kill()
            raise RuntimeError("glimpse web did not start: " + line + "\n" + "".join(self.log))
        self.url = line

    def _drain(self):
        for line in self.process.stderr:
            self.log.append(line)

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / (name + ".png")), full_page=False)
