package dev.glimpse.engine.glm4v;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.ShortBuffer;

/**
 * Converts runs of tensor elements from a safetensors dtype to a float dtype DJL's PyTorch engine can hold
 * (it aborts the JVM on bfloat16). Source buffers are little-endian as on disk; destination buffers are written in
 * native order, as native code reads them. Work goes through reused primitive arrays in blocks, so the loops are
 * tight and nothing is boxed.
 */
final class ElementConversion {

    /** Elements per block: big enough to amortise bulk copies, small enough to stay in cache. */
    static final int BLOCK = 1 << 14;

    // bfloat16 has only 65536 values, so bf16 → half is one table lookup per element
    private static final short[] BF16_TO_HALF = new short[1 << 16];

    static {
        for (int i = 0; i < BF16_TO_HALF.length; i++) {
            BF16_TO_HALF[i] = Float16.floatToHalf(Float16.bf16ToFloat((short) i));
        }
    }

    private final short[] shorts = new short[BLOCK];
    private final int[] ints = new int[BLOCK];
    private final float[] floats = new float[BLOCK];

    /** Whether {@code from} can be converted to {@code to}. */
    static boolean supports(SafetensorsDtype from, SafetensorsDtype to) {
        boolean source = from == SafetensorsDtype.BF16 || from == SafetensorsDtype.F16 || from == SafetensorsDtype.F32;
        boolean target = to == SafetensorsDtype.F16 || to == SafetensorsDtype.F32;
        return source && target;
    }

    /**
     * Converts {@code count} elements from {@code src} (little-endian, at its position) to {@code dst} (at its
     * position, native order). Both buffers' positions advance past what was read and written.
     */
    void convert(SafetensorsDtype from, ByteBuffer src, SafetensorsDtype to, ByteBuffer dst, int count) {
        if (!supports(from, to)) {
            throw new IllegalArgumentException("Cannot convert " + from + " to " + to);
        }
        ByteBuffer in = src.slice().order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer out = dst.slice().order(ByteOrder.nativeOrder());
        if (from == to) {
            ByteBuffer part = in.limit(count * from.bytes());
            if (from == SafetensorsDtype.F32 && ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
                out.asFloatBuffer().put(part.asFloatBuffer());
            } else if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
                out.asShortBuffer().put(part.asShortBuffer());
            } else {
                out.put(part);
            }
        } else if (from == SafetensorsDtype.BF16 && to == SafetensorsDtype.F32) {
            bf16ToF32(in.asShortBuffer(), out.asIntBuffer(), count);
        } else if (from == SafetensorsDtype.BF16) {
            bf16ToF16(in.asShortBuffer(), out.asShortBuffer(), count);
        } else if (from == SafetensorsDtype.F16) {
            f16ToF32(in.asShortBuffer(), out.asFloatBuffer(), count);
        } else {
            f32ToF16(in.asFloatBuffer(), out.asShortBuffer(), count);
        }
        src.position(src.position() + count * from.bytes());
        dst.position(dst.position() + count * to.bytes());
    }

    private void bf16ToF32(ShortBuffer in, IntBuffer out, int count) {
        short[] s = shorts;
        int[] d = ints;
        for (int done = 0; done < count; ) {
            int n = Math.min(BLOCK, count - done);
            in.get(s, 0, n);
            for (int i = 0; i < n; i++) {
                d[i] = s[i] << 16;
            }
            out.put(d, 0, n);
            done += n;
        }
    }

    private void bf16ToF16(ShortBuffer in, ShortBuffer out, int count) {
        short[] s = shorts;
        short[] table = BF16_TO_HALF;
        for (int done = 0; done < count; ) {
            int n = Math.min(BLOCK, count - done);
            in.get(s, 0, n);
            for (int i = 0; i < n; i++) {
                s[i] = table[s[i] & 0xFFFF];
            }
            out.put(s, 0, n);
            done += n;
        }
    }

    private void f16ToF32(ShortBuffer in, FloatBuffer out, int count) {
        short[] s = shorts;
        float[] f = floats;
        for (int done = 0; done < count; ) {
            int n = Math.min(BLOCK, count - done);
            in.get(s, 0, n);
            for (int i = 0; i < n; i++) {
                f[i] = Float16.halfToFloat(s[i]);
            }
            out.put(f, 0, n);
            done += n;
        }
    }

    private void f32ToF16(FloatBuffer in, ShortBuffer out, int count) {
        short[] s = shorts;
        float[] f = floats;
        for (int done = 0; done < count; ) {
            int n = Math.min(BLOCK, count - done);
            in.get(f, 0, n);
            for (int i = 0; i < n; i++) {
                s[i] = Float16.floatToHalf(f[i]);
            }
            out.put(s, 0, n);
            done += n;
        }
    }
}
