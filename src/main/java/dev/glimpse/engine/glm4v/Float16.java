package dev.glimpse.engine.glm4v;

/**
 * IEEE 754 half precision and bfloat16 bit conversions (Java 17 has no {@code Float.floatToFloat16}).
 * Narrowing rounds to nearest, ties to even; out-of-range values become infinities; NaN stays NaN.
 */
final class Float16 {

    private Float16() {
    }

    /** bfloat16 bits → float: bfloat16 is the upper half of a float. */
    static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat(bits << 16);
    }

    /**
     * float → bfloat16 bits, rounding to nearest even as torch's {@code .to(torch.bfloat16)}: bf16 is float's upper
     * half, so the lower half decides the rounding, and a carry rolls into the exponent (up to infinity). A NaN stays
     * a NaN with its sign and upper payload (torch writes every NaN as 0x7FC0).
     */
    static short floatToBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if ((bits & 0x7FFFFFFF) > 0x7F800000) {
            return (short) ((bits >>> 16) | 0x40); // NaN stays NaN (quiet), whatever its payload's upper bits
        }
        return (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
    }

    /** half bits → float (exact). */
    static float halfToFloat(short half) {
        int h = half & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1F;
        int mant = h & 0x3FF;
        if (exp == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        }
        if (exp == 0) {
            float magnitude = mant * 0x1p-24f; // subnormal (or zero): exact in float
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** float → half bits, rounding to nearest even. */
    static short floatToHalf(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int abs = bits & 0x7FFFFFFF;
        if (abs >= 0x7F800000) { // infinity or NaN (keep NaN quiet and non-zero)
            return (short) (sign | 0x7C00 | (abs > 0x7F800000 ? 0x200 | ((abs >>> 13) & 0x3FF) : 0));
        }
        if (abs >= 0x47800000) { // ≥ 65536: beyond the largest half even before rounding
            return (short) (sign | 0x7C00);
        }
        int exp = abs >>> 23;
        if (exp < 113) { // below 2^-14: a half subnormal, in units of 2^-24
            if (abs < 0x33000000) { // ≤ 2^-25 rounds to zero (2^-25 itself is a tie, to even 0)
                return (short) sign;
            }
            int mant = (abs & 0x7FFFFF) | 0x800000;
            int shift = 126 - exp; // 14..24
            return (short) (sign | roundShift(mant, shift));
        }
        // normal: rebias the exponent, keep 10 mantissa bits; a carry may roll into the exponent (up to infinity)
        int h = ((exp - 112) << 10) | ((abs >>> 13) & 0x3FF);
        int rest = abs & 0x1FFF;
        if (rest > 0x1000 || (rest == 0x1000 && (h & 1) == 1)) {
            h++;
        }
        return (short) (sign | h);
    }

    private static int roundShift(int value, int shift) {
        int q = value >>> shift;
        int rest = value & ((1 << shift) - 1);
        int half = 1 << (shift - 1);
        if (rest > half || (rest == half && (q & 1) == 1)) {
            q++;
        }
        return q;
    }
}
