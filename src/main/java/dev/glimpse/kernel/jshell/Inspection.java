package dev.glimpse.kernel.jshell;

/**
 * What is known about the code at a cursor: signatures and Javadoc.
 *
 * @param plainText for {@code text/plain}
 * @param html      for {@code text/html}: each signature in a {@code <pre>}, then its Javadoc
 */
public record Inspection(String plainText, String html) {
}
