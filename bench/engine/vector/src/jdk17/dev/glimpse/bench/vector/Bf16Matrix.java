package dev.glimpse.bench.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * A bf16 weight memory-mapped from its shard, and y = W·x over a range of its rows with fp32 accumulation.
 * Java 17's incubator API: a MappedByteBuffer (so at most 2 GB per tensor; lm_head is 1.24 GB) read with
 * {@code IntVector.fromByteBuffer}, which Java 19 removed (the Java 25 twin uses a MemorySegment).
 *
 * <p>Each int lane holds two bf16 (little-endian: the even element in the low half), so one load gives two fp32
 * vectors with one shift and one mask, no widening conversion; x is passed de-interleaved (even and odd elements).
 *
 * <p>The loop is the same in both twins on purpose: with the load behind an overridden method of a shared base class
 * the whole 40-layer step took 8–19 % longer on Java 25 (A/B, bench/engine/README.md).
 */
public final class Bf16Matrix {

    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private final MappedByteBuffer data;
    private final int rows;
    private final int cols;

    public Bf16Matrix(SafetensorsTensor t) throws IOException {
        try (FileChannel ch = FileChannel.open(t.shard(), StandardOpenOption.READ)) {
            this.data = ch.map(FileChannel.MapMode.READ_ONLY, t.offset(), t.bytes());
            this.data.order(ByteOrder.LITTLE_ENDIAN);
        }
        this.rows = t.rows();
        this.cols = t.cols();
    }

    public static String api() {
        return "ByteBuffer (Java 17 incubator), " + I.vectorBitSize() + "-bit";
    }

    public int rows() {
        return rows;
    }

    public short bits(int row, int col) {
        return data.getShort((int) (2L * row * cols + 2L * col));
    }

    /** y[r] = Σ_k W[r][k] x[k] for r in [from, to); xEven[i] = x[2i], xOdd[i] = x[2i + 1]. */
    public void rows(float[] xEven, float[] xOdd, float[] y, int from, int to) {
        int lanes = I.length();
        int pairs = cols / 2;
        int wide = pairs - pairs % (2 * lanes);
        for (int r = from; r < to; r++) {
            int base = r * cols * 2;
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = FloatVector.zero(F);
            FloatVector a2 = FloatVector.zero(F);
            FloatVector a3 = FloatVector.zero(F);
            int p = 0;
            for (; p < wide; p += 2 * lanes) {
                IntVector v = IntVector.fromByteBuffer(I, data, base + 4 * p, ByteOrder.LITTLE_ENDIAN);
                IntVector u = IntVector.fromByteBuffer(I, data, base + 4 * (p + lanes), ByteOrder.LITTLE_ENDIAN);
                a0 = v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(FloatVector.fromArray(F, xEven, p), a0);
                a1 = v.and(0xFFFF0000).reinterpretAsFloats().fma(FloatVector.fromArray(F, xOdd, p), a1);
                a2 = u.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(FloatVector.fromArray(F, xEven, p + lanes), a2);
                a3 = u.and(0xFFFF0000).reinterpretAsFloats().fma(FloatVector.fromArray(F, xOdd, p + lanes), a3);
            }
            float sum = a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD);
            for (int k = 2 * p; k < cols; k++) {
                sum += Float.intBitsToFloat(data.getShort(base + 2 * k) << 16) * (k % 2 == 0 ? xEven[k / 2] : xOdd[k / 2]);
            }
            y[r] = sum;
        }
    }
}
