package dev.glimpse.kernel.protocol;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Signs and verifies messages with the HMAC named in the connection file. An empty key disables signing, as
 * jupyter_client does; then only empty signatures are accepted.
 */
public final class MessageSigner {
    private final String algorithm;
    private final byte[] key;

    public MessageSigner(String scheme, String key) {
        this.key = key.getBytes(StandardCharsets.UTF_8);
        this.algorithm = switch (scheme) {
            case "hmac-sha256" -> "HmacSHA256";
            case "hmac-sha384" -> "HmacSHA384";
            case "hmac-sha512" -> "HmacSHA512";
            case "hmac-sha1" -> "HmacSHA1";
            case "hmac-md5" -> "HmacMD5";
            default -> throw new IllegalArgumentException("Unsupported signature_scheme '" + scheme
                    + "' in the connection file; use hmac-sha256");
        };
        if (this.key.length > 0) {
            newMac(); // fail at start, not on the first message
        }
    }

    /** Whether messages are signed at all. */
    public boolean enabled() {
        return key.length > 0;
    }

    /** The hex signature over header, parent header, metadata and content. */
    public String sign(byte[] header, byte[] parent, byte[] metadata, byte[] content) {
        if (!enabled()) {
            return "";
        }
        Mac mac = newMac();
        mac.update(header);
        mac.update(parent);
        mac.update(metadata);
        mac.update(content);
        return HexFormat.of().formatHex(mac.doFinal());
    }

    /** Whether the signature matches, compared in constant time. */
    public boolean verify(byte[] signature, byte[] header, byte[] parent, byte[] metadata, byte[] content) {
        byte[] expected = sign(header, parent, metadata, content).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signature);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC " + algorithm + " is not available in this JVM", e);
        }
    }
}
