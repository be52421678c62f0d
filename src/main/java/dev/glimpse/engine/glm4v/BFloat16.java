package dev.glimpse.engine.glm4v;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * bfloat16 tensors on DJL 0.36, whose PyTorch engine aborts the JVM whenever Java names {@code BFLOAT16} (its JNI
 * maps only dtype ordinals 0–8 and {@code throw;}s on the rest, reference/djl.md §5).
 *
 * <p>libtorch itself computes in bf16 in every op the engine uses (linear, matmul, embedding, element-wise ops,
 * indexing, reshapes), and DJL hands such tensors around without asking Java for their dtype: it reports them as
 * {@link DataType#UNKNOWN}, which is therefore read here as bf16 ({@link #typeOf}). DJL only cannot <em>create</em>
 * one, so a small TorchScript module does that inside libtorch ({@code bfloat16.pt}, written by
 * {@code models/make_bfloat16_helper.py}): {@code x.to(torch.bfloat16)}, and {@code torch.from_file} to map a
 * checkpoint's bf16 bytes without copying them. Converting bf16 to float32 needs no help: Java names only the target.
 *
 * <p>Every dtype decision in the engine goes through {@link #typeOf} and {@link #cast} so that no DJL call is
 * ever asked to name bf16 (e.g. {@code toType(x.getDataType())}, {@code create(shape, type)},
 * {@code softmax} without an explicit float32 dtype).
 */
final class BFloat16 {

    private static final String RESOURCE = "bfloat16.pt";
    private static volatile PtSymbolBlock helper;

    private BFloat16() {
    }

    /** Whether {@code x} holds bf16 (DJL's UNKNOWN; the engine creates no other tensor DJL cannot name). */
    static boolean is(NDArray x) {
        return x.getDataType() == DataType.UNKNOWN;
    }

    /** {@code x}'s dtype, with bf16 named. */
    static DataType typeOf(NDArray x) {
        return is(x) ? DataType.BFLOAT16 : x.getDataType();
    }

    /**
     * {@code x} in {@code type}: {@code x} itself when it already is, otherwise a new array in {@code x}'s manager
     * (rounding to nearest even into bf16, as torch's {@code .to(torch.bfloat16)}).
     */
    static NDArray cast(NDArray x, DataType type) {
        if (type != DataType.BFLOAT16) {
            return x.toType(type, false); // bf16 → float32/float16 works: Java names only the target
        }
        if (is(x)) {
            return x;
        }
        return toBFloat16(x);
    }

    /**
     * Rounds {@code source} into the bf16 array {@code target} of the same shape, in place (one native copy; the
     * conversion happens in libtorch's copy), and returns {@code target}. Cheaper than {@link #cast} where a bf16
     * array of the right shape is at hand and no longer needed, e.g. attention scores replaced by probabilities.
     */
    static NDArray roundInto(NDArray target, NDArray source) {
        int rank = target.getShape().dimension();
        long[] min = new long[rank];
        long[] max = new long[rank];
        long[] step = new long[rank];
        java.util.Arrays.fill(max, Long.MAX_VALUE);
        java.util.Arrays.fill(step, 1);
        JniUtils.indexSet((ai.djl.pytorch.engine.PtNDArray) target, (ai.djl.pytorch.engine.PtNDArray) source, min,
                max, step);
        return target;
    }

    /** Zeros of {@code type}, attached to {@code manager}. */
    static NDArray zeros(NDManager manager, Shape shape, DataType type) {
        if (type != DataType.BFLOAT16) {
            return manager.zeros(shape, type);
        }
        try (NDArray zeros32 = manager.zeros(shape, DataType.FLOAT32)) {
            return toBFloat16(zeros32);
        }
    }

    /**
     * The first {@code elements} bf16 values of {@code file}, memory-mapped by libtorch (private, read-only use), as a
     * flat bf16 array attached to {@code manager}. The mapping lives as long as any view of it.
     */
    static NDArray map(NDManager manager, Path file, long elements) {
        PtNDManager pt = (PtNDManager) manager;
        try (IValue path = IValue.from(file.toAbsolutePath().toString());
             IValue count = IValue.from(elements);
             IValue result = IValueUtils.runMethod(helper(), "map_bf16", path, count)) {
            return result.toTensor(pt);
        }
    }

    /**
     * {@code x.to(torch.bfloat16)} in the helper. Run as "training" so that the result is an ordinary tensor: in
     * DJL's inference mode libtorch would return an inference tensor, which the engine's in-place ops reject.
     * DJL reads an input's name as a routing hint (a dotted name becomes a dict entry), so it is hidden meanwhile.
     */
    private static NDArray toBFloat16(NDArray x) {
        String name = x.getName();
        x.setName(null);
        try {
            NDArray result = IValueUtils.forward(helper(), new NDList(x), true).singletonOrThrow();
            result.attach(x.getManager());
            return result;
        } finally {
            x.setName(name);
        }
    }

    private static PtSymbolBlock helper() {
        PtSymbolBlock h = helper;
        if (h == null) {
            synchronized (BFloat16.class) {
                h = helper;
                if (h == null) {
                    helper = h = load();
                }
            }
        }
        return h;
    }

    // Loaded once per JVM under the engine's system manager, which outlives every model; the module holds no tensors.
    private static PtSymbolBlock load() {
        try (InputStream in = BFloat16.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath next to "
                        + BFloat16.class.getName() + "; rebuild Glimpse (models/make_bfloat16_helper.py writes it)");
            }
            byte[] module = in.readAllBytes();
            // DJL reads a module from a stream only when the stream starts with its length
            java.io.ByteArrayOutputStream sized = new java.io.ByteArrayOutputStream(module.length + 8);
            try (java.io.DataOutputStream out = new java.io.DataOutputStream(sized)) {
                out.writeLong(module.length);
                out.write(module);
            }
            PtNDManager system = (PtNDManager) NDManager.newBaseManager(ai.djl.Device.cpu(), "PyTorch");
            return JniUtils.loadModule(system, new java.io.ByteArrayInputStream(sized.toByteArray()), true, true);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE + ": " + e.getMessage(), e);
        }
    }
}
