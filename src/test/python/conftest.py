"""Shared set-up for the Python tests: every kernel started by a test keeps its history in a temporary file."""
import os
import tempfile

_history_dir = tempfile.mkdtemp(prefix="glimpse-test-history-")
os.environ.setdefault("GLIMPSE_HISTORY", os.path.join(_history_dir, "history.jsonl"))
os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
