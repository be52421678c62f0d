package dev.glimpse.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One image of a batch run.
 *
 * @param file how the results name it (the {@code file} column): the path relative to the folder it was listed from,
 *             with {@code /} separators, or the path as the caller gave it
 * @param path the file to read
 */
public record BatchItem(String file, Path path) {

    /** File name endings (lower case) that {@link #fromFolder} takes for images. */
    public static final Set<String> IMAGE_EXTENSIONS =
            Set.of("png", "jpg", "jpeg", "gif", "bmp", "tif", "tiff", "webp");

    public BatchItem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(path, "path");
    }

    /** An image file named as given. */
    public static BatchItem of(Path path) {
        return new BatchItem(path.toString(), path);
    }

    /**
     * The image files under a folder and its subfolders, sorted by relative path; files and folders whose names
     * start with {@code .} (such as {@code .ipynb_checkpoints}) are skipped.
     *
     * @throws IllegalArgumentException when the folder does not exist, is a file, or holds no image files
     */
    public static List<BatchItem> fromFolder(Path folder) {
        if (!Files.exists(folder)) {
            throw new IllegalArgumentException("Folder " + folder.toAbsolutePath() + " does not exist. Give a folder "
                    + "of images or a list of image files.");
        }
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException(folder + " is a file, not a folder. Give a folder of images, or put "
                    + "the file in a list: List.of(\"" + folder + "\").");
        }
        List<BatchItem> items;
        try (Stream<Path> files = Files.walk(folder)) {
            items = files.filter(Files::isRegularFile)
                    .filter(p -> !hidden(folder.relativize(p)) && isImageName(p.getFileName().toString()))
                    .map(p -> new BatchItem(slashes(folder.relativize(p)), p))
                    .sorted(java.util.Comparator.comparing(BatchItem::file))
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            throw new UncheckedIOException("Cannot list folder " + folder + ": " + e.getMessage(),
                    e instanceof IOException io ? io : ((UncheckedIOException) e).getCause());
        }
        if (items.isEmpty()) {
            throw new IllegalArgumentException("Folder " + folder.toAbsolutePath() + " has no image files (looked for "
                    + String.join(", ", new java.util.TreeSet<>(IMAGE_EXTENSIONS)) + ", in subfolders too).");
        }
        return items;
    }

    /**
     * The SHA-256 of the file's content, in hex: the results file keys answers by it, so that an image replaced
     * under the same name is asked again.
     *
     * @throws UncheckedIOException when the file cannot be read
     */
    public String contentSha256() {
        java.security.MessageDigest sha = ModelIdentity.sha256();
        try (java.io.InputStream in = Files.newInputStream(path)) {
            byte[] chunk = new byte[1 << 16];
            for (int n; (n = in.read(chunk)) > 0; ) {
                sha.update(chunk, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        return java.util.HexFormat.of().formatHex(sha.digest());
    }

    /** Whether the name ends in one of the {@link #IMAGE_EXTENSIONS}. */
    public static boolean isImageName(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static boolean hidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static String slashes(Path relative) {
        StringBuilder out = new StringBuilder();
        for (Path part : relative) {
            if (!out.isEmpty()) {
                out.append('/');
            }
            out.append(part);
        }
        return out.toString();
    }
}
