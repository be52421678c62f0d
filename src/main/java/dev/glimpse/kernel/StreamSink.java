package dev.glimpse.kernel;

/** Where text written to {@code System.out} / {@code System.err} goes: a {@code stream} message on IOPub. */
@FunctionalInterface
interface StreamSink {
    /**
     * @param stream {@code stdout} or {@code stderr}
     * @param text   the text, whole characters only
     */
    void write(String stream, String text);
}
