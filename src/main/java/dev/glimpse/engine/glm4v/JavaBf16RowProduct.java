package dev.glimpse.engine.glm4v;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * One decoding row through a bf16 {@link Linear} in Java ({@link VectorBf16Matrix}) instead of libtorch 2.7.1,
 * whose bf16 matrix-vector product reads weights at half the speed memory allows (bench/engine/README.md, "The bf16
 * decode route"): {@code y = x·Wᵀ + b} accumulated in float32 and rounded to bf16 once, as transformers' bf16 linear.
 *
 * <p>Nothing is copied but the rows: the weight is read where libtorch mapped it (a direct buffer over the tensor's
 * memory, so resident pages are not counted twice), x is read from its tensor, and y is rounded to bf16 in Java
 * into a bf16 tensor this product keeps, whose copy is the result (one native call; rounding a float32 tensor in
 * libtorch took its TorchScript helper, ~135 µs a call, 22 ms of a full-size step).
 *
 * <p>The route is taken when it can be fast: the JVM was started with {@code --add-modules jdk.incubator.vector}
 * (Glimpse's launcher and build do that), C2 compiles (the Vector API is slow without it, e.g. under
 * {@code -XX:TieredStopAtLevel=1}), and vectors are at least 256 bits wide. {@code -Dglimpse.bf16.gemv=libtorch}
 * turns it off, {@code =java} takes it whenever the module is there. While a model decodes on this route, libtorch
 * runs at one thread ({@link #decoding()}).
 */
final class JavaBf16RowProduct {

    /** Which route decoding rows take, and why: shown by {@code glimpse ask --json} and in the load log. */
    static final String ROUTE = chooseRoute();

    private static final boolean ENABLED = ROUTE.startsWith("java");
    private static final RowSplit THREADS = new RowSplit("glimpse-bf16-gemv");
    private static final long CHUNK_BYTES = 1 << 20;
    /**
     * Models whose decoding step reads fewer projection bytes than this keep libtorch's route. Such weights stay in or
     * near the CPU's last-level cache from one step to the next (32 MiB here), where libtorch's kernel is fast
     * enough and this route's per-call cost shows: glimpse-tiny (10 MB a step) decoded 195 tok/s this way against
     * 240 on libtorch. Above it every step streams its weights from memory, which libtorch's bf16 kernel reads at
     * half speed: the ~78 M bench model (107 MB a step) decoded 105 tok/s this way against 63 on libtorch (fp32: 49);
     * GLM-4.6V-Flash reads 17.6 GB. The decision is the model's, not each weight's, so that a step takes one route
     * and libtorch can be held at one thread ({@link #decoding()}). {@code -Dglimpse.bf16.gemv.minStepBytes}
     * overrides it (the tests use 0).
     */
    static final long MIN_STEP_BYTES = Long.getLong("glimpse.bf16.gemv.minStepBytes", 64L << 20);

    /**
     * How much of the next product's weight a row thread reads into the CPU's caches while the caller runs
     * libtorch's small ops between two products ({@link #prefetch}); 0 turns it off. 64 MiB is more than the last-level
     * cache (32 MiB here) on purpose: the read stops when the next product starts, and what it read last is what that
     * product wants first only up to the cache's size, but a deeper read also warms the TLB and the memory pages. On the
     * full-size checkpoint, four alternated runs of 2 x 32 tokens: 0 MiB 1.75-1.93 tok/s, 32 MiB 2.02-2.16, 64 MiB
     * 2.11-2.23.
     */
    static final long PREFETCH_BYTES = Long.getLong("glimpse.bf16.gemv.prefetchMiB", 64) << 20;

    /** The product whose forward ran last, on any thread: where the next one learns it follows. */
    private static JavaBf16RowProduct lastForward;

    /** The row threads while {@link #decoding()} holds libtorch at one thread; 0 otherwise. */
    private static volatile int rowThreads;

    /** The weights whose rows are stacked into one result, in order (one, except for q, k and v). */
    private final VectorBf16Matrix[] parts;
    /** {@code firstRows[i]}: the result row where part i starts; the last entry is the result's width. */
    private final int[] firstRows;
    private final int in;
    private final int out;
    private final float[] bias;
    /** bf16 {@code [1, out]}: where each result is written before it is copied out; guarded by {@link #resultLock}. */
    private final NDArray result;
    private final Object resultLock = new Object();
    private final ByteBuffer resultBytes;
    /**
     * The product that ran after this one the last time (a decoding step runs the same products in the same order),
     * or null; a hint only, so unsynchronised: a stale value costs a prefetch of the wrong weight.
     */
    private JavaBf16RowProduct next;
    /** {@link #prefetch} as the idle task a preceding product hands its row threads, made once. */
    private final RowSplit.IdleTask prefetchTask = this::prefetch;

    private JavaBf16RowProduct(VectorBf16Matrix[] parts, float[] bias, NDArray result, ByteBuffer resultBytes) {
        this.parts = parts;
        this.firstRows = new int[parts.length + 1];
        for (int i = 0; i < parts.length; i++) {
            firstRows[i + 1] = firstRows[i] + parts[i].rows();
        }
        this.in = parts[0].cols();
        this.out = firstRows[parts.length];
        this.bias = bias;
        this.result = result;
        this.resultBytes = resultBytes;
    }

    /** Whether decoding rows of bf16 weights take this route in this JVM. */
    static boolean enabled() {
        return ENABLED;
    }

    /**
     * Whether a bf16 model whose decoding step reads {@code stepBytes} of projection weights (every layer's and
     * {@code lm_head}) takes this route for its single rows.
     */
    static boolean takesModel(long stepBytes) {
        return takesModel(stepBytes, MIN_STEP_BYTES);
    }

    /** {@link #takesModel(long)} with {@code minStepBytes} for {@link #MIN_STEP_BYTES}. */
    static boolean takesModel(long stepBytes, long minStepBytes) {
        return ENABLED && stepBytes >= minStepBytes;
    }

    /**
     * The route for {@code weight} (bf16 {@code [out, in]} on the CPU) and its bf16 {@code bias}, or null when this
     * JVM does not take it. The engine's weights are contiguous views of the mapped shards (DJL would copy a
     * non-contiguous one here, so a strided weight must not come this way).
     */
    static JavaBf16RowProduct of(NDArray weight, NDArray bias) {
        return stacked(List.of(weight), bias == null ? null : List.of(bias));
    }

    /**
     * One product over several weights of the same input width, their rows stacked in order: {@code [x·W₀ᵀ + b₀,
     * x·W₁ᵀ + b₁, …]} in one result, as for q, k and v, so that the small k and v (2 MiB each in GLM-4.6V-Flash)
     * ride along with q instead of taking libtorch's slow bf16 path, with one crossing instead of three. Null where
     * this JVM does not take the route, any weight cannot be read in place (not a 2-D bf16 CPU tensor under 2 GiB),
     * the input widths differ, or a bias is missing or not one bf16 value per row.
     *
     * @param biases one bf16 bias per weight, or null when none has one
     */
    static JavaBf16RowProduct stacked(List<NDArray> weights, List<NDArray> biases) {
        if (!ENABLED || weights.isEmpty() || (biases != null && biases.size() != weights.size())) {
            return null;
        }
        VectorBf16Matrix[] parts = new VectorBf16Matrix[weights.size()];
        int rows = 0;
        for (int i = 0; i < parts.length; i++) {
            parts[i] = matrixOf(weights.get(i));
            NDArray bias = biases == null ? null : biases.get(i);
            if (parts[i] == null || parts[i].cols() != parts[0].cols() || (biases != null && (bias == null
                    || !BFloat16.is(bias) || bias.getShape().size() != parts[i].rows()))) {
                return null;
            }
            rows += parts[i].rows();
        }
        float[] bias = null;
        if (biases != null) {
            bias = new float[rows];
            int at = 0;
            for (int i = 0; i < parts.length; i++) {
                float[] b = floats(biases.get(i));
                System.arraycopy(b, 0, bias, at, b.length);
                at += parts[i].rows();
            }
        }
        // lives with the weights (the model's manager)
        NDArray result = BFloat16.zeros(weights.get(0).getManager(), new Shape(1, rows), DataType.BFLOAT16);
        ByteBuffer resultBytes = JniUtils.getByteBuffer((PtNDArray) result, true);
        if (!resultBytes.isDirect()) {
            result.close();
            return null;
        }
        return new JavaBf16RowProduct(parts, bias, result, resultBytes.order(ByteOrder.LITTLE_ENDIAN));
    }

    /** {@code weight}'s bytes where libtorch holds them, or null when Java cannot read them there. */
    private static VectorBf16Matrix matrixOf(NDArray weight) {
        long[] shape = weight.getShape().getShape();
        if (shape.length != 2 || 2L * shape[0] * shape[1] > Integer.MAX_VALUE
                || !weight.getDevice().equals(ai.djl.Device.cpu()) || !BFloat16.is(weight)) {
            return null;
        }
        // a view of libtorch's memory, not a copy: the checkpoint's mapped bytes
        ByteBuffer bytes = JniUtils.getByteBuffer((PtNDArray) weight, true);
        return bytes.isDirect() ? new VectorBf16Matrix(bytes, (int) shape[0], (int) shape[1]) : null;
    }

    /**
     * Holds libtorch at one intra-op thread while the decoding steps of a model whose rows take this route run, and
     * gives the rows the threads libtorch had. A decoding step is ~2,700 small native ops around the products (norms,
     * rotary, attention over one query, casts), none worth a second thread, and after each parallel one libtorch's
     * OpenMP worker spins (GOMP's default: milliseconds) on the core these rows need: full-size decode 1.0 tok/s with
     * two libtorch threads, 1.17–1.22 with one (and 1.13–1.40 with two made passive by OMP_WAIT_POLICY=PASSIVE).
     * Prefill keeps libtorch's threads: it is libtorch's GEMMs.
     *
     * @return what restores libtorch's thread count; run it when the decoding steps end
     */
    static Runnable decoding() {
        int threads = JniUtils.getNumThreads();
        if (threads <= 1 || rowThreads != 0) {
            return () -> { };
        }
        rowThreads = threads;
        JniUtils.setNumThreads(1);
        return () -> {
            JniUtils.setNumThreads(threads);
            rowThreads = 0;
        };
    }

    /** The product that ran after this one the last time, whose weights are pre-read after this one's rows; or null. */
    JavaBf16RowProduct following() {
        return next;
    }

    /** The result's width: the rows of every weight. */
    int outFeatures() {
        return out;
    }

    /** {@code x}: one bf16 row of {@code in} values, any shape; the result has x's shape with {@code out} last. */
    NDArray forward(NDArray x) {
        Scratch s = Scratch.get(in, out);
        ByteBuffer xb = JniUtils.getByteBuffer((PtNDArray) x, true).order(ByteOrder.LITTLE_ENDIAN);
        // x's bf16 bytes as the loop reads them: pairs of elements per int, the first in the low half
        xb.asIntBuffer().get(s.xPairs, 0, in / 2);
        if (in % 2 == 1) {
            s.xPairs[in / 2] = xb.getShort(2 * (in - 1)) & 0xFFFF;
        }
        float[] y = s.y;
        int held = rowThreads;
        int threads = held > 0 ? held : Math.max(1, JniUtils.getNumThreads()); // the engine's intra-op thread count
        JavaBf16RowProduct previous = lastForward;
        if (previous != null && previous != this) {
            previous.next = this;
        }
        lastForward = this;
        JavaBf16RowProduct following = next;
        THREADS.run(out, chunkRows(out, in, threads), threads, (from, to) -> multiply(s.xPairs, y, from, to),
                following == null || PREFETCH_BYTES == 0 ? null : following.prefetchTask);
        NDArray copy;
        synchronized (resultLock) {
            for (int i = 0; i < out; i++) {
                resultBytes.putShort(2 * i, Float16.floatToBf16(bias == null ? y[i] : y[i] + bias[i]));
            }
            copy = result.duplicate();
        }
        copy.attach(x.getManager());
        if (x.getShape().dimension() == 2) {
            return copy;
        }
        long[] shape = x.getShape().getShape().clone();
        shape[shape.length - 1] = out;
        try (copy) {
            return copy.reshape(new Shape(shape));
        }
    }

    /**
     * Reads the first {@link #PREFETCH_BYTES} of this product's weights into the CPU's caches, in the order its rows
     * are handed out, until {@code stop}. Run by a row thread while the caller does the small ops before this product
     * (norms, rotary, attention: 10–20 % of a full-size step, during which memory would sit idle): those rows are
     * then read from cache rather than memory.
     */
    private void prefetch(BooleanSupplier stop) {
        long left = PREFETCH_BYTES;
        for (int i = 0; i < parts.length && left > 0 && !stop.getAsBoolean(); i++) {
            left -= parts[i].touch(0, left, stop); // touch stops at the part's end
        }
    }

    /** Result rows {@code [from, to)}, which may span parts. */
    private void multiply(int[] xPairs, float[] y, int from, int to) {
        for (int i = 0; i < parts.length && from < to; i++) {
            int end = firstRows[i + 1];
            if (from < end) {
                int stop = Math.min(to, end);
                parts[i].multiply(xPairs, y, firstRows[i], from - firstRows[i], stop - firstRows[i]);
                from = stop;
            }
        }
    }

    /**
     * Rows per chunk for an {@code [out, in]} weight: about 1 MiB of it, and at least four chunks per thread so that
     * a thread held up by anything else takes fewer of them (measured on the 40-layer step: contiguous halves per
     * thread 940 ms, 256-row chunks of the 4096-wide weights 560–690 ms).
     */
    static int chunkRows(int out, int in, int threads) {
        long perThread = (out + 4L * threads - 1) / (4L * threads);
        return (int) Math.max(16, Math.min(CHUNK_BYTES / (2L * in), perThread));
    }

    private static float[] floats(NDArray bf16) {
        ByteBuffer b = JniUtils.getByteBuffer((PtNDArray) bf16, true).order(ByteOrder.LITTLE_ENDIAN);
        float[] f = new float[Math.toIntExact(bf16.getShape().size())];
        for (int i = 0; i < f.length; i++) {
            f[i] = Float16.bf16ToFloat(b.getShort(2 * i));
        }
        return f;
    }

    private static String chooseRoute() {
        String asked = System.getProperty("glimpse.bf16.gemv", "auto").toLowerCase(Locale.ROOT);
        if (asked.equals("libtorch")) {
            return "libtorch (-Dglimpse.bf16.gemv=libtorch)";
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return "libtorch (the JVM was started without --add-modules jdk.incubator.vector)";
        }
        if (!asked.equals("java")) {
            String compiler = c2Absence();
            if (compiler != null) {
                return "libtorch (" + compiler + ": the Java route needs C2)";
            }
        }
        int bits = VectorBf16Matrix.vectorBits();
        if (bits < 256 && !asked.equals("java")) {
            return "libtorch (" + bits + "-bit vectors: the Java route needs AVX2 or wider)";
        }
        return "java (Vector API, " + bits + "-bit)";
    }

    /** Why C2 will not compile here, or null when it will. */
    private static String c2Absence() {
        if (System.getProperty("java.vm.info", "").contains("interpreted")) {
            return "-Xint";
        }
        try {
            var bean = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            String level = bean.getVMOption("TieredStopAtLevel").getValue();
            String tiered = bean.getVMOption("TieredCompilation").getValue();
            if (Boolean.parseBoolean(tiered) && Integer.parseInt(level) < 4) {
                return "-XX:TieredStopAtLevel=" + level;
            }
        } catch (RuntimeException | LinkageError unknown) {
            // not HotSpot, or no jdk.management: assume a full compiler
        }
        return null;
    }

    /** The row and result arrays, reused by the thread that decodes (one per generation thread). */
    private static final class Scratch {
        private static final ThreadLocal<Scratch> CURRENT = new ThreadLocal<>();

        final int[] xPairs;
        final float[] y;

        private Scratch(int in, int out) {
            xPairs = new int[(in + 1) / 2];
            y = new float[out];
        }

        static Scratch get(int in, int out) {
            Scratch s = CURRENT.get();
            if (s == null || s.xPairs.length < (in + 1) / 2 || s.y.length < out) {
                int keepIn = s == null ? in : Math.max(in, 2 * s.xPairs.length);
                int keepOut = s == null ? out : Math.max(out, s.y.length);
                s = new Scratch(keepIn, keepOut);
                CURRENT.set(s);
            }
            return s;
        }
    }
}
