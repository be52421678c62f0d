package dev.glimpse.kernel.jshell;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;

/**
 * Stand-ins for the calls that would end the kernel JVM. Snippet bytecode is rewritten to call these methods instead of
 * {@link System#exit(int)}, {@link Runtime#exit(int)} and {@link Runtime#halt(int)}, each of which throws
 * {@link ExitRefusedError}, and to pass reflective calls and method handle look-ups through the checks here first.
 * Public only because snippet classes live in another class loader.
 */
public final class ExitGuard {

    private static final MethodType EXIT_TYPE = MethodType.methodType(void.class, int.class);

    private ExitGuard() {
    }

    /** Replaces {@link System#exit(int)} in snippet code. */
    public static void exit(int status) {
        throw new ExitRefusedError("System.exit", status);
    }

    /** Replaces {@link Runtime#exit(int)} in snippet code. */
    public static void runtimeExit(Runtime runtime, int status) {
        throw new ExitRefusedError("Runtime.exit", status);
    }

    /** Replaces {@link Runtime#halt(int)} in snippet code. */
    public static void runtimeHalt(Runtime runtime, int status) {
        throw new ExitRefusedError("Runtime.halt", status);
    }

    /** Runs before every {@link Method#invoke} in snippet code: refuses the exit methods, lets every other through. */
    public static void checkInvoke(Method method, Object[] arguments) {
        String call = exitCall(method);
        if (call != null) {
            Object status = arguments != null && arguments.length == 1 ? arguments[0] : null;
            throw new ExitRefusedError(call, status instanceof Integer i ? i : 0);
        }
    }

    /** Replaces {@link MethodHandles.Lookup#findStatic}: {@code System.exit} becomes a handle to {@link #exit}. */
    public static MethodHandle findStatic(MethodHandles.Lookup lookup, Class<?> owner, String name, MethodType type)
            throws NoSuchMethodException, IllegalAccessException {
        if (owner == System.class && name.equals("exit") && type.equals(EXIT_TYPE)) {
            return guard("exit", EXIT_TYPE);
        }
        return lookup.findStatic(owner, name, type);
    }

    /** Replaces {@link MethodHandles.Lookup#findVirtual}: {@code Runtime.exit} and {@code halt} become guards. */
    public static MethodHandle findVirtual(MethodHandles.Lookup lookup, Class<?> owner, String name, MethodType type)
            throws NoSuchMethodException, IllegalAccessException {
        if (owner == Runtime.class && isRuntimeExit(name) && type.equals(EXIT_TYPE)) {
            return runtimeGuard(name);
        }
        return lookup.findVirtual(owner, name, type);
    }

    /** Replaces {@link MethodHandles.Lookup#bind}: a runtime's {@code exit} or {@code halt} becomes a guard. */
    public static MethodHandle bind(MethodHandles.Lookup lookup, Object receiver, String name, MethodType type)
            throws NoSuchMethodException, IllegalAccessException {
        if (receiver instanceof Runtime && isRuntimeExit(name) && type.equals(EXIT_TYPE)) {
            return runtimeGuard(name).bindTo(receiver);
        }
        return lookup.bind(receiver, name, type);
    }

    /** Replaces {@link MethodHandles.Lookup#unreflect}: an exit method becomes a handle to its guard. */
    public static MethodHandle unreflect(MethodHandles.Lookup lookup, Method method) throws IllegalAccessException {
        String call = exitCall(method);
        if (call == null) {
            return lookup.unreflect(method);
        }
        return method.getDeclaringClass() == System.class ? guard("exit", EXIT_TYPE) : runtimeGuard(method.getName());
    }

    /** {@code "System.exit"}, {@code "Runtime.exit"} or {@code "Runtime.halt"} for those methods, else null. */
    private static String exitCall(Method method) {
        if (method == null || method.getParameterCount() != 1 || method.getParameterTypes()[0] != int.class) {
            return null;
        }
        Class<?> owner = method.getDeclaringClass();
        if (owner == System.class && method.getName().equals("exit")) {
            return "System.exit";
        }
        if (owner == Runtime.class && isRuntimeExit(method.getName())) {
            return "Runtime." + method.getName();
        }
        return null;
    }

    private static boolean isRuntimeExit(String name) {
        return name.equals("exit") || name.equals("halt");
    }

    private static MethodHandle runtimeGuard(String runtimeMethod) {
        return guard(runtimeMethod.equals("halt") ? "runtimeHalt" : "runtimeExit",
                MethodType.methodType(void.class, Runtime.class, int.class));
    }

    private static MethodHandle guard(String name, MethodType type) {
        try {
            return MethodHandles.lookup().findStatic(ExitGuard.class, name, type);
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new IllegalStateException("ExitGuard." + name + " is missing", e);
        }
    }
}
