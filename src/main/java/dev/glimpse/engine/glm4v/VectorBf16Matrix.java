package dev.glimpse.engine.glm4v;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.BooleanSupplier;

/**
 * A bf16 {@code [rows, cols]} weight read in place (the checkpoint's mapped bytes, through libtorch's tensor), and
 * {@code y = W·x} over a range of its rows with float32 accumulation, in the Java Vector API.
 *
 * <p>It exists because libtorch 2.7.1 (DJL 0.36) has no memory-bound bf16 matrix-vector kernel: a decoding step of
 * GLM-4.6V-Flash streams 17.6 GB of bf16 weights, which libtorch reads at 11–13 GB/s and this loop at 27–35 GB/s on
 * 2 threads, as fast as torch 2.15's own kernel (bench/engine/README.md, "The bf16 decode route").
 *
 * <p>Each int lane holds two bf16 (little-endian: the even element in the low half), so one load gives two float32
 * vectors with one shift and one mask, no widening conversion; x comes in the same form.
 *
 * <p>One source for Java 17 and 25: the incubator API reads a {@code ByteBuffer} on 17 ({@code fromByteBuffer}, removed
 * in 19) and a {@code MemorySegment} from 19 on ({@code fromMemorySegment}, absent in 17), so the load is a constant
 * method handle chosen once, which C2 inlines like a direct call (measured: the whole step within noise of a
 * JDK-specific build on each). Needs {@code --add-modules jdk.incubator.vector}; {@link JavaBf16RowProduct} checks
 * for it before this class is touched.
 */
final class VectorBf16Matrix {

    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final VectorOperators.Binary LSHL = VectorOperators.LSHL;
    /** The odd element of a bf16 pair, in place: float32's upper half. */
    private static final int HIGH = 0xFFFF0000;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    /** {@code (VectorSpecies, Object source, long byteOffset, ByteOrder) → IntVector}. */
    private static final MethodHandle LOAD;
    /** {@code (ByteBuffer) → Object source}: the buffer itself on 17, a segment over it from 19 on. */
    private static final MethodHandle SOURCE;

    static {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        MethodHandle load;
        MethodHandle source;
        try {
            try {
                Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
                load = lookup.findStatic(IntVector.class, "fromMemorySegment",
                        MethodType.methodType(IntVector.class, VectorSpecies.class, segment, long.class, ByteOrder.class));
                source = lookup.findStatic(segment, "ofBuffer", MethodType.methodType(segment, Buffer.class));
            } catch (ClassNotFoundException | NoSuchMethodException java17) {
                load = lookup.findStatic(IntVector.class, "fromByteBuffer",
                        MethodType.methodType(IntVector.class, VectorSpecies.class, ByteBuffer.class, int.class, ByteOrder.class));
                // every GLM tensor is < 2 GB (lm_head: 1.24 GB), which the constructor checks
                load = MethodHandles.filterArguments(load, 2,
                        lookup.findStatic(Math.class, "toIntExact", MethodType.methodType(int.class, long.class)));
                source = MethodHandles.identity(ByteBuffer.class);
            }
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
        LOAD = load.asType(MethodType.methodType(IntVector.class, VectorSpecies.class, Object.class, long.class,
                ByteOrder.class));
        SOURCE = source.asType(MethodType.methodType(Object.class, ByteBuffer.class));
    }

    private static final int CACHE_LINE = 64;
    private static final int TOUCH_BLOCK = 64 << 10;
    /** The sum of what {@link #touch} read: a sink that keeps its loads alive. */
    @SuppressWarnings("unused")
    private static int touched;

    private final ByteBuffer bytes;
    private final Object source;
    private final int rows;
    private final int cols;

    /** {@code bytes}: the weight's {@code rows × cols} bf16 values, row-major, little-endian. */
    VectorBf16Matrix(ByteBuffer bytes, int rows, int cols) {
        if ((long) bytes.capacity() != 2L * rows * cols) {
            throw new IllegalArgumentException("A bf16 [" + rows + ", " + cols + "] weight has " + 2L * rows * cols
                    + " bytes, the buffer " + bytes.capacity());
        }
        this.bytes = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        try {
            this.source = (Object) SOURCE.invokeExact(this.bytes);
        } catch (Throwable e) {
            throw new IllegalStateException("Cannot view a bf16 weight for the Vector API: " + e, e);
        }
        this.rows = rows;
        this.cols = cols;
    }

    /**
     * Reads one value of every 64-byte cache line of the weight's bytes {@code [from, to)}, in order, so that they are
     * in the CPU's caches when the rows are multiplied; checks {@code stop} every 64 KiB and returns where it got.
     */
    long touch(long from, long to, BooleanSupplier stop) {
        long end = Math.min(to, bytes.capacity());
        long at = from;
        int sum = 0;
        while (at < end && !stop.getAsBoolean()) {
            long blockEnd = Math.min(end, at + TOUCH_BLOCK);
            for (; at < blockEnd; at += CACHE_LINE) {
                sum += bytes.get((int) at);
            }
        }
        touched = sum; // read, so the loads are not dropped as dead
        return Math.min(at, end);
    }

    /** The width of the vectors this JVM runs the loop with (512 with AVX-512, 256 with AVX2). */
    static int vectorBits() {
        return INTS.vectorBitSize();
    }

    int rows() {
        return rows;
    }

    int cols() {
        return cols;
    }

    /**
     * {@code y[r] = Σ_k W[r][k]·x[k]} for r in [from, to), with x given as bf16 pairs the way the weight holds them:
     * {@code xPairs[i] = bits(x[2i]) | bits(x[2i + 1]) << 16} (an odd last x in the low half alone).
     *
     * <p>x stays bf16 because it is bf16 (the engine's activations), and because its float32 form doubles what every
     * row reads besides its weight: for the 13696-wide down projection, 54 KB a row from L2 against 27 KB. Measured
     * on the 40-layer step, x in two float32 arrays (even, odd) 685–744 ms, x as pairs 566–652 ms, the same with
     * four vectors a pass 564–635 ms (torch 2.15 605–666 ms, alternated).
     */
    void multiply(int[] xPairs, float[] y, int from, int to) {
        multiply(xPairs, y, 0, from, to);
    }

    /** {@link #multiply(int[], float[], int, int)} into {@code y[at + r]}: one part of rows stacked in one result. */
    void multiply(int[] xPairs, float[] y, int at, int from, int to) {
        int lanes = INTS.length();
        int pairs = cols / 2;
        int wide = pairs - pairs % (4 * lanes);
        try {
            for (int r = from; r < to; r++) {
                long base = 2L * r * cols;
                FloatVector a0 = FloatVector.zero(FLOATS);
                FloatVector a1 = FloatVector.zero(FLOATS);
                FloatVector a2 = FloatVector.zero(FLOATS);
                FloatVector a3 = FloatVector.zero(FLOATS);
                FloatVector a4 = FloatVector.zero(FLOATS);
                FloatVector a5 = FloatVector.zero(FLOATS);
                FloatVector a6 = FloatVector.zero(FLOATS);
                FloatVector a7 = FloatVector.zero(FLOATS);
                int p = 0;
                // written out, not through small helpers: C2 did not inline those here, boxing every vector (5x slower)
                for (; p < wide; p += 4 * lanes) {
                    IntVector w0 = (IntVector) LOAD.invokeExact(INTS, source, base + 4L * p, LE);
                    IntVector w1 = (IntVector) LOAD.invokeExact(INTS, source, base + 4L * (p + lanes), LE);
                    IntVector w2 = (IntVector) LOAD.invokeExact(INTS, source, base + 4L * (p + 2 * lanes), LE);
                    IntVector w3 = (IntVector) LOAD.invokeExact(INTS, source, base + 4L * (p + 3 * lanes), LE);
                    IntVector x0 = IntVector.fromArray(INTS, xPairs, p);
                    IntVector x1 = IntVector.fromArray(INTS, xPairs, p + lanes);
                    IntVector x2 = IntVector.fromArray(INTS, xPairs, p + 2 * lanes);
                    IntVector x3 = IntVector.fromArray(INTS, xPairs, p + 3 * lanes);
                    a0 = w0.lanewise(LSHL, 16).reinterpretAsFloats().fma(
                            x0.lanewise(LSHL, 16).reinterpretAsFloats(), a0);
                    a1 = w0.and(HIGH).reinterpretAsFloats().fma(x0.and(HIGH).reinterpretAsFloats(), a1);
                    a2 = w1.lanewise(LSHL, 16).reinterpretAsFloats().fma(
                            x1.lanewise(LSHL, 16).reinterpretAsFloats(), a2);
                    a3 = w1.and(HIGH).reinterpretAsFloats().fma(x1.and(HIGH).reinterpretAsFloats(), a3);
                    a4 = w2.lanewise(LSHL, 16).reinterpretAsFloats().fma(
                            x2.lanewise(LSHL, 16).reinterpretAsFloats(), a4);
                    a5 = w2.and(HIGH).reinterpretAsFloats().fma(x2.and(HIGH).reinterpretAsFloats(), a5);
                    a6 = w3.lanewise(LSHL, 16).reinterpretAsFloats().fma(
                            x3.lanewise(LSHL, 16).reinterpretAsFloats(), a6);
                    a7 = w3.and(HIGH).reinterpretAsFloats().fma(x3.and(HIGH).reinterpretAsFloats(), a7);
                }
                float sum = a0.add(a1).add(a2.add(a3)).add(a4.add(a5).add(a6.add(a7)))
                        .reduceLanes(VectorOperators.ADD);
                for (int k = 2 * p; k < cols; k++) {
                    float w = Float.intBitsToFloat(bytes.getShort(Math.toIntExact(base + 2L * k)) << 16);
                    int xp = xPairs[k / 2];
                    sum += w * Float.intBitsToFloat(k % 2 == 0 ? xp << 16 : xp & HIGH);
                }
                y[at + r] = sum;
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e); // invokeExact declares Throwable; the load throws nothing checked
        }
    }
}
