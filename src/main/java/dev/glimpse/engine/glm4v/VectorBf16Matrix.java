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

/**
 * A bf16 {@code [rows, cols]} weight read in place (the checkpoint's mapped bytes, through libtorch's tensor), and
 * {@code y = W·x} over a range of its rows with float32 accumulation, in the Java Vector API.
 *
 * <p>It exists because libtorch 2.7.1 (DJL 0.36) has no memory-bound bf16 matrix-vector kernel: a decoding step of
 * GLM-4.6V-Flash streams 17.6 GB of bf16 weights, which libtorch reads at 11–13 GB/s and this loop at 27–35 GB/s on
 * 2 threads, as fast as torch 2.15's own kernel (bench/engine/README.md, "The bf16 decode route").
 *
 * <p>Each int lane holds two bf16 (little-endian: the even element in the low half), so one load gives two float32
 * vectors with one shift and one mask, no widening conversion; x is passed de-interleaved (even and odd elements).
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

    /** {@code y[r] = Σ_k W[r][k]·x[k]} for r in [from, to); {@code xEven[i] = x[2i]}, {@code xOdd[i] = x[2i + 1]}. */
    void multiply(float[] xEven, float[] xOdd, float[] y, int from, int to) {
        int lanes = INTS.length();
        int pairs = cols / 2;
        int wide = pairs - pairs % (2 * lanes);
        try {
            for (int r = from; r < to; r++) {
                long base = 2L * r * cols;
                FloatVector a0 = FloatVector.zero(FLOATS);
                FloatVector a1 = FloatVector.zero(FLOATS);
                FloatVector a2 = FloatVector.zero(FLOATS);
                FloatVector a3 = FloatVector.zero(FLOATS);
                int p = 0;
                for (; p < wide; p += 2 * lanes) {
                    IntVector v = (IntVector) LOAD.invokeExact(INTS, source, base + 4L * p, ByteOrder.LITTLE_ENDIAN);
                    IntVector u = (IntVector) LOAD.invokeExact(INTS, source, base + 4L * (p + lanes),
                            ByteOrder.LITTLE_ENDIAN);
                    a0 = v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats()
                            .fma(FloatVector.fromArray(FLOATS, xEven, p), a0);
                    a1 = v.and(0xFFFF0000).reinterpretAsFloats().fma(FloatVector.fromArray(FLOATS, xOdd, p), a1);
                    a2 = u.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats()
                            .fma(FloatVector.fromArray(FLOATS, xEven, p + lanes), a2);
                    a3 = u.and(0xFFFF0000).reinterpretAsFloats()
                            .fma(FloatVector.fromArray(FLOATS, xOdd, p + lanes), a3);
                }
                float sum = a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD);
                for (int k = 2 * p; k < cols; k++) {
                    float w = Float.intBitsToFloat(bytes.getShort(Math.toIntExact(base + 2L * k)) << 16);
                    sum += w * (k % 2 == 0 ? xEven[k / 2] : xOdd[k / 2]);
                }
                y[r] = sum;
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e); // invokeExact declares Throwable; the load throws nothing checked
        }
    }
}
