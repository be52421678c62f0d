package dev.glimpse.engine.glm4v;

import dev.glimpse.engine.AnswerParser;

/**
 * Ids of GLM-4V's special tokens, looked up by their text in the tokenizer (the ids differ between checkpoints;
 * GLM-4.6V-Flash's start at 151329).
 */
public record SpecialTokens(int endOfText, int gMask, int sop, int system, int user, int assistant, int observation,
                            int beginOfImage, int endOfImage, int image, int video, int think, int endThink,
                            int noThink, int beginOfBox, int endOfBox) {

    public static final String END_OF_TEXT = "<|endoftext|>";
    public static final String GMASK = "[gMASK]";
    public static final String SOP = "<sop>";
    public static final String SYSTEM = "<|system|>";
    public static final String USER = "<|user|>";
    public static final String ASSISTANT = "<|assistant|>";
    public static final String OBSERVATION = "<|observation|>";
    public static final String BEGIN_OF_IMAGE = "<|begin_of_image|>";
    public static final String END_OF_IMAGE = "<|end_of_image|>";
    public static final String IMAGE = "<|image|>";
    public static final String VIDEO = "<|video|>";
    public static final String THINK = AnswerParser.THINK;
    public static final String END_THINK = AnswerParser.END_THINK;
    public static final String NO_THINK = "/nothink";
    public static final String BEGIN_OF_BOX = AnswerParser.BEGIN_OF_BOX;
    public static final String END_OF_BOX = AnswerParser.END_OF_BOX;

    /** Looks every token up; throws naming the first one the tokenizer lacks. */
    public static SpecialTokens of(Glm4vTokenizer t) {
        return new SpecialTokens(t.tokenId(END_OF_TEXT), t.tokenId(GMASK), t.tokenId(SOP), t.tokenId(SYSTEM),
                t.tokenId(USER), t.tokenId(ASSISTANT), t.tokenId(OBSERVATION), t.tokenId(BEGIN_OF_IMAGE),
                t.tokenId(END_OF_IMAGE), t.tokenId(IMAGE), t.tokenId(VIDEO), t.tokenId(THINK), t.tokenId(END_THINK),
                t.tokenId(NO_THINK), t.tokenId(BEGIN_OF_BOX), t.tokenId(END_OF_BOX));
    }
}
