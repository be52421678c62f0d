package dev.glimpse.engine.glm4v;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Resolves tensor names across the safetensors files of a model directory: the shards listed in
 * {@code model.safetensors.index.json}, or a single {@code model.safetensors}. All shards are opened (headers only)
 * up front, so a missing or truncated file is reported before any weight is loaded.
 */
public final class SafetensorsIndex implements AutoCloseable {

    /** The sharded layout's index file. */
    public static final String INDEX_FILE = "model.safetensors.index.json";
    /** The single-file layout. */
    public static final String SINGLE_FILE = "model.safetensors";

    private final Path directory;
    private final Path source;
    private final List<SafetensorsShard> shards;
    private final Map<String, SafetensorsShard> shardByTensor;

    private SafetensorsIndex(Path directory, Path source, List<SafetensorsShard> shards,
                             Map<String, SafetensorsShard> shardByTensor) {
        this.directory = directory;
        this.source = source;
        this.shards = List.copyOf(shards);
        this.shardByTensor = Collections.unmodifiableMap(shardByTensor);
    }

    /** Opens the weights of a model directory. */
    public static SafetensorsIndex open(Path directory) {
        Path index = directory.resolve(INDEX_FILE);
        if (Files.isRegularFile(index)) {
            return openSharded(directory, index);
        }
        Path single = directory.resolve(SINGLE_FILE);
        if (Files.isRegularFile(single)) {
            SafetensorsShard shard = SafetensorsShard.open(single);
            Map<String, SafetensorsShard> map = new LinkedHashMap<>();
            shard.tensors().keySet().forEach(n -> map.put(n, shard));
            return new SafetensorsIndex(directory, single, List.of(shard), map);
        }
        throw new IllegalArgumentException("No weights in " + directory + ": expected " + INDEX_FILE + " with its "
                + "model-*.safetensors shards, or a single " + SINGLE_FILE + ". Download the model's *.safetensors "
                + "files into this directory.");
    }

    /** Names the shards a weight_map refers to that are not in the directory, or an empty list. */
    static List<String> missingShards(Path directory, Map<String, String> weightMap) {
        return new TreeSet<>(weightMap.values()).stream()
                .filter(f -> !Files.isRegularFile(directory.resolve(f)))
                .collect(Collectors.toList());
    }

    /** Reads the {@code weight_map} of an index file: tensor name → shard file name. */
    static Map<String, String> readWeightMap(Path index) {
        ConfigJson json = ConfigJson.read(index);
        if (!json.has("weight_map")) {
            throw new IllegalArgumentException(index + " has no weight_map. Download it again from the model "
                    + "repository.");
        }
        JsonNode entries = json.rawChild("weight_map");
        if (!entries.isObject()) {
            throw new IllegalArgumentException(index + ": weight_map must be an object of tensor name → file name");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : entries.properties()) {
            if (!e.getValue().isTextual()) {
                throw new IllegalArgumentException(index + ": weight_map entry '" + e.getKey()
                        + "' must name a file, but is " + e.getValue());
            }
            map.put(e.getKey(), e.getValue().asText());
        }
        return map;
    }

    private static SafetensorsIndex openSharded(Path directory, Path index) {
        Map<String, String> weightMap = readWeightMap(index);
        List<String> missing = missingShards(directory, weightMap);
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(INDEX_FILE + " in " + directory + " lists " + missing.size()
                    + " shard file(s) that are missing: " + String.join(", ", missing)
                    + ". The download is incomplete; download the missing files into " + directory + ".");
        }
        Map<String, SafetensorsShard> byFile = new LinkedHashMap<>();
        try {
            for (String f : new TreeSet<>(weightMap.values())) {
                byFile.put(f, SafetensorsShard.open(directory.resolve(f)));
            }
            Map<String, SafetensorsShard> byTensor = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : weightMap.entrySet()) {
                SafetensorsShard shard = byFile.get(e.getValue());
                if (shard.info(e.getKey()) == null) {
                    throw new IllegalArgumentException(INDEX_FILE + " in " + directory + " places tensor '" + e.getKey()
                            + "' in " + e.getValue() + ", but that file's header does not list it. The index and the "
                            + "shards come from different downloads; download the model again.");
                }
                byTensor.put(e.getKey(), shard);
            }
            return new SafetensorsIndex(directory, index, new ArrayList<>(byFile.values()), byTensor);
        } catch (RuntimeException e) {
            byFile.values().forEach(SafetensorsShard::close);
            throw e;
        }
    }

    /** The model directory. */
    public Path directory() {
        return directory;
    }

    /** The open shards, in file-name order. */
    public List<SafetensorsShard> shards() {
        return shards;
    }

    /** Every tensor name, in index order. */
    public Set<String> names() {
        return shardByTensor.keySet();
    }

    /** Whether a tensor of that name exists. */
    public boolean contains(String name) {
        return shardByTensor.containsKey(name);
    }

    /** The shard holding a tensor; throws naming the tensor and the files searched if there is none. */
    public SafetensorsShard shardOf(String name) {
        SafetensorsShard shard = shardByTensor.get(name);
        if (shard == null) {
            throw missing(name);
        }
        return shard;
    }

    /** Where a tensor lives; throws naming the tensor and the files searched if there is none. */
    public TensorInfo info(String name) {
        return shardOf(name).info(name);
    }

    /** Bytes of all tensor data as stored on disk. */
    public long totalBytes() {
        return shardByTensor.entrySet().stream().mapToLong(e -> e.getValue().info(e.getKey()).bytes()).sum();
    }

    /** Number of elements over all tensors (the parameter count). */
    public long totalElements() {
        return shardByTensor.entrySet().stream().mapToLong(e -> e.getValue().info(e.getKey()).elementCount()).sum();
    }

    @Override
    public void close() {
        shards.forEach(SafetensorsShard::close);
    }

    private IllegalArgumentException missing(String name) {
        String files = shards.stream().map(s -> s.file().getFileName().toString()).collect(Collectors.joining(", "));
        List<String> near = nearest(name, 3);
        return new IllegalArgumentException("No tensor named '" + name + "' in " + directory + " (searched "
                + source.getFileName() + (shards.size() > 1 || !source.equals(shards.get(0).file())
                ? " → " + files : "") + ")." + (near.isEmpty() ? "" : " Closest names: " + String.join(", ", near))
                + ". Is this a GLM-4V checkpoint in transformers' layout?");
    }

    // names sharing the longest prefix with the one asked for: usually the same module with another suffix
    private List<String> nearest(String name, int limit) {
        Comparator<String> byPrefix = Comparator.comparingInt((String n) -> -commonPrefix(n, name))
                .thenComparing(Comparator.naturalOrder());
        List<String> sorted = new ArrayList<>(shardByTensor.keySet());
        sorted.sort(byPrefix);
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = sorted.iterator(); it.hasNext() && out.size() < limit; ) {
            String n = it.next();
            if (commonPrefix(n, name) > 0) {
                out.add(n);
            }
        }
        return out;
    }

    private static int commonPrefix(String a, String b) {
        int n = Math.min(a.length(), b.length());
        int i = 0;
        while (i < n && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return i;
    }
}
