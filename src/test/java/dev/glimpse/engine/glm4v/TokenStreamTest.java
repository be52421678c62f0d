package dev.glimpse.engine.glm4v;

import dev.glimpse.engine.Answer;
import dev.glimpse.engine.AnswerParser;
import dev.glimpse.engine.CancellationToken;
import dev.glimpse.engine.FinishReason;
import dev.glimpse.engine.GenerationOptions;
import dev.glimpse.engine.Prompt;
import dev.glimpse.engine.TokenListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The streamed pieces add up to the answer, also when the length limit falls inside a character. */
class TokenStreamTest {

    private static Glm4vModel model;

    @BeforeAll
    static void load() {
        model = Glm4vModel.load(Fixtures.root().resolve("tiny-a/model"));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void theLastTokenCarriesAnUnfinishedCharacter() {
        // on tiny-a, the 8th token of this answer is the first byte of a character
        List<TokenListener.Token> tokens = new ArrayList<>();
        Answer answer = model.generate(Prompt.of("Question 5"), GenerationOptions.DEFAULT.withMaxNewTokens(8),
                tokens::add, CancellationToken.NEVER);
        assertEquals(FinishReason.LENGTH, answer.finishReason());
        assertTrue(answer.text().endsWith("\uFFFD"), answer.text());
        assertTrue(answer.reasoning().isEmpty());
        String streamed = String.join("", tokens.stream().map(TokenListener.Token::text).toList());
        assertEquals(answer.text(), AnswerParser.strip(streamed));
        assertTrue(tokens.get(tokens.size() - 1).text().endsWith("\uFFFD"));
    }
}
