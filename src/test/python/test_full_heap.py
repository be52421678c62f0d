"""A cell that fills the heap and keeps what it filled it with must not take the kernel's own threads down.

The kernel runs with a small heap (-Xmx384m) so that filling it takes a moment. The cell catches the
OutOfMemoryError itself, so the kernel sees no error: it must notice the full heap on its own, keep the heartbeat,
the shell and IOPub answering, and tell the user which variable holds the memory and how to free it."""
import pytest
import zmq

from kernel_client import JDKS, assert_alive, jdk_id, run, started_kernel, stdout_text

HOG = ("var hog = new ArrayList<byte[]>();\n"
       "try { while (true) hog.add(new byte[1 << 20]); } catch (OutOfMemoryError e) { }\n"
       "hog.size()")


@pytest.fixture(scope="module", params=JDKS, ids=jdk_id)
def kernel(request):
    # no model (GLIMPSE_LOAD_EXTENSIONS=0): the heap is the cell's to fill
    with started_kernel(request.param, GLIMPSE_JVM_OPTS="-Xmx384m", GLIMPSE_LOAD_EXTENSIONS="0") as started:
        yield started


def heartbeat_answers(km):
    ctx = zmq.Context.instance()
    sock = ctx.socket(zmq.REQ)
    sock.setsockopt(zmq.LINGER, 0)
    sock.connect(f"{km.transport}://{km.ip}:{km.hb_port}")
    try:
        sock.send(b"ping")
        return sock.poll(5000) != 0 and sock.recv() == b"ping"
    finally:
        sock.close()


@pytest.mark.parametrize("attempt", [1, 2, 3])  # the kernel's threads died in two runs of three
def test_a_cell_that_keeps_the_heap_full_leaves_the_kernel_answering(kernel, attempt):
    km, kc = kernel
    reply, outputs = run(kc, HOG, timeout=120)
    assert reply["content"]["status"] == "ok", reply["content"]
    warning = stdout_text(outputs, "stderr")
    assert "heap is still full" in warning, warning
    assert "hog (ArrayList" in warning, warning
    assert "`hog = null;`" in warning and "restart the kernel" in warning, warning

    assert heartbeat_answers(km), "the heartbeat stopped"
    info = kc.kernel_info(reply=True, timeout=15)
    assert info["content"]["status"] == "ok"
    reply, outputs = run(kc, "hog = null;", timeout=60)
    assert reply["content"]["status"] == "ok", reply["content"]
    assert "heap is still full" not in stdout_text(outputs, "stderr")
    assert_alive(kc)
    assert heartbeat_answers(km)
