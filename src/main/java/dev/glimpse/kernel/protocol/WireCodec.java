package dev.glimpse.kernel.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns ZeroMQ multipart frames into {@link Message}s and back:
 * {@code [identities…, "<IDS|MSG>", signature, header, parent_header, metadata, content, buffers…]}.
 * Every incoming message's signature is checked before its JSON is parsed.
 */
public final class WireCodec {
    static final byte[] DELIMITER = "<IDS|MSG>".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMPTY_OBJECT = "{}".getBytes(StandardCharsets.UTF_8);

    private final MessageSigner signer;

    public WireCodec(MessageSigner signer) {
        this.signer = signer;
    }

    /** Decodes and verifies a message. */
    public Message decode(List<byte[]> frames) throws MalformedMessageException {
        int delimiter = -1;
        for (int i = 0; i < frames.size(); i++) {
            if (Arrays.equals(frames.get(i), DELIMITER)) {
                delimiter = i;
                break;
            }
        }
        if (delimiter < 0) {
            throw new MalformedMessageException("no <IDS|MSG> delimiter among " + frames.size() + " frames");
        }
        if (frames.size() < delimiter + 6) {
            throw new MalformedMessageException("expected signature, header, parent_header, metadata and content"
                    + " after the delimiter, got " + (frames.size() - delimiter - 1) + " frames");
        }
        byte[] signature = frames.get(delimiter + 1);
        byte[] header = frames.get(delimiter + 2);
        byte[] parent = frames.get(delimiter + 3);
        byte[] metadata = frames.get(delimiter + 4);
        byte[] content = frames.get(delimiter + 5);
        if (!signer.verify(signature, header, parent, metadata, content)) {
            throw new MalformedMessageException("bad signature");
        }
        return new Message(
                frames.subList(0, delimiter),
                Header.fromJson(parse(header, "header")),
                object(parent, "parent_header"),
                object(metadata, "metadata"),
                object(content, "content"),
                frames.subList(delimiter + 6, frames.size()));
    }

    /** Encodes and signs a message. */
    public List<byte[]> encode(Message message) {
        byte[] header = bytes(message.header().toJson());
        byte[] parent = message.parentHeader() == null ? EMPTY_OBJECT : bytes(message.parentHeader());
        byte[] metadata = message.metadata() == null ? EMPTY_OBJECT : bytes(message.metadata());
        byte[] content = bytes(message.content());
        List<byte[]> frames = new ArrayList<>(message.identities().size() + 6 + message.buffers().size());
        frames.addAll(message.identities());
        frames.add(DELIMITER);
        frames.add(signer.sign(header, parent, metadata, content).getBytes(StandardCharsets.US_ASCII));
        frames.add(header);
        frames.add(parent);
        frames.add(metadata);
        frames.add(content);
        frames.addAll(message.buffers());
        return frames;
    }

    private static JsonNode parse(byte[] raw, String part) throws MalformedMessageException {
        try {
            return Json.MAPPER.readTree(raw);
        } catch (IOException e) {
            throw new MalformedMessageException(part + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    private static ObjectNode object(byte[] raw, String part) throws MalformedMessageException {
        JsonNode node = parse(raw, part);
        if (node == null || node.isMissingNode()) {
            return Json.object();
        }
        if (!node.isObject()) {
            throw new MalformedMessageException(part + " is not a JSON object");
        }
        return (ObjectNode) node;
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return Json.MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
    }
}
