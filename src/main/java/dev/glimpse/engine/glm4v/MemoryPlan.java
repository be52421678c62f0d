package dev.glimpse.engine.glm4v;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * What loading a model will take, compared with what the machine has, decided before any weight is read: a
 * 10-billion-parameter model in float32 needs 41 GB, and without this check a 24 GB machine only finds out when the
 * kernel's OOM killer ends the process, with no word to the user.
 *
 * @param weightBytes     the weights in the dtype they will be held in
 * @param mapped          whether the weights are memory-mapped from the checkpoint (bf16 on the CPU): they then
 *                        live in the page cache, which the kernel can reclaim and re-read, not in process memory
 * @param workingBytes    activations, KV cache, the JVM and libtorch: process memory on top of the weights
 * @param availableBytes  what the machine has for it (MemAvailable, or the cgroup's limit if lower; a GPU's memory)
 * @param dtype           the dtype, as the CLI spells it
 * @param device          "cpu" or "gpu"
 */
public record MemoryPlan(long weightBytes, boolean mapped, long workingBytes, long availableBytes, String dtype,
                         String device) {

    /** Process memory besides the weights: JVM + libtorch (~0.5 GB), activations, KV cache, vision attention. */
    static final long WORKING_BYTES = 2L << 30;

    /** Above this share of what is available the load goes ahead with a warning. */
    static final double TIGHT = 0.85;

    /** The outcome. */
    public enum Verdict {
        /** Fits with room to spare. */
        FITS,
        /** Fits, but with little room: other programs or the page cache will be squeezed; may be slow. */
        TIGHT,
        /** Does not fit: loading would swap or be killed. */
        REFUSE
    }

    /** What must be resident for the model to run at speed. */
    public long neededBytes() {
        return weightBytes + workingBytes;
    }

    /** Process (anonymous) memory: the weights only when they are copied, not mapped. */
    public long processBytes() {
        return (mapped ? 0 : weightBytes) + workingBytes;
    }

    /**
     * {@link Verdict#REFUSE} when process memory alone exceeds what is available (copied weights cannot be paged
     * back to a file: the machine swaps or kills the process); {@link Verdict#TIGHT} when everything that should be
     * resident exceeds {@value #TIGHT} of it (mapped weights are then re-read from disk as they are evicted).
     */
    public Verdict verdict() {
        if (processBytes() > availableBytes) {
            return Verdict.REFUSE;
        }
        return neededBytes() > TIGHT * availableBytes ? Verdict.TIGHT : Verdict.FITS;
    }

    /** Names the need, what is available and the fix; for {@link Verdict#REFUSE} and {@link Verdict#TIGHT}. */
    public String message(Path modelDir) {
        String what = "The model in " + modelDir + " needs about " + gb(neededBytes()) + " in " + dtype + " on the "
                + device + " (" + gb(weightBytes) + " of weights" + (mapped ? ", memory-mapped" : "") + " + "
                + gb(workingBytes) + " to run), and this " + (device.equals("gpu") ? "GPU" : "machine") + " has "
                + gb(availableBytes) + " available.";
        if (verdict() == Verdict.TIGHT) {
            return what + " Loading anyway: it may be slow" + (mapped ? " (weights are re-read from disk when memory"
                    + " runs short)" : "") + ". Close other programs to free memory.";
        }
        String fix = dtype.equals("bfloat16")
                ? "use a machine or GPU with more memory, or connect to a model served elsewhere (--model http://…)"
                : "run it in bfloat16 (--dtype bfloat16, GLIMPSE_DTYPE=bfloat16, or %model <dir> bfloat16: half the "
                        + "memory, and on the CPU the weights are memory-mapped instead of copied), use a GPU with "
                        + "more memory, or connect to a model served elsewhere (--model http://…)";
        return what + " It was not loaded: " + fix + ".";
    }

    static String gb(long bytes) {
        return String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
    }

    /**
     * Host memory available to this process: MemAvailable from /proc/meminfo, capped by a cgroup v2 memory limit
     * when one is set; empty where neither can be read (then no check is made).
     */
    static OptionalLong hostAvailableBytes() {
        OptionalLong available = meminfo(Path.of("/proc/meminfo"), "MemAvailable:");
        OptionalLong limit = cgroupLimit(Path.of("/sys/fs/cgroup/memory.max"), Path.of("/sys/fs/cgroup/memory.current"));
        if (available.isPresent() && limit.isPresent()) {
            return OptionalLong.of(Math.min(available.getAsLong(), limit.getAsLong()));
        }
        return available.isPresent() ? available : limit;
    }

    static OptionalLong meminfo(Path file, String key) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.filter(l -> l.startsWith(key)).findFirst()
                    .map(l -> OptionalLong.of(Long.parseLong(l.substring(key.length()).trim().split("\\s+")[0])
                            * 1024))
                    .orElse(OptionalLong.empty());
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    // the room left under a cgroup limit: limit minus what the group already uses
    static OptionalLong cgroupLimit(Path max, Path current) {
        try {
            String limit = Files.readString(max).trim();
            if (limit.equals("max")) {
                return OptionalLong.empty();
            }
            long used = Long.parseLong(Files.readString(current).trim());
            return OptionalLong.of(Math.max(0, Long.parseLong(limit) - used));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }
}
