package dev.glimpse.engine.glm4v;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RowSplitTest {

    @Test
    void everyRowIsRunOnceAcrossTheThreads() {
        RowSplit split = new RowSplit("test-rows");
        for (int rows : new int[] {1, 7, 64, 1000}) {
            AtomicIntegerArray runs = new AtomicIntegerArray(rows);
            split.run(rows, 3, 2, (from, to) -> {
                for (int r = from; r < to; r++) {
                    runs.incrementAndGet(r);
                }
            });
            for (int r = 0; r < rows; r++) {
                assertEquals(1, runs.get(r), rows + " rows: row " + r);
            }
        }
    }

    @Test
    void aWorkerRunsTheIdleTaskAfterTheRowsUntilTheNextCall() throws Exception {
        RowSplit split = new RowSplit("test-idle");
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch ended = new CountDownLatch(1);
        AtomicReference<String> thread = new AtomicReference<>();
        AtomicInteger rowsDone = new AtomicInteger();
        split.run(64, 4, 2, (from, to) -> rowsDone.addAndGet(to - from), nextCall -> {
            thread.set(Thread.currentThread().getName());
            // every row was done before the idle work began
            if (rowsDone.get() == 64) {
                started.countDown();
            }
            while (!nextCall.getAsBoolean()) {
                Thread.onSpinWait();
            }
            ended.countDown();
        });
        assertTrue(started.await(10, TimeUnit.SECONDS), "the idle task ran after the rows");
        assertNotEquals(Thread.currentThread().getName(), thread.get(), "on a worker, not the caller");
        assertEquals(1, ended.getCount(), "still running: no call came since");
        AtomicInteger second = new AtomicInteger();
        split.run(64, 4, 2, (from, to) -> second.addAndGet(to - from));
        assertTrue(ended.await(10, TimeUnit.SECONDS), "the next call ended it");
        assertEquals(64, second.get(), "and ran every row of its own");
    }

    @Test
    void aFailingIdleTaskLeavesTheWorkersToTheNextCalls() {
        RowSplit split = new RowSplit("test-idle-failure");
        split.run(64, 4, 2, (from, to) -> { }, nextCall -> {
            throw new IllegalStateException("idle work failed");
        });
        for (int i = 0; i < 20; i++) {
            AtomicInteger rows = new AtomicInteger();
            split.run(64, 4, 2, (from, to) -> rows.addAndGet(to - from));
            assertEquals(64, rows.get());
        }
    }

    @Test
    void aFailingRowReachesTheCallerAndTheNextCallWorks() {
        RowSplit split = new RowSplit("test-failure");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> split.run(64, 4, 2, (from, to) -> {
            if (from >= 32) {
                throw new IllegalStateException("row " + from);
            }
        }));
        assertTrue(e.getMessage().startsWith("row "));
        AtomicInteger rows = new AtomicInteger();
        split.run(64, 4, 2, (from, to) -> rows.addAndGet(to - from));
        assertEquals(64, rows.get());
    }
}
