/**
 * Glimpse: a Java notebook environment with a vision-language model loaded in the kernel.
 *
 * <p>Dependencies point one way: {@code cli} → {@code extension}/{@code serve}/{@code pipeline} →
 * {@code engine}; the {@code kernel} never imports the {@code engine}.
 */
package dev.glimpse;
