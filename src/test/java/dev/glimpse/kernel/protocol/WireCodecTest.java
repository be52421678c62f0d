package dev.glimpse.kernel.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WireCodecTest {
    private final MessageSigner signer = new MessageSigner("hmac-sha256", "secret-key");
    private final WireCodec codec = new WireCodec(signer);

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private List<byte[]> signedFrames(String header, String parent, String metadata, String content) {
        String signature = signer.sign(utf8(header), utf8(parent), utf8(metadata), utf8(content));
        return new ArrayList<>(List.of(utf8("client-id"), utf8("<IDS|MSG>"), utf8(signature), utf8(header),
                utf8(parent), utf8(metadata), utf8(content)));
    }

    private static final String HEADER = "{\"msg_id\":\"m1\",\"session\":\"s\",\"username\":\"u\","
            + "\"date\":\"2026-01-01T00:00:00Z\",\"msg_type\":\"execute_request\",\"version\":\"5.3\"}";

    @Test
    void decodesAVerifiedMessage() throws Exception {
        Message message = codec.decode(signedFrames(HEADER, "{}", "{}", "{\"code\":\"1+1\"}"));
        assertEquals("execute_request", message.type());
        assertEquals("1+1", message.content().get("code").asText());
        assertEquals(1, message.identities().size());
        assertArrayEquals(utf8("client-id"), message.identities().get(0));
    }

    @Test
    void encodedMessagesDecodeBackWithTheSameContent() throws Exception {
        Message request = codec.decode(signedFrames(HEADER, "{}", "{}", "{\"code\":\"x\"}"));
        ObjectNode content = Json.object();
        content.put("status", "ok");
        List<byte[]> frames = codec.encode(request.reply("execute_reply", content, "kernel-session"));
        Message reply = codec.decode(frames);
        assertEquals("execute_reply", reply.type());
        assertEquals("m1", reply.parentHeader().get("msg_id").asText());
        assertEquals("ok", reply.content().get("status").asText());
    }

    @Test
    void rejectsABadSignature() {
        List<byte[]> frames = signedFrames(HEADER, "{}", "{}", "{\"code\":\"1+1\"}");
        frames.set(2, utf8("0".repeat(64)));
        var e = assertThrows(MalformedMessageException.class, () -> codec.decode(frames));
        assertTrue(e.getMessage().contains("signature"));
    }

    @Test
    void rejectsAMissingSignatureWhenSigningIsOn() {
        List<byte[]> frames = signedFrames(HEADER, "{}", "{}", "{}");
        frames.set(2, new byte[0]);
        assertThrows(MalformedMessageException.class, () -> codec.decode(frames));
    }

    @Test
    void rejectsContentThatWasChangedAfterSigning() {
        List<byte[]> frames = signedFrames(HEADER, "{}", "{}", "{\"code\":\"1+1\"}");
        frames.set(6, utf8("{\"code\":\"System.exit(0)\"}"));
        assertThrows(MalformedMessageException.class, () -> codec.decode(frames));
    }

    @Test
    void rejectsMalformedJsonEvenWhenSigned() {
        var e = assertThrows(MalformedMessageException.class,
                () -> codec.decode(signedFrames(HEADER, "{}", "{}", "{not json")));
        assertTrue(e.getMessage().contains("content"), e.getMessage());
    }

    @Test
    void rejectsAHeaderWithoutMessageType() {
        assertThrows(MalformedMessageException.class,
                () -> codec.decode(signedFrames("{\"msg_id\":\"m\"}", "{}", "{}", "{}")));
    }

    @Test
    void rejectsFramesWithoutDelimiterOrParts() {
        assertThrows(MalformedMessageException.class, () -> codec.decode(List.of(utf8("just one frame"))));
        List<byte[]> short_ = signedFrames(HEADER, "{}", "{}", "{}").subList(0, 5);
        assertThrows(MalformedMessageException.class, () -> codec.decode(short_));
    }

    @Test
    void emptyKeyMeansUnsignedMessagesAreAccepted() throws Exception {
        WireCodec unsigned = new WireCodec(new MessageSigner("hmac-sha256", ""));
        List<byte[]> frames = List.of(utf8("<IDS|MSG>"), new byte[0], utf8(HEADER), utf8("{}"), utf8("{}"),
                utf8("{}"));
        assertEquals("execute_request", unsigned.decode(frames).type());
    }

    @Test
    void unsupportedSchemeIsNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> new MessageSigner("rot13", "k"));
        assertTrue(e.getMessage().contains("rot13"));
    }
}
