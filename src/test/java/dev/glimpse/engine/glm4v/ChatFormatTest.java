package dev.glimpse.engine.glm4v;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glimpse.engine.ImageInput;
import dev.glimpse.engine.Prompt;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ChatFormatTest {

    private static Glm4vTokenizer tokenizer;
    private static ChatFormat format;

    @BeforeAll
    static void load() {
        tokenizer = Glm4vTokenizer.load(Fixtures.model("tiny-a"));
        format = new ChatFormat(tokenizer);
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    private static ImageInput placeholder(String name) {
        return new ImageInput(name, new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB));
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    @Test
    void rendersEveryTemplateCaseAsTheTemplateDoes() {
        int checked = 0;
        for (JsonNode c : Fixtures.json("chat_template_cases.json").get("cases")) {
            if (!FixturePrompts.representable(c.get("messages"))) {
                continue; // video parts: Prompt has none
            }
            Prompt prompt = FixturePrompts.prompt(c.get("messages"), ChatFormatTest::placeholder);
            boolean thinking = c.get("enable_thinking").isNull() || c.get("enable_thinking").asBoolean();
            String name = c.get("name").asText();
            assertEquals(c.get("rendered").asText(), ChatFormat.render(prompt, thinking), name);
            // grids of 1×2×2 patches: one token per image, so the ids are the template's unexpanded ids
            List<ImageGrid> grids = new ArrayList<>();
            prompt.images().forEach(i -> grids.add(new ImageGrid(1, 2, 2)));
            assertArrayEquals(ints(c.get("input_ids")), format.inputIds(prompt, thinking, grids, 2), name);
            checked++;
        }
        assertEquals(5, checked);
    }

    @Test
    void expandsImagesLikeTheProcessor() {
        for (String ref : List.of("tiny-a/reference/image_text.json", "tiny-a/reference/two_images.json",
                "tiny-a/reference/text_only.json", "tiny-b/reference/image_text.json",
                "tiny-b/reference/two_images.json", "tiny-b/reference/text_only.json")) {
            JsonNode c = Fixtures.json(ref);
            Prompt prompt = FixturePrompts.prompt(c.get("messages"), ChatFormatTest::placeholder);
            boolean thinking = c.get("enable_thinking").asBoolean();
            assertEquals(c.get("prompt").asText(), ChatFormat.render(prompt, thinking), ref);
            List<ImageGrid> grids = new ArrayList<>();
            for (JsonNode g : c.get("image_grid_thw")) {
                grids.add(new ImageGrid(g.get(0).asInt(), g.get(1).asInt(), g.get(2).asInt()));
            }
            assertArrayEquals(ints(c.get("input_ids")), format.inputIds(prompt, thinking, grids, 2), ref);
        }
    }

    @Test
    void imageTokenTypedIntoTheTextIsRefused() {
        Prompt p = Prompt.of("what is <|image|> here?", placeholder("a.png"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> format.inputIds(p, true, List.of(new ImageGrid(1, 2, 2)), 2));
        assertTrue(e.getMessage().startsWith("The prompt's text contains the special token <|image|> 1 time(s)"),
                e.getMessage());
    }

    @Test
    void imageTokenInATextOnlyPromptIsRefusedNotIndexed() {
        // issue 17: with no image this indexed grid -1 (ArrayIndexOutOfBoundsException, a 500 on the server)
        Prompt p = Prompt.of("look: <|image|>");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> format.inputIds(p, true, List.of(), 2));
        assertTrue(e.getMessage().startsWith("The prompt's text contains the special token <|image|> 1 time(s)"),
                e.getMessage());
    }

    @Test
    void gridCountMustMatchImages() {
        Prompt p = Prompt.of("two?", placeholder("a.png"), placeholder("b.png"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> format.inputIds(p, true, List.of(new ImageGrid(1, 2, 2)), 2));
        assertEquals("The prompt has 2 image(s) but 1 grid(s) were given", e.getMessage());
    }
}
