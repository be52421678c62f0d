package dev.glimpse.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A request the server refuses, with the HTTP status and OpenAI's error shape:
 * {@code {"error": {"message", "type", "param", "code"}}}. The message says what is wrong and how to fix it.
 */
final class ApiError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String type;
    private final String param;
    private final String code;

    ApiError(int status, String type, String message, String param, String code) {
        super(message);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
    }

    /** 400: the request is malformed or asks for something the server cannot do. */
    static ApiError badRequest(String message, String param) {
        return new ApiError(400, "invalid_request_error", message, param, null);
    }

    /** 400 with an OpenAI error code, e.g. {@code invalid_image_url}. */
    static ApiError badRequest(String message, String param, String code) {
        return new ApiError(400, "invalid_request_error", message, param, code);
    }

    static ApiError unauthorized(String message) {
        return new ApiError(401, "invalid_request_error", message, null, "invalid_api_key");
    }

    static ApiError modelNotFound(String model, String served) {
        return new ApiError(404, "invalid_request_error", "The model '" + model + "' does not exist; this server "
                + "serves '" + served + "' (GET /v1/models lists it).", "model", "model_not_found");
    }

    static ApiError notFound(String message) {
        return new ApiError(404, "invalid_request_error", message, null, "not_found");
    }

    static ApiError methodNotAllowed(String method, String path, String allowed) {
        return new ApiError(405, "invalid_request_error", method + " is not allowed on " + path + "; use " + allowed
                + ".", null, "method_not_allowed");
    }

    static ApiError tooLarge(long limit) {
        return new ApiError(413, "invalid_request_error", "The request body is larger than " + (limit >> 20)
                + " MiB; send fewer or smaller images.", null, "request_too_large");
    }

    /** 503: the server ran out of memory answering request {@code id}; the client may retry. */
    static ApiError outOfMemory(String id) {
        return new ApiError(503, "server_error", "The server ran out of memory for request " + id + "; retry later, "
                + "or send fewer or smaller images.", null, null);
    }

    static ApiError serverError(String message) {
        return new ApiError(500, "server_error", message, null, null);
    }

    int status() {
        return status;
    }

    ObjectNode toJson(ObjectMapper json) {
        ObjectNode root = json.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", getMessage());
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        return root;
    }
}
