package dev.glimpse.kernel;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glimpse.kernel.protocol.IopubChannel;
import dev.glimpse.kernel.protocol.Json;
import dev.glimpse.kernel.protocol.Message;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

import java.util.List;

/** Builds and publishes the IOPub messages of the kernel, each with the request it belongs to as parent. */
final class Publisher {
    private final IopubChannel iopub;
    private final String session;

    Publisher(IopubChannel iopub, String session) {
        this.iopub = iopub;
        this.session = session;
    }

    String session() {
        return session;
    }

    void status(Message parent, String state) {
        ObjectNode content = Json.object();
        content.put("execution_state", state);
        publish(parent, "status", content);
    }

    void executeInput(Message parent, String code, int count) {
        ObjectNode content = Json.object();
        content.put("code", code);
        content.put("execution_count", count);
        publish(parent, "execute_input", content);
    }

    void stream(Message parent, String name, String text) {
        ObjectNode content = Json.object();
        content.put("name", name);
        content.put("text", text);
        publish(parent, "stream", content);
    }

    void executeResult(Message parent, int count, DisplayData result) {
        ObjectNode content = DisplayBundles.toJson(result);
        content.remove("transient");
        content.put("execution_count", count);
        publish(parent, "execute_result", content);
    }

    void displayData(Message parent, DisplayData display) {
        ObjectNode content = DisplayBundles.toJson(display);
        if (!content.has("transient")) {
            content.putObject("transient");
        }
        publish(parent, "display_data", content);
    }

    void updateDisplayData(Message parent, DisplayData display) {
        ObjectNode content = DisplayBundles.toJson(display);
        publish(parent, "update_display_data", content);
    }

    void clearOutput(Message parent, boolean wait) {
        ObjectNode content = Json.object();
        content.put("wait", wait);
        publish(parent, "clear_output", content);
    }

    void error(Message parent, ErrorReport error) {
        publish(parent, "error", error.toJson());
    }

    void commClose(Message parent, String commId) {
        ObjectNode content = Json.object();
        content.put("comm_id", commId);
        content.putObject("data");
        publish(parent, "comm_close", content);
    }

    private void publish(Message parent, String type, ObjectNode content) {
        Message message = parent == null
                ? new Message(List.of(), dev.glimpse.kernel.protocol.Header.create(type, session), Json.object(),
                Json.object(), content, List.of())
                : parent.reply(type, content, session);
        iopub.publish(message);
    }
}
