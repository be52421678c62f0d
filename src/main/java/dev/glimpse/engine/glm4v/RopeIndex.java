package dev.glimpse.engine.glm4v;

import java.util.List;

/**
 * The 3-D (t, h, w) positions of a prompt for M-RoPE, as transformers' {@code Glm4vModel.get_rope_index}.
 *
 * <p>Text tokens carry the same running index on all three axes. A run of image tokens for an image whose LLM
 * grid is {@code (t, H, W)} (patch grid / merge) gets {@code (s + ti, s + hi, s + wi)} in raster order, where
 * {@code s} is the next free index; the text after it resumes at {@code s + max(H, W)}. A 37×37 image therefore
 * spans only 37 positions, and the prompt's largest position is smaller than its length: {@link #ropeDelta()}
 * records the difference, and during decoding every axis of token {@code i} is {@code i + ropeDelta}.
 *
 * @param positions {@code positions[axis][token]}
 * @param ropeDelta {@code max position + 1 − sequence length}
 */
record RopeIndex(int[][] positions, int ropeDelta) {

    /**
     * Computes the positions of {@code inputIds}.
     *
     * @param imageTokenId the {@code <|image|>} id; each maximal run of it is one image
     * @param grids        the images' patch grids, in prompt order
     * @param mergeSize    the vision tower's spatial merge
     */
    static RopeIndex of(int[] inputIds, int imageTokenId, List<ImageGrid> grids, int mergeSize) {
        int n = inputIds.length;
        int[][] pos = new int[3][n];
        int next = 0;
        int image = 0;
        int max = -1;
        int i = 0;
        while (i < n) {
            if (inputIds[i] != imageTokenId) {
                for (int axis = 0; axis < 3; axis++) {
                    pos[axis][i] = next;
                }
                max = Math.max(max, next);
                next++;
                i++;
                continue;
            }
            int end = i;
            while (end < n && inputIds[end] == imageTokenId) {
                end++;
            }
            if (image >= grids.size()) {
                throw new IllegalArgumentException("The prompt has more image-token runs than the " + grids.size()
                        + " image(s) given");
            }
            ImageGrid g = grids.get(image++);
            int gh = g.h() / mergeSize;
            int gw = g.w() / mergeSize;
            int expected = g.t() * gh * gw;
            if (end - i != expected) {
                throw new IllegalArgumentException("Image " + image + " has " + (end - i) + " <|image|> tokens in the"
                        + " prompt but its " + g.t() + "×" + g.h() + "×" + g.w() + " patch grid needs " + expected);
            }
            int k = i;
            for (int t = 0; t < g.t(); t++) {
                for (int h = 0; h < gh; h++) {
                    for (int w = 0; w < gw; w++) {
                        pos[0][k] = next + t;
                        pos[1][k] = next + h;
                        pos[2][k] = next + w;
                        k++;
                    }
                }
            }
            max = Math.max(max, next + Math.max(g.t() - 1, Math.max(gh, gw) - 1));
            next += Math.max(gh, gw);
            i = end;
        }
        if (image != grids.size()) {
            throw new IllegalArgumentException("The prompt has " + image + " image-token run(s) but "
                    + grids.size() + " image(s) were given");
        }
        return new RopeIndex(pos, max + 1 - n);
    }

    /** Tokens covered. */
    int length() {
        return positions[0].length;
    }

    /** The positions of decoded tokens {@code [from, from + count)}: {@code index + ropeDelta} on every axis. */
    int[][] decodePositions(int from, int count) {
        int[][] pos = new int[3][count];
        for (int j = 0; j < count; j++) {
            int p = from + j + ropeDelta;
            pos[0][j] = p;
            pos[1][j] = p;
            pos[2][j] = p;
        }
        return pos;
    }
}
