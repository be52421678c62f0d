package dev.glimpse.engine.glm4v;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A model's weights by transformers name (e.g. {@code model.language_model.layers.0.self_attn.q_proj.weight}),
 * loaded one tensor at a time into DJL arrays of a chosen float type on a chosen device.
 *
 * <p>In bfloat16 on the CPU a bf16 checkpoint is not read at all: each weight is a view into libtorch's memory map
 * of its shard ({@link BFloat16}), so the weights take page cache, not this process's memory, and loading costs
 * no copy. float32 and float16 weights are converted in Java while reading (DJL cannot create bf16 arrays): the
 * data streams through two small reused buffers into an array allocated by the engine, so host memory while
 * loading stays close to the weights' size in the target type, however large the shards are.
 *
 * <p>Not thread-safe: load from one thread.
 */
public final class ModelWeights implements AutoCloseable {

    /** Elements converted per step. */
    static final int CHUNK_ELEMENTS = 1 << 20;

    private final SafetensorsIndex index;
    private final ElementConversion conversion = new ElementConversion();
    private final ByteBuffer sourceStage = ByteBuffer.allocateDirect(CHUNK_ELEMENTS * 4);
    private final ByteBuffer targetStage = ByteBuffer.allocateDirect(CHUNK_ELEMENTS * 4)
            .order(ByteOrder.nativeOrder());
    private final ReadMode readMode;
    private Boolean sharesEngineMemory;
    private TensorInfo mappedTensor;
    private ByteBuffer mapped;
    private final Map<Path, NDArray> mappedShards = new HashMap<>();

    /** How tensor bytes come off the disk. */
    enum ReadMode {
        /** Positional reads into a reused buffer: the file's pages stay in the page cache, not in this process. */
        READ,
        /**
         * Map each tensor; its pages count towards this process's memory until the mapping is collected, which
         * measured at 1.5× the float32 size for a bf16 checkpoint (see bench/safetensors-load).
         */
        MAP
    }

    ModelWeights(SafetensorsIndex index, ReadMode readMode) {
        this.index = index;
        this.readMode = readMode;
    }

    /** Opens the weights of a model directory (see {@link SafetensorsIndex#open(Path)}). */
    public static ModelWeights open(Path modelDir) {
        return new ModelWeights(SafetensorsIndex.open(modelDir), ReadMode.READ);
    }

    /** The name resolution over the shards. */
    public SafetensorsIndex index() {
        return index;
    }

    /** Every tensor name. */
    public Set<String> names() {
        return index.names();
    }

    /** Whether a tensor of that name exists. */
    public boolean contains(String name) {
        return index.contains(name);
    }

    /** Dtype, shape and location of a tensor; throws naming the tensor and the files searched if it is missing. */
    public TensorInfo info(String name) {
        return index.info(name);
    }

    /** Loads a tensor in the default dtype: {@code $GLIMPSE_DTYPE}, else {@link DefaultDtype#forDevice}. */
    public NDArray load(String name, NDManager manager) {
        return load(name, manager, DtypeChoice.fromEnvironment(System.getenv(DtypeChoice.ENVIRONMENT_VARIABLE))
                .orElseGet(() -> DefaultDtype.forDevice(manager.getDevice())));
    }

    /**
     * Loads a tensor onto the manager's device, converted to {@code dtype} (FLOAT32, FLOAT16 or BFLOAT16; a
     * bf16 array reports {@link DataType#UNKNOWN} to DJL, see {@link BFloat16}). The array is attached to
     * {@code manager} and named after the tensor.
     */
    public NDArray load(String name, NDManager manager, DataType dtype) {
        return load(name, manager, dtype, true);
    }

    /** {@code direct = false} forces the staged copy that devices other than the CPU take (for tests). */
    NDArray load(String name, NDManager manager, DataType dtype, boolean direct) {
        if (dtype == DataType.BFLOAT16) {
            return loadBFloat16(name, manager, direct);
        }
        TensorInfo t = index.info(name);
        SafetensorsDtype target = targetOf(dtype);
        checkConvertible(t, target);
        long count = t.elementCount();
        NDArray array = manager.create(new Shape(t.dims()), dtype);
        try (NDArray flat = array.reshape(count)) {
            boolean cpu = direct && !manager.getDevice().isGpu();
            for (long start = 0; start < count; start += CHUNK_ELEMENTS) {
                int n = (int) Math.min(CHUNK_ELEMENTS, count - start);
                if (!(cpu && convertIntoEngineMemory(t, start, n, target, flat))) {
                    copyChunk(t, start, n, target, flat, manager);
                }
            }
            array.setName(name);
            return array;
        } catch (RuntimeException e) {
            array.close();
            throw e;
        }
    }

    /**
     * A bf16 weight: on the CPU, a view into libtorch's memory map of the shard when the checkpoint holds it in bf16
     * (nothing is copied: the pages are the kernel's page cache, shared with every process reading the file, and
     * not this process's anonymous memory); otherwise loaded as float32 and rounded to bf16.
     */
    private NDArray loadBFloat16(String name, NDManager manager, boolean direct) {
        TensorInfo t = index.info(name);
        boolean aligned = t.offset() % 2 == 0;
        if (direct && aligned && t.dtype() == SafetensorsDtype.BF16 && !manager.getDevice().isGpu()) {
            SafetensorsShard shard = index.shardOf(name);
            NDArray whole = mappedShards.computeIfAbsent(shard.file(),
                    file -> BFloat16.map(manager, file, shard.fileSize() / 2));
            long first = t.offset() / 2;
            NDArray view;
            try (NDArray flat = whole.get(new NDIndex().addSliceDim(first, first + t.elementCount()))) {
                view = flat.reshape(new Shape(t.dims()));
            }
            view.attach(manager);
            view.setName(name);
            return view;
        }
        try (NDArray f32 = load(name, manager, DataType.FLOAT32, direct)) {
            NDArray bf16 = BFloat16.cast(f32, DataType.BFLOAT16);
            bf16.setName(name);
            return bf16;
        }
    }

    /** Reads a tensor into a Java array as float32 (for small tensors the model uses on the Java side). */
    public float[] readFloats(String name) {
        TensorInfo t = index.info(name);
        checkConvertible(t, SafetensorsDtype.F32);
        float[] out = new float[Math.toIntExact(t.elementCount())];
        for (int start = 0; start < out.length; start += CHUNK_ELEMENTS) {
            int n = Math.min(CHUNK_ELEMENTS, out.length - start);
            convertChunk(t, start, n, SafetensorsDtype.F32, targetStage.clear());
            targetStage.flip().asFloatBuffer().get(out, start, n);
        }
        return out;
    }

    @Override
    public void close() {
        index.close();
    }

    /**
     * Converts a chunk straight into the array's storage, which DJL's PyTorch engine hands out for a contiguous CPU
     * slice (per slice, as a Java buffer holds at most 2 GiB and float32 embeddings are larger). Returns false,
     * having written nothing that matters, when the engine hands out a copy instead: checked once by writing a
     * marker and reading it back through the array.
     */
    private boolean convertIntoEngineMemory(TensorInfo t, long start, int n, SafetensorsDtype target, NDArray flat) {
        if (Boolean.FALSE.equals(sharesEngineMemory)) {
            return false;
        }
        try (NDArray window = flat.get(new NDIndex().addSliceDim(start, start + n))) {
            ByteBuffer memory = window.toByteBuffer(true);
            if (!memory.isDirect() || memory.capacity() != n * target.bytes()) {
                sharesEngineMemory = false;
                return false;
            }
            if (sharesEngineMemory == null) {
                memory.put(0, (byte) 0x5A).put(1, (byte) 0xA5);
                try (NDArray first = flat.get(start)) {
                    ByteBuffer copy = first.toByteBuffer();
                    sharesEngineMemory = copy.get(0) == (byte) 0x5A && copy.get(1) == (byte) 0xA5;
                }
                if (!sharesEngineMemory) {
                    return false;
                }
            }
            convertChunk(t, start, n, target, memory.order(ByteOrder.nativeOrder()));
            return true;
        }
    }

    // for devices whose memory Java cannot write: stage the chunk on the host and copy it into its slice
    private void copyChunk(TensorInfo t, long start, int n, SafetensorsDtype target, NDArray flat,
                           NDManager manager) {
        convertChunk(t, start, n, target, targetStage.clear());
        try (NDArray part = manager.create(targetStage.flip().slice().order(ByteOrder.nativeOrder()),
                new Shape(n), flat.getDataType())) {
            flat.set(new NDIndex().addSliceDim(start, start + n), part);
        }
    }

    /** Converts elements [start, start + n) of a tensor into {@code dst} at its position, advancing it. */
    private void convertChunk(TensorInfo t, long start, int n, SafetensorsDtype target, ByteBuffer dst) {
        SafetensorsShard shard = index.shardOf(t.name());
        int inSize = t.dtype().bytes();
        ByteBuffer src;
        if (readMode == ReadMode.MAP) {
            if (mappedTensor != t) {
                mapped = shard.map(t);
                mappedTensor = t;
            }
            src = mapped.duplicate().position((int) (start * inSize)).limit((int) (start * inSize) + n * inSize);
        } else {
            src = sourceStage.clear().limit(n * inSize);
            shard.read(t, start * inSize, src);
            src.flip();
        }
        conversion.convert(t.dtype(), src.order(ByteOrder.LITTLE_ENDIAN), target, dst, n);
    }

    private static SafetensorsDtype targetOf(DataType dtype) {
        if (dtype == DataType.FLOAT32) {
            return SafetensorsDtype.F32;
        }
        if (dtype == DataType.FLOAT16) {
            return SafetensorsDtype.F16;
        }
        throw new IllegalArgumentException("Weights load as FLOAT32 or FLOAT16, not " + dtype
                + " (BFLOAT16 goes through BFloat16)");
    }

    private void checkConvertible(TensorInfo t, SafetensorsDtype target) {
        if (!ElementConversion.supports(t.dtype(), target)) {
            throw new IllegalArgumentException("Tensor '" + t.name() + "' in " + index.shardOf(t.name()).file()
                    + " is " + t.dtype() + "; only BF16, F16 and F32 tensors load as float weights");
        }
    }
}
