package dev.glimpse.display;

import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

import java.util.Locale;
import java.util.Optional;

/** The raster formats notebooks display, each with its MIME type, ImageIO writer name and file signature. */
public enum ImageFormat {
    PNG(MIMEType.IMAGE_PNG, "png", new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, "png"),
    JPEG(MIMEType.IMAGE_JPEG, "jpeg", new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff}, "jpg", "jpeg"),
    GIF(MIMEType.IMAGE_GIF, "gif", new byte[] {'G', 'I', 'F', '8'}, "gif");

    private final MIMEType mimeType;
    private final String imageIoName;
    private final byte[] signature;
    private final String[] extensions;

    ImageFormat(MIMEType mimeType, String imageIoName, byte[] signature, String... extensions) {
        this.mimeType = mimeType;
        this.imageIoName = imageIoName;
        this.signature = signature;
        this.extensions = extensions;
    }

    public MIMEType mimeType() {
        return mimeType;
    }

    /** The format name {@link javax.imageio.ImageIO#write} expects. */
    public String imageIoName() {
        return imageIoName;
    }

    /** The longest signature length: read this many bytes of a file to {@link #sniff} it. */
    public static int signatureLength() {
        return 8;
    }

    /** Identifies the format from the first bytes of the data, so a misnamed file still gets its real MIME type. */
    public static Optional<ImageFormat> sniff(byte[] head) {
        for (ImageFormat format : values()) {
            if (startsWith(head, format.signature)) {
                return Optional.of(format);
            }
        }
        return Optional.empty();
    }

    /** The format a file name's extension claims, case-insensitively; empty for other extensions. */
    public static Optional<ImageFormat> byFileName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        String extension = fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
        for (ImageFormat format : values()) {
            for (String candidate : format.extensions) {
                if (candidate.equals(extension)) {
                    return Optional.of(format);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean startsWith(byte[] data, byte[] prefix) {
        if (data.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (data[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
