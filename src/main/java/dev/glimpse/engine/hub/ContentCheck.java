package dev.glimpse.engine.hub;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Checks a file's bytes against the ETag the Hub gave for it, fed as they are written. The Hub's ETag is the file's
 * content hash: for a Git LFS file (the weights) the SHA-256 of its bytes, 64 hex digits, the same value as the LFS
 * pointer's {@code oid}; for a file kept in Git itself (configs, the tokenizer) the Git blob id, the SHA-1 of
 * {@code "blob <size>\0"} followed by the bytes, 40 hex digits. Any other ETag (a mirror's own) cannot be checked;
 * such files are checked by size only.
 */
final class ContentCheck {

    private final String expected;
    private final String algorithm;
    private final MessageDigest digest;

    private ContentCheck(String expected, String algorithm, MessageDigest digest) {
        this.expected = expected;
        this.algorithm = algorithm;
        this.digest = digest;
    }

    /** A check for a file of {@code size} bytes whose ETag is {@code etag}. */
    static ContentCheck forEtag(String etag, long size) {
        String e = etag.toLowerCase(Locale.ROOT);
        try {
            if (e.matches("[0-9a-f]{64}")) {
                return new ContentCheck(e, "sha256", MessageDigest.getInstance("SHA-256"));
            }
            if (e.matches("[0-9a-f]{40}")) {
                MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
                sha1.update(("blob " + size + "\0").getBytes(StandardCharsets.US_ASCII));
                return new ContentCheck(e, "git-sha1", sha1);
            }
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("the JDK has no " + ex.getMessage(), ex);
        }
        return new ContentCheck(e, "none", null);
    }

    /** Whether the ETag is a hash this class can check; false means the size is the only check. */
    boolean checkable() {
        return digest != null;
    }

    /** {@code sha256}, {@code git-sha1} or {@code none}. */
    String algorithm() {
        return algorithm;
    }

    void update(byte[] bytes, int offset, int length) {
        if (digest != null) {
            digest.update(bytes, offset, length);
        }
    }

    /**
     * The hash of everything fed, when it differs from the ETag; {@code null} when it matches or cannot be checked.
     * Ends this check.
     */
    String mismatch() {
        if (digest == null) {
            return null;
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        return actual.equals(expected) ? null : actual;
    }
}
