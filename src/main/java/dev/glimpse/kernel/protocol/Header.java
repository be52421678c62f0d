package dev.glimpse.kernel.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.UUID;

/**
 * A message header.
 *
 * @param msgId    unique id of the message
 * @param session  the sender's session id
 * @param username the sender's user name
 * @param date     ISO-8601 timestamp
 * @param msgType  e.g. {@code execute_request}
 * @param version  protocol version
 */
public record Header(String msgId, String session, String username, String date, String msgType, String version) {

    /** The protocol version this kernel speaks. */
    public static final String PROTOCOL_VERSION = "5.3";

    /** A fresh header for a message of this kernel's session. */
    public static Header create(String msgType, String session) {
        return new Header(UUID.randomUUID().toString(), session, "kernel", Instant.now().toString(), msgType,
                PROTOCOL_VERSION);
    }

    /** Reads a header, failing if {@code msg_type} or {@code msg_id} is missing. */
    static Header fromJson(JsonNode json) throws MalformedMessageException {
        if (json == null || !json.isObject()) {
            throw new MalformedMessageException("header is not a JSON object");
        }
        String type = json.path("msg_type").asText("");
        String id = json.path("msg_id").asText("");
        if (type.isEmpty() || id.isEmpty()) {
            throw new MalformedMessageException("header lacks msg_type or msg_id");
        }
        return new Header(id, json.path("session").asText(""), json.path("username").asText(""),
                json.path("date").asText(""), type, json.path("version").asText(PROTOCOL_VERSION));
    }

    ObjectNode toJson() {
        ObjectNode node = Json.object();
        node.put("msg_id", msgId);
        node.put("session", session);
        node.put("username", username);
        node.put("date", date);
        node.put("msg_type", msgType);
        node.put("version", version);
        return node;
    }
}
