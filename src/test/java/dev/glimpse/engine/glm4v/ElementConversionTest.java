package dev.glimpse.engine.glm4v;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class ElementConversionTest {

    private final ElementConversion conversion = new ElementConversion();
    // more than one block, and not a multiple of it
    private final float[] values = SafetensorsFiles.values(ElementConversion.BLOCK * 2 + 123, 7);

    private ByteBuffer encode(SafetensorsDtype dtype) {
        ByteBuffer b = ByteBuffer.allocateDirect(values.length * dtype.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            switch (dtype) {
                case BF16 -> b.putShort(SafetensorsFiles.toBf16(v));
                case F16 -> b.putShort(Float16.floatToHalf(v));
                case F32 -> b.putFloat(v);
                default -> throw new IllegalArgumentException();
            }
        }
        return b.flip();
    }

    private float[] convert(SafetensorsDtype from, SafetensorsDtype to) {
        ByteBuffer src = encode(from);
        ByteBuffer dst = ByteBuffer.allocateDirect(values.length * to.bytes()).order(ByteOrder.nativeOrder());
        conversion.convert(from, src, to, dst, values.length);
        assertEquals(values.length * from.bytes(), src.position(), "source consumed");
        assertEquals(values.length * to.bytes(), dst.position(), "destination filled");
        dst.flip();
        float[] out = new float[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = to == SafetensorsDtype.F32 ? dst.getFloat() : Float16.halfToFloat(dst.getShort());
        }
        return out;
    }

    private float[] expected(SafetensorsDtype from, SafetensorsDtype to) {
        float[] out = new float[values.length];
        for (int i = 0; i < out.length; i++) {
            float v = switch (from) {
                case BF16 -> SafetensorsFiles.bf16Round(values[i]);
                case F16 -> Float16.halfToFloat(Float16.floatToHalf(values[i]));
                default -> values[i];
            };
            out[i] = to == SafetensorsDtype.F16 ? Float16.halfToFloat(Float16.floatToHalf(v)) : v;
        }
        return out;
    }

    @Test
    void bf16ToF32IsExact() {
        assertArrayEquals(expected(SafetensorsDtype.BF16, SafetensorsDtype.F32),
                convert(SafetensorsDtype.BF16, SafetensorsDtype.F32));
    }

    @Test
    void bf16ToF16RoundsOnce() {
        assertArrayEquals(expected(SafetensorsDtype.BF16, SafetensorsDtype.F16),
                convert(SafetensorsDtype.BF16, SafetensorsDtype.F16));
    }

    @Test
    void halfAndFloatSourcesConvertBothWays() {
        for (SafetensorsDtype from : new SafetensorsDtype[] {SafetensorsDtype.F16, SafetensorsDtype.F32}) {
            for (SafetensorsDtype to : new SafetensorsDtype[] {SafetensorsDtype.F16, SafetensorsDtype.F32}) {
                assertArrayEquals(expected(from, to), convert(from, to), from + " → " + to);
            }
        }
    }

    @Test
    void integerTensorsAreRefused() {
        ByteBuffer b = ByteBuffer.allocate(8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> conversion.convert(SafetensorsDtype.I64, b, SafetensorsDtype.F32, ByteBuffer.allocate(4), 1));
        assertEquals("Cannot convert I64 to F32", e.getMessage());
    }
}
