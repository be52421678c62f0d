/**
 * GLM-4V ({@code Glm4vForConditionalGeneration}) on DJL's PyTorch engine: configuration, safetensors weights,
 * tokenizer and chat format, image processor, vision tower, text decoder, rotary embeddings and the generation loop.
 * Module names follow transformers' {@code modeling_glm4v.py}.
 *
 * <p>Data side, in the order a model is loaded and used:
 * <ol>
 *   <li>{@link dev.glimpse.engine.glm4v.ModelDirectory#open} checks a model directory and reads
 *       {@link dev.glimpse.engine.glm4v.Glm4vConfig} (text and vision settings, media token ids),
 *       {@link dev.glimpse.engine.glm4v.GenerationConfig} and {@link dev.glimpse.engine.glm4v.PreprocessorConfig}.
 *   <li>{@link dev.glimpse.engine.glm4v.ModelWeights} loads tensors by transformers name as float32 or float16
 *       {@code NDArray}s on a chosen device (bf16 is converted in Java).
 *   <li>{@link dev.glimpse.engine.glm4v.Glm4vProcessor#encode} turns a {@link dev.glimpse.engine.Prompt} into
 *       {@link dev.glimpse.engine.glm4v.ModelInputs}: {@code input_ids}, {@code pixel_values} and the image grids.
 *   <li>{@link dev.glimpse.engine.glm4v.StreamingDecoder} turns generated ids into text as they come;
 *       {@link dev.glimpse.engine.AnswerParser} splits the final text into reasoning, answer and boxes.
 * </ol>
 */
package dev.glimpse.engine.glm4v;
