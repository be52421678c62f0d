"""Code cells run in a new kernel of a running JupyterLab, the way a notebook in the browser runs them: the kernel is
started for a notebook session through the server's REST API (so it gets the server's environment and starts in its
notebook folder, as a notebook's kernel does) and the cells go over the kernel's websocket. test_start_script.py imports it; docker/test.sh runs it inside the container
with the image's own venv:

    python lab_cells.py http://127.0.0.1:8888 TOKEN 'CELL' ['CELL' ...]

prints a JSON list of {"status": "ok"|"error", "output": the cell's stdout, displays (text/plain) and error,
"result": its value as text/plain}.
Needs tornado (JupyterLab's venv has it).
"""
import asyncio
import datetime
import json
import sys
import urllib.request
import uuid

from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect


def _call(method, url, token, body=None):
    request = urllib.request.Request(url, method=method, headers={"Authorization": f"token {token}",
                                                                  "Content-Type": "application/json"},
                                     data=None if body is None else json.dumps(body).encode())
    with urllib.request.urlopen(request, timeout=60) as response:
        text = response.read()
    return json.loads(text) if text else None


def _execute_request(code, session):
    return {"header": {"msg_id": uuid.uuid4().hex, "msg_type": "execute_request", "session": session,
                       "username": "lab-cells", "version": "5.3",
                       "date": datetime.datetime.now(datetime.timezone.utc).isoformat()},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True}}


async def _run(base, token, cells, kernel_name, timeout):
    # a session for a notebook in JupyterLab's folder, as opening one does: its kernel starts in that folder
    started = _call("POST", f"{base}/api/sessions", token, {"path": "lab-cells.ipynb", "type": "notebook",
                                                            "name": "lab-cells.ipynb", "kernel": {"name": kernel_name}})
    try:
        session = uuid.uuid4().hex
        ws_url = base.replace("http", "ws", 1) + f"/api/kernels/{started['kernel']['id']}/channels?session_id={session}"
        ws = await websocket_connect(HTTPRequest(ws_url, headers={"Authorization": f"token {token}"}))
        results = []
        for code in cells:
            request = _execute_request(code, session)
            ws.write_message(json.dumps(request))
            outputs, result, status, idle = [], "", None, False
            while status is None or not idle:
                raw = await asyncio.wait_for(ws.read_message(), timeout)
                if raw is None:
                    raise RuntimeError(f"the kernel's websocket closed while running {code!r}")
                message = json.loads(raw)
                if message.get("parent_header", {}).get("msg_id") != request["header"]["msg_id"]:
                    continue
                kind, content = message["msg_type"], message["content"]
                if kind == "stream":
                    outputs.append(content["text"])
                elif kind in ("execute_result", "display_data"):
                    outputs.append(content["data"].get("text/plain", "") + "\n")
                    if kind == "execute_result":
                        result = content["data"].get("text/plain", "")
                elif kind == "error":
                    outputs.append(f"{content['ename']}: {content['evalue']}\n")
                elif kind == "execute_reply":
                    status = content["status"]
                elif kind == "status" and content["execution_state"] == "idle":
                    idle = True
            results.append({"status": status, "output": "".join(outputs), "result": result})
        ws.close()
        return results
    finally:
        _call("DELETE", f"{base}/api/sessions/{started['id']}", token)


def run_cells(base, token, cells, kernel_name="glimpse", timeout=300):
    """Runs each cell in turn in one new kernel, which is shut down after; returns [{"status", "output", "result"}]."""
    return asyncio.run(_run(base.rstrip("/"), token, list(cells), kernel_name, timeout))


if __name__ == "__main__":
    json.dump(run_cells(sys.argv[1], sys.argv[2], sys.argv[3:]), sys.stdout, indent=1)
    print()
