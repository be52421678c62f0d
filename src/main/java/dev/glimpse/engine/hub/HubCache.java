package dev.glimpse.engine.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The Hugging Face cache layout, the one huggingface_hub reads and writes, so that a model fetched by either is
 * found by the other:
 *
 * <pre>
 * &lt;cache&gt;/models--zai-org--GLM-4.6V-Flash/
 *     blobs/&lt;etag&gt;                     each file's bytes, named by its content hash
 *     blobs/&lt;etag&gt;.incomplete          a download in progress (resumed from its length)
 *     refs/main                        the commit the branch or tag pointed at when last fetched
 *     snapshots/&lt;commit&gt;/config.json   relative symlinks into ../../blobs
 * &lt;cache&gt;/.locks/models--zai-org--GLM-4.6V-Flash/&lt;etag&gt;.lock
 * </pre>
 */
final class HubCache {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INDEX_FILE = "model.safetensors.index.json";

    private final Path root;

    HubCache(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    Path repoFolder(HubModelId id) {
        return root.resolve(id.cacheFolderName());
    }

    Path blob(HubModelId id, String etag) {
        return repoFolder(id).resolve("blobs").resolve(etag);
    }

    Path incomplete(HubModelId id, String etag) {
        return repoFolder(id).resolve("blobs").resolve(etag + ".incomplete");
    }

    Path lockFile(HubModelId id, String etag) {
        return root.resolve(".locks").resolve(id.cacheFolderName()).resolve(etag + ".lock");
    }

    Path snapshot(HubModelId id, String commit) {
        return repoFolder(id).resolve("snapshots").resolve(commit);
    }

    /** Where a repository file appears in a snapshot; checked to stay inside it. */
    Path pointer(HubModelId id, String commit, String file) {
        Path snapshot = snapshot(id, commit);
        Path pointer = snapshot.resolve(file).normalize();
        if (!pointer.startsWith(snapshot) || pointer.equals(snapshot)) {
            throw new HubException(HubException.Reason.BAD_RESPONSE, "The Hub listed a file named '" + file + "' in "
                    + id.repo() + ", which would land outside the snapshot directory; it was not downloaded. "
                    + "Check HF_ENDPOINT.");
        }
        return pointer;
    }

    /** The commit a branch or tag pointed at when it was last fetched. */
    Optional<String> ref(HubModelId id) {
        Path ref = repoFolder(id).resolve("refs").resolve(id.revision());
        try {
            return Files.isRegularFile(ref) ? Optional.of(Files.readString(ref, StandardCharsets.UTF_8).strip())
                    .filter(s -> !s.isEmpty()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Records the commit a branch or tag points at (written whole, then renamed, so readers never see half). */
    void writeRef(HubModelId id, String commit) throws IOException {
        if (id.revision().equals(commit)) {
            return;
        }
        Path ref = repoFolder(id).resolve("refs").resolve(id.revision());
        if (ref(id).filter(commit::equals).isPresent()) {
            return;
        }
        Files.createDirectories(ref.getParent());
        Path tmp = ref.resolveSibling(ref.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        Files.writeString(tmp, commit, StandardCharsets.UTF_8);
        move(tmp, ref);
    }

    /** Puts a repository file into a snapshot as a relative symlink to its blob (a copy where links fail). */
    void link(HubModelId id, String commit, String file, String etag) throws IOException {
        Path pointer = pointer(id, commit, file);
        Path blob = blob(id, etag);
        Files.createDirectories(pointer.getParent());
        Files.deleteIfExists(pointer);
        try {
            Files.createSymbolicLink(pointer, pointer.getParent().relativize(blob));
        } catch (FileAlreadyExistsException e) {
            // another process linked it at the same moment: the same blob, by construction
        } catch (UnsupportedOperationException | IOException e) {
            Files.copy(blob, pointer, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Moves a finished download into place. */
    static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * The cached snapshot of the id's revision when it is complete, without asking the Hub: the commit is the
     * revision itself or the one {@code refs/<revision>} records.
     */
    Optional<Path> completeSnapshot(HubModelId id) {
        Optional<String> commit = id.pinnedToCommit() ? Optional.of(id.revision()) : ref(id);
        return commit.map(c -> snapshot(id, c)).filter(HubCache::looksComplete);
    }

    /**
     * Whether a snapshot can be used without the Hub's file list: it has {@code config.json}, every symlink in it
     * leads to a blob, and it has its weights (every shard its {@code model.safetensors.index.json} names, or a
     * {@code *.safetensors} file). Glimpse links a snapshot's files only once all of them are downloaded; this
     * check is for snapshots another tool left half done.
     */
    static boolean looksComplete(Path snapshot) {
        if (!Files.isRegularFile(snapshot.resolve("config.json"))) {
            return false;
        }
        try (Stream<Path> files = Files.walk(snapshot)) {
            boolean dangling = files.anyMatch(p -> Files.isSymbolicLink(p) && !Files.exists(p));
            if (dangling) {
                return false;
            }
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
        Path index = snapshot.resolve(INDEX_FILE);
        if (Files.isRegularFile(index)) {
            try {
                JsonNode map = JSON.readTree(index.toFile()).path("weight_map");
                for (Iterator<JsonNode> shards = map.elements(); shards.hasNext(); ) {
                    if (!Files.isRegularFile(snapshot.resolve(shards.next().asText()))) {
                        return false;
                    }
                }
                return map.size() > 0;
            } catch (IOException e) {
                return false;
            }
        }
        try (Stream<Path> files = Files.list(snapshot)) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(".safetensors") && Files.isRegularFile(p));
        } catch (IOException e) {
            return false;
        }
    }
}
