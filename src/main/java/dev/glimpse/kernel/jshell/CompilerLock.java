package dev.glimpse.kernel.jshell;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Guards JShell's compiler state, which one thread at a time may use. An evaluation holds it while JShell compiles
 * and loads a snippet and lets go of it while the snippet's code runs, so that completion and inspection requests
 * wait for a compilation (tens of milliseconds) but never for a long-running cell.
 */
final class CompilerLock {

    private final ReentrantLock lock = new ReentrantLock();

    void lock() {
        lock.lock();
    }

    void unlock() {
        lock.unlock();
    }

    /**
     * Lets go of the lock entirely, however often the calling thread holds it.
     *
     * @return how often it was held, for {@link #resume(int)}
     */
    int suspend() {
        int holds = lock.getHoldCount();
        for (int i = 0; i < holds; i++) {
            lock.unlock();
        }
        return holds;
    }

    /** Takes the lock back as often as {@link #suspend()} let go of it. */
    void resume(int holds) {
        for (int i = 0; i < holds; i++) {
            lock.lock();
        }
    }
}
