package dev.glimpse.engine.glm4v;

/**
 * A token id with the raw score (logit) the model gave it.
 *
 * @param id    the token id
 * @param logit its logit, before any sampling transformation
 */
public record TokenLogit(int id, float logit) {
}
