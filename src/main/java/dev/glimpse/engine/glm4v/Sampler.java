package dev.glimpse.engine.glm4v;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.glimpse.engine.GenerationOptions;

import java.util.LinkedHashSet;
import java.util.SplittableRandom;

/**
 * Chooses the next token from a logits vector: repetition penalty, then greedy argmax or sampling with
 * temperature, top-k and top-p — the order of transformers' logits processors and warpers.
 *
 * <p>Everything over the vocabulary runs on the device; only the chosen id comes back. A sampler is stateful: it
 * remembers the tokens seen (for the penalty) and owns its random stream, so create one per generation.
 */
final class Sampler {

    private final GenerationOptions options;
    private final SplittableRandom random;
    private final LinkedHashSet<Integer> seen = new LinkedHashSet<>();
    private long[] seenIds = new long[0];
    private boolean seenChanged;

    /**
     * @param options the sampling options
     * @param prompt  the prompt's token ids, which the repetition penalty counts as seen (as transformers does)
     */
    Sampler(GenerationOptions options, int[] prompt) {
        this.options = options;
        this.random = options.seed() == null ? new SplittableRandom() : new SplittableRandom(options.seed());
        if (options.repetitionPenalty() != 1.0) {
            for (int id : prompt) {
                remember(id);
            }
        }
    }

    /** Records a generated token so the penalty applies to it from the next step on. */
    void accept(int token) {
        if (options.repetitionPenalty() != 1.0) {
            remember(token);
        }
    }

    /**
     * Picks the next token.
     *
     * @param logits {@code [vocab]} scores of the next token; not modified
     */
    int next(NDArray logits) {
        if (options.greedy() && (options.repetitionPenalty() == 1.0 || seen.isEmpty())) {
            try (NDArray best = logits.argMax()) {
                return (int) best.getLong();
            }
        }
        try (NDManager scope = logits.getManager().newSubManager()) {
            NDArray scores = logits.toType(DataType.FLOAT32, true);
            scores.attach(scope);
            scores = applyRepetitionPenalty(scores);
            if (options.greedy()) {
                return (int) scores.argMax().getLong();
            }
            return sample(scores);
        }
    }

    /** transformers' {@code RepetitionPenaltyLogitsProcessor}: seen tokens' scores shrink towards (or below) 0. */
    private NDArray applyRepetitionPenalty(NDArray scores) {
        double penalty = options.repetitionPenalty();
        if (penalty == 1.0 || seen.isEmpty()) {
            return scores;
        }
        if (seenChanged) {
            seenIds = seen.stream().mapToLong(Integer::longValue).toArray();
            seenChanged = false;
        }
        NDManager m = scores.getManager();
        NDArray ids = m.create(seenIds, new Shape(seenIds.length));
        NDArray current = scores.take(ids);
        NDArray penalised = NDArrays.where(current.lt(0), current.mul(penalty), current.div(penalty));
        return scores.put(ids, penalised);
    }

    /** Temperature, top-k, top-p, then one draw from what is left. */
    private int sample(NDArray scores) {
        NDArray scaled = scores.div(options.temperature());
        NDArray sortedScores;
        NDArray order;
        int vocab = Math.toIntExact(scaled.getShape().get(0));
        if (options.topK() > 0 && options.topK() < vocab) {
            NDList top = scaled.topK(options.topK(), 0, true, true);
            sortedScores = top.get(0);
            order = top.get(1);
        } else {
            order = scaled.argSort(0, false);
            sortedScores = scaled.take(order);
        }
        NDArray probs = sortedScores.softmax(0);
        NDArray cumulative = probs.cumSum(0);
        int kept = Math.toIntExact(order.getShape().get(0));
        if (options.topP() < 1.0) {
            // keep a token while the mass strictly before it is below top-p: the smallest set reaching top-p
            NDArray before = cumulative.sub(probs);
            kept = Math.max(1, (int) before.lt(options.topP()).sum().getLong());
        }
        double total = cumulative.getFloat(kept - 1);
        double u = random.nextDouble() * total;
        NDArray head = cumulative.get("0:{}", kept);
        int pick = Math.min(kept - 1, (int) head.lte(u).sum().getLong());
        return (int) order.getLong(pick);
    }

    private void remember(int id) {
        if (seen.add(id)) {
            seenChanged = true;
        }
    }
}
