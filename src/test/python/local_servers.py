"""Helpers for tests that start Glimpse's servers as subprocesses: free ports, authorised JSON requests, waiting."""
import json
import socket
import time
import urllib.error
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url, authorization):
    request = urllib.request.Request(url, headers={"Authorization": authorization})
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.load(response)


def http_status(url, authorization=None):
    headers = {"Authorization": authorization} if authorization else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as e:
        return e.code


def wait_until(proc, ready, what, log, seconds=120):
    """Calls ready() until it returns a value other than None; fails when proc exits first or time runs out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"{what}: the process exited with {proc.returncode}:\n{log.read_text()}")
        try:
            value = ready()
            if value is not None:
                return value
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise AssertionError(f"{what}: not ready within {seconds} s:\n{log.read_text()}")
