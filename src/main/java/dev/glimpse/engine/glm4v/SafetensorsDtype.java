package dev.glimpse.engine.glm4v;

/** Element types a safetensors header can name, with their sizes in bytes. */
public enum SafetensorsDtype {
    F64(8), F32(4), F16(2), BF16(2), I64(8), I32(4), I16(2), I8(1), U64(8), U32(4), U16(2), U8(1), BOOL(1),
    F8_E4M3(1), F8_E5M2(1);

    private final int bytes;

    SafetensorsDtype(int bytes) {
        this.bytes = bytes;
    }

    /** Size of one element in bytes. */
    public int bytes() {
        return bytes;
    }

    /** The dtype a header writes as {@code code} (e.g. {@code "BF16"}), or {@code null} if unknown. */
    static SafetensorsDtype fromCode(String code) {
        for (SafetensorsDtype d : values()) {
            if (d.name().equals(code)) {
                return d;
            }
        }
        return null;
    }
}
