package dev.glimpse.engine.glm4v;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Glm4vTokenizerTest {

    private static Glm4vTokenizer tokenizer;
    private static final JsonNode CASES = Fixtures.json("tokenizer_cases.json");

    @BeforeAll
    static void load() {
        tokenizer = Glm4vTokenizer.load(Fixtures.model("tiny-a"));
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    @Test
    void encodesAndDecodesLikeTransformers() {
        for (JsonNode c : CASES.get("cases")) {
            String text = c.get("text").asText();
            int[] ids = ints(c.get("ids"));
            assertArrayEquals(ids, tokenizer.encode(text), text);
            List<String> tokens = new ArrayList<>();
            c.get("tokens").forEach(t -> tokens.add(t.asText()));
            assertEquals(tokens, tokenizer.tokens(text), text);
            assertEquals(c.get("decoded").asText(), tokenizer.decode(ids), text);
            assertEquals(c.get("decoded_skip_special").asText(), tokenizer.decode(ids, true), text);
        }
    }

    @Test
    void longTextsAreNotTruncated() {
        String text = "<|image|>".repeat(3000) + " and some words after";
        assertEquals(3000 + tokenizer.encode(" and some words after").length, tokenizer.encode(text).length);
    }

    @Test
    void specialTokensAreLookedUpByText() {
        for (Map.Entry<String, JsonNode> e : CASES.get("special_tokens").properties()) {
            assertEquals(e.getValue().asInt(), tokenizer.tokenId(e.getKey()), e.getKey());
        }
        SpecialTokens s = SpecialTokens.of(tokenizer);
        assertEquals(514, s.image());
        assertEquals(501, s.think());
    }

    @Test
    void unknownTokenIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tokenizer.tokenId("<|begin_of_audio_clip|>"));
        assertTrue(e.getMessage().contains("has no token '<|begin_of_audio_clip|>'"), e.getMessage());
    }

    @Test
    void streamingDecodeNeverSplitsACharacter() {
        // "naïve café — ok": ï, é and — are split across byte-level tokens
        for (JsonNode c : CASES.get("cases")) {
            int[] ids = ints(c.get("ids"));
            for (boolean skip : new boolean[] {false, true}) {
                StreamingDecoder d = tokenizer.streamingDecoder(skip);
                StringBuilder all = new StringBuilder();
                for (int id : ids) {
                    String piece = d.push(id);
                    assertFalse(piece.contains("\uFFFD"), "partial character emitted for " + c.get("text"));
                    all.append(piece);
                }
                all.append(d.flush());
                assertEquals(tokenizer.decode(ids, skip), all.toString());
            }
        }
    }

    @Test
    void streamingDecodeOfGeneratedTokens() {
        // greedy outputs of the random fixture models: arbitrary byte sequences
        for (String ref : List.of("tiny-a/reference/two_images.json", "tiny-b/reference/text_only.json")) {
            int[] ids = ints(Fixtures.json(ref).get("greedy_tokens"));
            StreamingDecoder d = tokenizer.streamingDecoder(false);
            StringBuilder all = new StringBuilder();
            for (int id : ids) {
                all.append(d.push(id));
            }
            all.append(d.flush());
            assertEquals(tokenizer.decode(ids), all.toString(), ref);
            assertArrayEquals(ids, d.ids());
        }
    }

    @Test
    void missingOrBrokenFilesAreNamed(@TempDir Path dir) throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Glm4vTokenizer.load(dir));
        assertTrue(e.getMessage().startsWith("No tokenizer.json at " + dir.resolve("tokenizer.json")), e.getMessage());
        Path broken = Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": 3}");
        e = assertThrows(IllegalArgumentException.class, () -> Glm4vTokenizer.load(broken));
        assertTrue(e.getMessage().startsWith(broken + " is not a tokenizer.json"), e.getMessage());
    }
}
