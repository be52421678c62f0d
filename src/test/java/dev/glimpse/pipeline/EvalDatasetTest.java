package dev.glimpse.pipeline;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvalDatasetTest {

    @TempDir
    Path dir;

    @BeforeEach
    void images() throws IOException {
        PipelineFixtures.copyImages(dir, "shapes_rgb.png", "stripes_l.png");
    }

    private Path jsonl(String... lines) throws IOException {
        return Files.writeString(dir.resolve("questions.jsonl"), String.join("\n", lines) + "\n");
    }

    private String error(String... lines) throws IOException {
        Path file = jsonl(lines);
        return assertThrows(IllegalArgumentException.class, () -> EvalDataset.read(file)).getMessage();
    }

    @Test
    void readsItemsWithImagesRelativeToTheFile() throws IOException {
        Path file = jsonl(
                "{\"image\": \"images/shapes_rgb.png\", \"question\": \"What shapes?\", \"answer\": \"circle\", "
                        + "\"type\": \"shape\", \"source\": \"ignored\"}",
                "",
                "{\"image\": \"images/stripes_l.png\", \"question\": \"How many stripes?\", \"answer\": 4}",
                "   ",
                "{\"image\": \"" + dir.resolve("images/shapes_rgb.png") + "\", \"question\": \"Colour?\", "
                        + "\"answer\": \"red\", \"type\": \" \"}");
        EvalDataset data = EvalDataset.read(file);
        assertEquals(3, data.size());
        EvalItem first = data.items().get(0);
        assertEquals(new EvalItem(1, "images/shapes_rgb.png", dir.resolve("images/shapes_rgb.png"), "What shapes?",
                "circle", "shape"), first);
        EvalItem second = data.items().get(1);
        assertEquals(3, second.line());
        assertEquals("4", second.expected(), "numbers are accepted as answers");
        assertEquals(EvalDataset.DEFAULT_TYPE, second.type());
        assertEquals(EvalDataset.DEFAULT_TYPE, data.items().get(2).type(), "a blank type is the default");
        assertEquals(5, data.items().get(2).line());
        assertEquals(Set.of("default", "shape"), data.types());
        assertEquals(List.of(first), data.limit(1).items());
        assertSame(data, data.limit(10));
    }

    @Test
    void aByteOrderMarkIsAllowed() throws IOException {
        Path file = Files.write(dir.resolve("bom.jsonl"), ("\uFEFF{\"image\": \"images/shapes_rgb.png\", "
                + "\"question\": \"Q\", \"answer\": \"A\"}\n").getBytes(StandardCharsets.UTF_8));
        assertEquals("A", EvalDataset.read(file).items().get(0).expected());
    }

    @Test
    void badJsonNamesTheFileLineAndColumn() throws IOException {
        Path file = dir.resolve("questions.jsonl");
        String message = error("{\"image\": \"images/shapes_rgb.png\", \"question\": \"Q\", \"answer\": \"A\"}",
                "{\"image\": \"images/shapes_rgb.png\", \"question\": \"Q\" \"answer\": \"A\"}");
        assertTrue(message.startsWith(file + ":2: not valid JSON at column "), message);
        assertTrue(message.contains("Each line must be one JSON object, e.g. {\"image\""), message);
        assertTrue(error("{\"image\": \"images/shapes_rgb.png\", \"question\": \"Q\", \"answer\": \"A\"} {}")
                .startsWith(file + ":1: not valid JSON"), "two objects on one line");
        assertTrue(error("[1, 2]").startsWith(file + ":1: expected a JSON object, found an array"));
        assertTrue(error("\"just text\"").startsWith(file + ":1: expected a JSON object, found a string"));
    }

    @Test
    void missingBlankAndWronglyTypedFieldsAreNamed() throws IOException {
        Path file = dir.resolve("questions.jsonl");
        String img = "\"image\": \"images/shapes_rgb.png\"";
        assertTrue(error("{" + img + ", \"question\": \"Q\"}")
                .startsWith(file + ":1: missing the expected answer: give one of \"answer\", \"any_of\", "
                        + "\"contains_all\", \"contains_any\", \"regex\", \"number\", \"list\", \"judge\""));
        assertTrue(error("{\"question\": \"Q\", \"answer\": \"A\"}").startsWith(file + ":1: missing \"image\""));
        assertTrue(error("{" + img + ", \"question\": null, \"answer\": \"A\"}")
                .startsWith(file + ":1: missing \"question\""));
        assertEquals(file + ":1: \"question\" is empty",
                error("{" + img + ", \"question\": \" \", \"answer\": \"A\"}"));
        assertEquals(file + ":1: \"answer\" is empty", error("{" + img + ", \"question\": \"Q\", \"answer\": \"\"}"));
        assertEquals(file + ":1: \"question\" must be a string, found a number",
                error("{" + img + ", \"question\": 5, \"answer\": \"A\"}"));
        assertEquals(file + ":1: \"answer\" must be a string (or a number), found an array",
                error("{" + img + ", \"question\": \"Q\", \"answer\": [\"A\"]}"));
        assertEquals(file + ":1: \"type\" must be a string, found a number",
                error("{" + img + ", \"question\": \"Q\", \"answer\": \"A\", \"type\": 3}"));
    }

    @Test
    void everyMatcherFieldIsRead() throws IOException {
        String img = "{\"image\": \"images/shapes_rgb.png\", \"question\": \"Q\", ";
        EvalDataset d = EvalDataset.read(jsonl(
                img + "\"any_of\": [\"Sichuan\", \"Szechuan\"]}",
                img + "\"contains_all\": [\"宫保\", \"chicken\"], \"threshold\": 0.5}",
                img + "\"contains_any\": [\"noodle\", \"rice\"]}",
                img + "\"regex\": \"\\\\d+ (chairs|seats)\"}",
                img + "\"number\": 3, \"tolerance\": 0.5}",
                img + "\"list\": [\"chair\", \"desk\", \"monitor\"]}",
                img + "\"judge\": \"A calm, literary caption that mentions the lake.\"}",
                img + "\"number\": 2, \"contains_any\": [\"cups\"]}"));
        List<Expectation> e = d.items().stream().map(EvalItem::expectation).toList();
        assertEquals(new Expectation.AnyOf(List.of("Sichuan", "Szechuan")), e.get(0));
        assertEquals(new Expectation.ContainsAll(List.of("宫保", "chicken"), 0.5), e.get(1));
        assertEquals(new Expectation.ContainsAny(List.of("noodle", "rice")), e.get(2));
        assertEquals("\\d+ (chairs|seats)", ((Expectation.Regex) e.get(3)).pattern().pattern());
        assertEquals(new Expectation.Number(3, 0.5), e.get(4));
        assertEquals(new Expectation.ItemList(List.of("chair", "desk", "monitor"), EvalDataset.LIST_THRESHOLD),
                e.get(5));
        assertEquals(new Expectation.Judged("A calm, literary caption that mentions the lake.",
                EvalDataset.JUDGE_THRESHOLD), e.get(6));
        assertEquals("contains_any+number", e.get(7).matcher(), "several matchers: all must hold");
        assertEquals(List.of("any_of", "contains_all", "contains_any", "regex", "number", "list", "judge",
                "contains_any+number"), d.items().stream().map(EvalItem::matcher).toList());
    }

    @Test
    void badMatcherFieldsAreNamedWithTheFix() throws IOException {
        Path file = dir.resolve("questions.jsonl");
        String img = "{\"image\": \"images/shapes_rgb.png\", \"question\": \"Q\", ";
        assertTrue(error(img + "\"regex\": \"(unclosed\"}").startsWith(file + ":1: \"regex\" \"(unclosed\" is not a "
                + "valid Java regular expression"), error(img + "\"regex\": \"(unclosed\"}"));
        assertEquals(file + ":1: \"any_of\" must be a non-empty list of strings, e.g. \"any_of\": [\"chair\", "
                + "\"desk\"], found an empty list", error(img + "\"any_of\": []}"));
        assertEquals(file + ":1: \"list\" must be a non-empty list of strings, e.g. \"list\": [\"chair\", "
                + "\"desk\"], found a string", error(img + "\"list\": \"chair, desk\"}"));
        assertEquals(file + ":1: \"number\" must be a number, e.g. \"number\": 3, found a string",
                error(img + "\"number\": \"three\"}"));
        assertTrue(error(img + "\"answer\": \"red\", \"tolerance\": 1}").contains("\"tolerance\" goes with \"number\""));
        assertTrue(error(img + "\"answer\": \"red\", \"threshold\": 0.5}").contains("\"threshold\" applies to the "
                + "partial-credit matchers"));
        assertTrue(error(img + "\"list\": [\"a\"], \"threshold\": 80}").contains("\"threshold\" is a score between 0 "
                + "and 1"));
        assertTrue(error(img + "\"number\": 3, \"tolerance\": -1}").contains("\"tolerance\" must be 0 or more"));
    }

    @Test
    void missingImagesAreNamedWithWhereRelativePathsStart() throws IOException {
        Path file = dir.resolve("questions.jsonl");
        String message = error("{\"image\": \"images/shapes_rgb.png\", \"question\": \"Q\", \"answer\": \"A\"}",
                "{\"image\": \"images/cat.png\", \"question\": \"Q\", \"answer\": \"A\"}");
        assertEquals(file + ":2: image file " + dir.resolve("images/cat.png") + " does not exist. Image paths are "
                + "relative to the data set's directory (" + dir + ")", message);
        assertEquals(file + ":1: image " + dir.resolve("images") + " is a directory; give an image file",
                error("{\"image\": \"images\", \"question\": \"Q\", \"answer\": \"A\"}"));
    }

    @Test
    void missingEmptyAndUnreadableFilesAreNamed() throws IOException {
        Path missing = dir.resolve("nope.jsonl");
        assertEquals("Data set " + missing + " does not exist",
                assertThrows(IllegalArgumentException.class, () -> EvalDataset.read(missing)).getMessage());
        assertTrue(error("", "  ").startsWith("Data set " + dir.resolve("questions.jsonl") + " has no questions"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EvalDataset.read(dir)).getMessage()
                .startsWith("Data set " + dir + " is a directory"));
        Path latin1 = Files.write(dir.resolve("latin1.jsonl"), new byte[] {'{', '"', (byte) 0xE9, '"', '}'});
        assertEquals("Data set " + latin1 + " is not UTF-8 text; save it as UTF-8",
                assertThrows(IllegalArgumentException.class, () -> EvalDataset.read(latin1)).getMessage());
    }
}
