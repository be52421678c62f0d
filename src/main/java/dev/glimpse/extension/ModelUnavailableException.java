package dev.glimpse.extension;

import dev.glimpse.engine.ModelNotReadyException;

/** The model could not be loaded or reached. The message names the model and what to do. */
public class ModelUnavailableException extends ModelNotReadyException {

    private static final long serialVersionUID = 1L;

    public ModelUnavailableException(String message) {
        super(message);
    }

    public ModelUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
