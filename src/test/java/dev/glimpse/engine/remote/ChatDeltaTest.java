package dev.glimpse.engine.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glimpse.engine.Usage;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Chunks as vLLM (old and new reasoning field), SGLang and Zhipu document them. */
class ChatDeltaTest {

    private static JsonNode json(String s) throws IOException {
        return new ObjectMapper().readTree(s);
    }

    @Test
    void reasoningUnderEitherName() throws IOException {
        // vLLM since PR 27752, and Zhipu / SGLang / older vLLM
        assertEquals(new ChatDelta(null, "Let me see", null, null), ChatDelta.ofChunk(json(
                "{\"choices\":[{\"index\":0,\"delta\":{\"reasoning\":\"Let me see\"},\"finish_reason\":null}]}")));
        assertEquals(new ChatDelta(null, "Let me see", null, null), ChatDelta.ofChunk(json(
                "{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"reasoning_content\":\"Let me see\"}}]}")));
        // servers in transition send both: taken once
        assertEquals(new ChatDelta(null, "x", null, null), ChatDelta.ofChunk(json(
                "{\"choices\":[{\"delta\":{\"reasoning_content\":\"x\",\"reasoning\":\"x\",\"content\":null}}]}")));
    }

    @Test
    void zhipusLastChunkHasTheFinishReasonAndUsage() throws IOException {
        ChatDelta d = ChatDelta.ofChunk(json("{\"id\":\"1\",\"created\":1,\"model\":\"glm-4.6v-flash\",\"choices\":"
                + "[{\"index\":0,\"finish_reason\":\"stop\",\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}],"
                + "\"usage\":{\"prompt_tokens\":1050,\"completion_tokens\":37,\"total_tokens\":1087}}"));
        assertEquals("stop", d.finishReason());
        assertEquals(new Usage(1050, 37), d.usage());
        assertEquals("", d.content());
    }

    @Test
    void openAisUsageChunkHasNoChoices() throws IOException {
        ChatDelta d = ChatDelta.ofChunk(json("{\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":"
                + "2,\"total_tokens\":5}}"));
        assertEquals(new ChatDelta(null, null, null, new Usage(3, 2)), d);
    }

    @Test
    void aCompletionsMessage() throws IOException {
        ChatDelta d = ChatDelta.ofCompletion(json("{\"object\":\"chat.completion\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"A cat.\",\"reasoning_content\":\"Whiskers.\"},"
                + "\"finish_reason\":\"length\"}],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":4}}"));
        assertEquals(new ChatDelta("A cat.", "Whiskers.", "length", new Usage(9, 4)), d);
    }

    @Test
    void errorMessagesInTheirVariousShapes() throws IOException {
        assertEquals("bad key", ChatDelta.errorMessage(json("{\"error\":{\"message\":\"bad key\",\"code\":401}}")));
        assertEquals("quota", ChatDelta.errorMessage(json("{\"error\":\"quota\"}")));
        assertEquals("Not Found", ChatDelta.errorMessage(json("{\"detail\":\"Not Found\"}")));
        assertEquals("The model `x` does not exist.", ChatDelta.errorMessage(json(
                "{\"object\":\"error\",\"message\":\"The model `x` does not exist.\",\"code\":404}")));
        assertNull(ChatDelta.errorMessage(json("{\"choices\":[],\"error\":null}")));
    }
}
