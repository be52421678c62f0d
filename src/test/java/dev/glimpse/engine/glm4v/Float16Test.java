package dev.glimpse.engine.glm4v;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Float16Test {

    /** The value of half bits computed independently, with exact decimal arithmetic. */
    private static double halfValue(int h) {
        int exp = (h >>> 10) & 0x1F;
        int mant = h & 0x3FF;
        double sign = (h & 0x8000) != 0 ? -1 : 1;
        if (exp == 0) {
            return sign * mant * Math.pow(2, -24);
        }
        return sign * (1024 + mant) * Math.pow(2, exp - 25);
    }

    @Test
    void halfToFloatIsExactForEveryFiniteHalf() {
        for (int h = 0; h < 1 << 16; h++) {
            if (((h >>> 10) & 0x1F) == 0x1F) {
                continue;
            }
            assertEquals(halfValue(h), Float16.halfToFloat((short) h), 0.0, "half bits " + Integer.toHexString(h));
        }
        assertEquals(Float.POSITIVE_INFINITY, Float16.halfToFloat((short) 0x7C00));
        assertEquals(Float.NEGATIVE_INFINITY, Float16.halfToFloat((short) 0xFC00));
        assertTrue(Float.isNaN(Float16.halfToFloat((short) 0x7E00)));
    }

    @Test
    void everyHalfSurvivesARoundTrip() {
        for (int h = 0; h < 1 << 16; h++) {
            float f = Float16.halfToFloat((short) h);
            short back = Float16.floatToHalf(f);
            if (Float.isNaN(f)) {
                assertTrue(Float.isNaN(Float16.halfToFloat(back)));
            } else {
                assertEquals(h, back & 0xFFFF, "half bits " + Integer.toHexString(h));
            }
        }
    }

    @Test
    void narrowingRoundsToNearestEven() {
        // every bfloat16 value, checked against the nearest half found by exact comparison
        for (int b = 0; b < 1 << 16; b++) {
            float f = Float16.bf16ToFloat((short) b);
            if (Float.isNaN(f) || Float.isInfinite(f)) {
                continue;
            }
            int got = Float16.floatToHalf(f) & 0xFFFF;
            assertEquals(nearestHalf(f), got, "bf16 bits " + Integer.toHexString(b) + " = " + f);
        }
        assertEquals(0x7C00, Float16.floatToHalf(65520f) & 0xFFFF, "the tie above the largest half overflows");
        assertEquals(0x7BFF, Float16.floatToHalf(65519.99f) & 0xFFFF);
        assertEquals(0x0000, Float16.floatToHalf(0x1p-25f) & 0xFFFF, "half the smallest subnormal ties to zero");
        assertEquals(0x0001, Float16.floatToHalf(Math.nextUp(0x1p-25f)) & 0xFFFF);
        assertEquals(0x8000, Float16.floatToHalf(-0f) & 0xFFFF);
    }

    @Test
    void bf16NarrowingRoundsToNearestEven() {
        Random random = new Random(7);
        for (int i = 0; i < 1_000_000; i++) {
            float f = Float.intBitsToFloat(random.nextInt());
            if (Float.isNaN(f) || Float.isInfinite(f)) {
                assertEquals(Float.isNaN(f), Float.isNaN(Float16.bf16ToFloat(Float16.floatToBf16(f))));
                continue;
            }
            // the two bf16 neighbours of f (truncation and one step away from zero), chosen by exact comparison
            short down = (short) (Float.floatToRawIntBits(f) >>> 16);
            short up = (short) (down + 1);
            double below = Math.abs((double) f - Float16.bf16ToFloat(down));
            // beyond the largest bf16, rounding treats infinity as the next step, 2^128
            double upValue = (up & 0x7FFF) == 0x7F80 ? Math.copySign(0x1p128, f) : Float16.bf16ToFloat(up);
            double above = Math.abs(upValue - f);
            short expected = below < above || (below == above && (down & 1) == 0) ? down : up;
            assertEquals(expected, Float16.floatToBf16(f),
                    "float bits " + Integer.toHexString(Float.floatToRawIntBits(f)));
        }
        assertEquals((short) 0x3F80, Float16.floatToBf16(1f));
        assertEquals((short) 0x3F80, Float16.floatToBf16(Float.intBitsToFloat(0x3F808000)), "a tie goes to even");
        assertEquals((short) 0x3F82, Float16.floatToBf16(Float.intBitsToFloat(0x3F818000)), "a tie goes to even");
        assertEquals((short) 0x7F80, Float16.floatToBf16(Float.MAX_VALUE), "above the largest bf16: infinity");
        assertEquals((short) 0xFF80, Float16.floatToBf16(Float.NEGATIVE_INFINITY));
        assertEquals((short) 0x8000, Float16.floatToBf16(-0f));
        assertTrue(Float.isNaN(Float16.bf16ToFloat(Float16.floatToBf16(Float.intBitsToFloat(0x7F800001)))),
                "a NaN whose payload lies in the lower half stays NaN");
    }

    // brute force over the positive halves: the closest one, ties to the even bit pattern
    private static int nearestHalf(float f) {
        BigDecimal x = new BigDecimal(Math.abs((double) f));
        int sign = f < 0 || (f == 0 && 1 / f < 0) ? 0x8000 : 0;
        BigDecimal max = new BigDecimal(65504);
        BigDecimal overflowTie = new BigDecimal(65520);
        if (x.compareTo(overflowTie) >= 0) {
            return sign | 0x7C00;
        }
        if (x.compareTo(max) >= 0) {
            return sign | 0x7BFF;
        }
        int lo = 0;
        int hi = 0x7BFF;
        while (lo < hi) { // largest half <= x
            int mid = (lo + hi + 1) >>> 1;
            if (new BigDecimal(halfValue(mid)).compareTo(x) <= 0) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        BigDecimal below = new BigDecimal(halfValue(lo));
        if (below.compareTo(x) == 0) {
            return sign | lo;
        }
        BigDecimal above = new BigDecimal(halfValue(lo + 1));
        int c = x.subtract(below).compareTo(above.subtract(x));
        int pick = c < 0 ? lo : c > 0 ? lo + 1 : (lo % 2 == 0 ? lo : lo + 1);
        return sign | pick;
    }
}
