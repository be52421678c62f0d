/**
 * What users open Glimpse for: a vision-language model preloaded in every notebook, and helpers to ask it about
 * images. {@link dev.glimpse.extension.Vision} holds the helpers (imported into every cell: {@code image},
 * {@code ask}, {@code chat}, {@code askAll}, {@code evaluate}, {@code model}); {@link dev.glimpse.extension.Answer},
 * {@link dev.glimpse.extension.Image}, {@link dev.glimpse.extension.Chat} and {@link dev.glimpse.extension.Scorecard}
 * are what they return, each showing itself in the notebook. {@link dev.glimpse.extension.VisionExtension} is the
 * kernel extension that loads the model in the background at start, registers the renderers and adds
 * {@code %model}. Depends on the kernel's SPI and notebook API, {@code display}, {@code engine} and
 * {@code pipeline}.
 */
package dev.glimpse.extension;
