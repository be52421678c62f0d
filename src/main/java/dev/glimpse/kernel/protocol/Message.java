package dev.glimpse.kernel.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * One Jupyter message.
 *
 * @param identities   ZeroMQ routing identities (empty for IOPub)
 * @param header       this message's header
 * @param parentHeader the header of the request this answers, echoed verbatim; an empty object for none
 * @param metadata     free-form metadata
 * @param content      the message body
 * @param buffers      extra binary frames
 */
public record Message(List<byte[]> identities, Header header, ObjectNode parentHeader, ObjectNode metadata,
                      ObjectNode content, List<byte[]> buffers) {

    public Message {
        identities = List.copyOf(identities);
        buffers = List.copyOf(buffers);
    }

    /** The message type, e.g. {@code execute_request}. */
    public String type() {
        return header.msgType();
    }

    /**
     * A message answering or published on behalf of this one: same identities, this header as parent.
     *
     * @param type    the new message's type
     * @param content its body
     * @param session this kernel's session id
     */
    public Message reply(String type, ObjectNode content, String session) {
        return new Message(identities, Header.create(type, session), header.toJson(), Json.object(), content,
                List.of());
    }

    /** The header of this message as a JSON object, for use as a parent header. */
    public ObjectNode headerJson() {
        return header.toJson();
    }
}
