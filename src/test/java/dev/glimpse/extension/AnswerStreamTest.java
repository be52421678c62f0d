package dev.glimpse.extension;

import dev.glimpse.engine.FinishReason;
import dev.glimpse.engine.ModelInfo;
import dev.glimpse.engine.TokenListener;
import dev.glimpse.engine.Timings;
import dev.glimpse.engine.Usage;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Streaming into a notebook output, recorded: the first token shows at once, the end always, in order. */
class AnswerStreamTest {

    @Test
    void aFastMultiTokenAnswerGivesTheFirstTokenAndTheEnd() {
        RecordedCellOutput out = new RecordedCellOutput();
        Image img = Vision.image(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB));
        AnswerStream stream = new AnswerStream(out, "Q?", List.of(img), "m");
        stream.start();
        for (String piece : List.of("A", " red", " circle", ".")) {
            stream.onToken(new TokenListener.Token(1, piece, false));
        }
        var raw = new dev.glimpse.engine.Answer("A red circle.", "", List.of(), new Usage(5, 4),
                new Timings(0, 0, 0, List.of(), 1), FinishReason.STOP, List.of());
        Answer answer = new Answer(raw, "Q?", List.of(img), new ModelInfo("m", "s", "cpu()", "float32", 0, 0, 0),
                stream.displayId());
        stream.finish(answer);
        assertEquals("id-0", stream.displayId());
        assertTrue(out.ids.stream().allMatch("id-0"::equals), "every update goes to the one output");
        assertTrue(stream.updates() >= 2, "the first token and the end, however fast: " + stream.updates());
        assertEquals(stream.updates() + 1, out.bundles.size());
        Bundle first = out.bundles.get(1);
        assertTrue(first.get(Bundle.PLAIN).startsWith("Q: Q?"), first.get(Bundle.PLAIN));
        assertNull(first.get(Bundle.PNG), "partial updates carry HTML and text only");
        Bundle last = out.bundles.get(out.bundles.size() - 1);
        assertTrue(last.get(Bundle.PLAIN).contains("A: A red circle."), last.get(Bundle.PLAIN));
        assertTrue(last.data().keySet().containsAll(List.of(Bundle.PNG, Bundle.MARKDOWN, Bundle.HTML)));
    }

    @Test
    void withoutANotebookNothingIsShown() {
        AnswerStream stream = new AnswerStream(CellOutput.NONE, "Q?", List.of(), "m");
        stream.start();
        stream.onToken(new TokenListener.Token(1, "x", false));
        assertNull(stream.displayId());
        assertEquals(0, stream.updates());
    }
}
