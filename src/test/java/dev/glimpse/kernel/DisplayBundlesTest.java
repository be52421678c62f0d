package dev.glimpse.kernel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.google.gson.Gson;
import dev.glimpse.kernel.protocol.Json;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Bundles convert to exactly the JSON that going through Gson's text and Jackson's parser gave. */
class DisplayBundlesTest {

    private static String throughText(DisplayData display) throws JsonProcessingException {
        return Json.MAPPER.writeValueAsString(Json.MAPPER.readTree(new Gson().toJson(display)));
    }

    private static String converted(DisplayData display) throws JsonProcessingException {
        return Json.MAPPER.writeValueAsString(DisplayBundles.toJson(display));
    }

    @Test
    void textsNumbersAndNestingComeOutAsThroughText() throws JsonProcessingException {
        DisplayData display = new DisplayData("plain \"quoted\" text\twith\u0001control and ünïcødé ✓ 🖼");
        char[] big = new char[40_000];
        Arrays.fill(big, 'A');
        display.putData("image/png", new String(big));
        display.putHTML("<div class=\"x\">\n<b>&amp;</b></div>");
        display.putJSON("{\"n\": 1.50, \"big\": 123456789012345678901234567890, \"e\": 1e3, \"list\": [1, true, null]}");
        Map<String, Object> size = new LinkedHashMap<>();
        size.put("width", 480);
        size.put("height", 240L);
        size.put("long", 1L << 40);
        size.put("ratio", 0.5);
        size.put("float", 0.1f);
        size.put("decimal", new BigDecimal("2.50"));
        size.put("integer", new BigInteger("123456789012345678901234567890"));
        size.put("flags", List.of(true, false));
        size.put("none", null);
        display.putMetaData("image/png", size);
        display.setDisplayId("d-1");
        assertEquals(throughText(display), converted(display));
    }

    @Test
    void missingDataAndMetadataBecomeEmptyObjects() throws JsonProcessingException {
        DisplayData empty = new DisplayData();
        assertEquals("{}", Json.MAPPER.writeValueAsString(DisplayBundles.toJson(empty).get("data")));
        assertEquals("{}", Json.MAPPER.writeValueAsString(DisplayBundles.toJson(empty).get("metadata")));
    }
}
