/**
 * GLM-4V ({@code Glm4vForConditionalGeneration}) on DJL's PyTorch engine: configuration, safetensors weights,
 * tokenizer and chat format, image processor, vision tower, text decoder, rotary embeddings and the generation loop.
 * Module names follow transformers' {@code modeling_glm4v.py}.
 */
package dev.glimpse.engine.glm4v;
