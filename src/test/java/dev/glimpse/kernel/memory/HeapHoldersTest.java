package dev.glimpse.kernel.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Naming the variables that hold the heap, and the message that tells the user how to free it. */
class HeapHoldersTest {

    /** A user class with a field, as a cell declares it. */
    static final class Cache {
        final List<long[]> rows = new ArrayList<>();
    }

    @Test
    void theVariablesThatReachMostMemoryComeFirst() {
        List<byte[]> hog = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            hog.add(new byte[1 << 20]);
        }
        Cache cache = new Cache();
        for (int i = 0; i < 4; i++) {
            cache.rows.add(new long[1 << 17]); // 1 MiB each
        }
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("small", "a short string");
        variables.put("cache", cache);
        variables.put("hog", hog);
        variables.put("nothing", null);

        List<HeapHolders.Holder> holders = HeapHolders.largest(variables, 1 << 20);

        assertEquals(List.of("hog", "cache"), holders.stream().map(HeapHolders.Holder::name).toList());
        assertEquals("ArrayList", holders.get(0).type());
        long hogBytes = holders.get(0).bytes();
        assertTrue(hogBytes >= 24L << 20 && hogBytes < 25L << 20, hogBytes + " bytes");
        assertTrue(holders.get(1).bytes() >= 4L << 20, "a user object's fields are followed");
    }

    @Test
    void theReportNamesTheHoldersAndTheWayOut() {
        String report = HeapHolders.report(List.of(new HeapHolders.Holder("hog", "ArrayList", 350L << 20),
                new HeapHolders.Holder("copy", "byte[]", 20L << 20)), 380L << 20, 384L << 20);
        assertEquals("""
                The Java heap is still full after this cell: 380 MB of 384 MB in use.
                Held by the variables hog (ArrayList, about 350 MB), copy (byte[], about 20 MB).
                Free it with `hog = null;` `copy = null;` in the next cell, or restart the kernel. Until then new \
                cells may run out of memory.
                """, report);
        assertTrue(HeapHolders.report(List.of(), 380L << 20, 384L << 20).contains("Restart the kernel"));
    }

    @Test
    void theReserveIsAShareOfTheHeapWithinBounds() {
        assertEquals(8 << 20, HeapReserve.reserveBytes(64L << 20));
        assertEquals((int) ((384L << 20) / 20), HeapReserve.reserveBytes(384L << 20));
        assertEquals(64 << 20, HeapReserve.reserveBytes(16L << 30));
    }
}
