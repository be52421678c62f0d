package dev.glimpse.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The JSON the server reads: strings as long as a request body may be (a large image travels as one base64
 * string), but nesting and numbers no deeper or longer than a chat request needs, so that neither costs the server
 * more than reading the bytes.
 */
final class JsonLimits {

    /** Levels of nesting; a chat request has about six. */
    static final int MAX_NESTING = 64;
    /** Digits of one number. */
    static final int MAX_NUMBER_DIGITS = 100;
    /** Characters of one string: the largest request body. */
    static final int MAX_STRING_CHARS = Integer.MAX_VALUE - 16;

    private JsonLimits() {
    }

    /** An ObjectMapper that reads under these limits. */
    static ObjectMapper mapper() {
        return new ObjectMapper(JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING).maxNumberLength(MAX_NUMBER_DIGITS).maxStringLength(MAX_STRING_CHARS)
                .build()).build());
    }
}
