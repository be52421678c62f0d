package dev.glimpse.extension;

import dev.glimpse.engine.VisionLanguageModel;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;

import static dev.glimpse.extension.ModelSource.REMOTE_CLIENT;

/** Calls the remote client by its expected shape: a static factory or a constructor of (URL, model, key). */
final class RemoteClient {
    private static final String[] FACTORIES = {"connect", "of", "create", "open"};

    private RemoteClient() {
    }

    static VisionLanguageModel create(Class<?> client, URI baseUrl, String model, String key) {
        for (String name : FACTORIES) {
            for (Method m : client.getMethods()) {
                if (m.getName().equals(name) && Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == 3
                        && VisionLanguageModel.class.isAssignableFrom(m.getReturnType())) {
                    Object url = argument(m.getParameterTypes()[0], baseUrl);
                    if (url != null) {
                        return (VisionLanguageModel) invoke(() -> m.invoke(null, url, model, key));
                    }
                }
            }
        }
        for (Constructor<?> c : client.getConstructors()) {
            if (c.getParameterCount() == 3) {
                Object url = argument(c.getParameterTypes()[0], baseUrl);
                if (url != null) {
                    return (VisionLanguageModel) invoke(() -> c.newInstance(url, model, key));
                }
            }
        }
        throw new IllegalStateException(REMOTE_CLIENT + " has no factory or constructor taking (base URL, model "
                + "name, API key); the extension's ModelSource needs updating to its API");
    }

    private static Object argument(Class<?> type, URI url) {
        if (type == URI.class) {
            return url;
        }
        if (type == String.class) {
            return url.toString();
        }
        return null;
    }

    private interface Call {
        Object call() throws ReflectiveOperationException;
    }

    private static Object invoke(Call call) {
        try {
            return call.call();
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause.getMessage(), cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot call " + REMOTE_CLIENT + ": " + e, e);
        }
    }
}
