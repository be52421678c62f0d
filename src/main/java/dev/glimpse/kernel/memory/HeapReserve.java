package dev.glimpse.kernel.memory;

/**
 * Memory the kernel holds back from cell code, so that its own threads (ZeroMQ's I/O thread, the heartbeat, the
 * shell, control and IOPub loops) can still allocate when a cell fills the heap and keeps what it filled it with
 * ({@code var hog = new ArrayList<byte[]>(); try { while (true) hog.add(new byte[1 << 20]); } catch (OutOfMemoryError
 * e) {}}). A thread that dies of {@link OutOfMemoryError} cannot be restarted, and without the heartbeat and the
 * I/O thread the notebook sees a dead kernel.
 *
 * <p>While a cell runs the reserve is held, so cell code runs out of memory a reserve's worth early. It is given back
 * when a cell ends with the heap {@linkplain #heapExhausted() still full} (the cell caught the error and kept the
 * memory), when the cell runner sees the cell fail with {@code OutOfMemoryError}, or when a kernel thread meets one
 * ({@link #release()}); then the kernel has room to reply, and the user to run {@code hog = null}. It is taken again
 * after a cell that leaves room for it ({@link #restore()}).
 */
public final class HeapReserve {

    private static final HeapReserve INSTANCE = new HeapReserve(reserveBytes(Runtime.getRuntime().maxMemory()));

    private final int bytes;
    private volatile byte[][] held;
    private volatile boolean released;

    HeapReserve(int bytes) {
        this.bytes = bytes;
        this.held = take(bytes);
    }

    /** The reserve of this JVM. */
    public static HeapReserve instance() {
        return INSTANCE;
    }

    /** How much to keep back: a twentieth of the heap, at least 8 MiB and at most 64 MiB. */
    static int reserveBytes(long maxHeap) {
        long wanted = maxHeap == Long.MAX_VALUE ? 64L << 20 : maxHeap / 20;
        return (int) Math.max(8L << 20, Math.min(64L << 20, wanted));
    }

    /** The size of the reserve in bytes. */
    public int bytes() {
        return bytes;
    }

    /** Whether the reserve was given back since it was last taken: the heap ran out. */
    public boolean released() {
        return released;
    }

    /** Gives the reserve back, so that the kernel can go on after the heap ran out. Allocates nothing. */
    public void release() {
        held = null;
        released = true;
    }

    /**
     * Takes the reserve again if there is room for it now (with as much to spare), for instance after the user set the
     * variable that filled the heap to {@code null}.
     *
     * @return whether the reserve is held
     */
    public boolean restore() {
        if (held != null) {
            return true;
        }
        if (freeBytes() < 2L * bytes) {
            return false;
        }
        try {
            held = take(bytes);
            released = false;
            return true;
        } catch (OutOfMemoryError stillFull) {
            return false;
        }
    }

    private static byte[][] take(int bytes) {
        // in 1 MiB pieces: one large array needs one contiguous free region, which a full heap may not have
        int pieces = Math.max(1, bytes >> 20);
        byte[][] out = new byte[pieces][];
        for (int i = 0; i < pieces; i++) {
            out[i] = new byte[bytes / pieces];
        }
        return out;
    }

    /**
     * Whether the heap is all but full now: less than twice the reserve free, also after a full collection (run only
     * when the cheap look says the heap may be full, so a normal cell pays nothing).
     */
    public boolean heapExhausted() {
        if (freeBytes() >= 2L * bytes) {
            return false;
        }
        System.gc();
        return freeBytes() < 2L * bytes;
    }

    private static long freeBytes() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
    }
}
