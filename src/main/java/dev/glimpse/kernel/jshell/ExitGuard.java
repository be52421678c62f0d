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
 *
 * <p>A second layer of reflection is guarded too: {@code Method.invoke} called through {@code Method.invoke} checks
 * the inner method; the guarded {@code Lookup} methods called through {@code Method.invoke} refuse to make a handle to
 * an exit method (the status is not known yet, so the refusal reports 0) and to {@code Method.invoke} or a guarded
 * {@code Lookup} method (a handle that could not be checked); handles that a cell makes to {@code Method.invoke} run
 * the same check before the call, and handles to the guarded {@code Lookup} methods are handles to the replacements
 * here.
 *
 * <p>Not guarded: code that is not a cell's (classes of jars added with {@code %maven} or {@code %jars}, and any
 * library method that calls exit for its caller, such as {@code java.beans.Statement}, {@code java.beans.Expression}
 * or a {@code ScriptEngine}), {@code MethodHandles.Lookup.findSpecial}/{@code unreflectSpecial} and
 * {@code MethodHandleProxies}, and the JNI. A cell that sets out to end the kernel can still find a way; this stops
 * the calls a user makes by habit or by copying code.
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

    /**
     * Runs before every {@link Method#invoke} in snippet code (and in handles to it): refuses the exit methods, also
     * when reached through {@code Method.invoke} or a {@code Lookup} method called reflectively; lets every other
     * through.
     */
    public static void checkInvoke(Method method, Object receiver, Object[] arguments) {
        String call = exitCall(method);
        if (call != null) {
            Object status = arguments != null && arguments.length == 1 ? arguments[0] : null;
            throw new ExitRefusedError(call, status instanceof Integer i ? i : 0);
        }
        if (isMethodInvoke(method) && receiver instanceof Method inner) {
            Object innerReceiver = arguments != null && arguments.length > 0 ? arguments[0] : null;
            Object[] innerArguments = arguments != null && arguments.length > 1 && arguments[1] instanceof Object[] a
                    ? a : null;
            checkInvoke(inner, innerReceiver, innerArguments);
        } else if (method != null && method.getDeclaringClass() == MethodHandles.Lookup.class && arguments != null) {
            checkReflectiveLookup(method.getName(), arguments);
        }
    }

    /** A {@code Lookup} method called through {@code Method.invoke}: its handle cannot be swapped, so refuse it. */
    private static void checkReflectiveLookup(String name, Object[] arguments) {
        String target = switch (name) {
            case "findStatic", "findVirtual" -> arguments.length == 3 && arguments[0] instanceof Class<?> owner
                    && arguments[1] instanceof String method && arguments[2] instanceof MethodType type
                    ? targetOf(owner, method, type, name.equals("findStatic")) : null;
            case "bind" -> arguments.length == 3 && arguments[0] != null && arguments[1] instanceof String method
                    && arguments[2] instanceof MethodType type
                    ? targetOf(arguments[0].getClass(), method, type, false) : null;
            case "unreflect" -> arguments.length == 1 && arguments[0] instanceof Method method
                    ? targetOf(method) : null;
            default -> null;
        };
        if (target == null) {
            return;
        }
        if (target.startsWith("System.") || target.startsWith("Runtime.")) {
            throw new ExitRefusedError(target, 0);
        }
        throw new UnsupportedOperationException("A handle to " + target + " made through reflection is not allowed in"
                + " a notebook cell: it could reach System.exit unchecked; call MethodHandles.Lookup." + name
                + " directly instead");
    }

    /**
     * What a look-up of {@code owner.name} finds that needs a guard: the exit call ({@code "System.exit"}…), or the
     * full name of {@code Method.invoke} or a guarded {@code Lookup} method; null for everything else.
     */
    private static String targetOf(Class<?> owner, String name, MethodType type, boolean isStatic) {
        if (type.equals(EXIT_TYPE)) {
            if (isStatic && owner == System.class && name.equals("exit")) {
                return "System.exit";
            }
            if (!isStatic && Runtime.class.isAssignableFrom(owner) && isRuntimeExit(name)) {
                return "Runtime." + name;
            }
        }
        if (!isStatic && owner == Method.class && name.equals("invoke")) {
            return "java.lang.reflect.Method.invoke";
        }
        if (!isStatic && MethodHandles.Lookup.class.isAssignableFrom(owner) && isGuardedLookup(name)) {
            return "java.lang.invoke.MethodHandles.Lookup." + name;
        }
        return null;
    }

    private static String targetOf(Method method) {
        String call = exitCall(method);
        if (call != null) {
            return call;
        }
        if (isMethodInvoke(method)) {
            return "java.lang.reflect.Method.invoke";
        }
        return guardedLookup(method) != null ? "java.lang.invoke.MethodHandles.Lookup." + method.getName() : null;
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
        MethodHandle handle = lookup.findVirtual(owner, name, type);
        if (owner == Method.class && name.equals("invoke")) {
            return checkedInvoke(handle);
        }
        if (owner == MethodHandles.Lookup.class && isGuardedLookup(name)) {
            return lookupGuard(name, type);
        }
        return handle;
    }

    /** Replaces {@link MethodHandles.Lookup#bind}: a runtime's {@code exit} or {@code halt} becomes a guard. */
    public static MethodHandle bind(MethodHandles.Lookup lookup, Object receiver, String name, MethodType type)
            throws NoSuchMethodException, IllegalAccessException {
        if (receiver instanceof Runtime && isRuntimeExit(name) && type.equals(EXIT_TYPE)) {
            return runtimeGuard(name).bindTo(receiver);
        }
        MethodHandle handle = lookup.bind(receiver, name, type);
        if (receiver instanceof Method && name.equals("invoke")) {
            return checkedInvoke(lookup.findVirtual(Method.class, name, type)).bindTo(receiver);
        }
        if (receiver instanceof MethodHandles.Lookup && isGuardedLookup(name)) {
            return lookupGuard(name, type).bindTo(receiver);
        }
        return handle;
    }

    /** Replaces {@link MethodHandles.Lookup#unreflect}: an exit method becomes a handle to its guard. */
    public static MethodHandle unreflect(MethodHandles.Lookup lookup, Method method) throws IllegalAccessException {
        String call = exitCall(method);
        if (call == null) {
            MethodHandle handle = lookup.unreflect(method);
            if (isMethodInvoke(method)) {
                return checkedInvoke(handle);
            }
            String lookupMethod = guardedLookup(method);
            return lookupMethod == null ? handle
                    : lookupGuard(lookupMethod, MethodType.methodType(method.getReturnType(), method.getParameterTypes()));
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

    private static boolean isMethodInvoke(Method method) {
        return method != null && method.getDeclaringClass() == Method.class && method.getName().equals("invoke");
    }

    private static boolean isGuardedLookup(String name) {
        return name.equals("findStatic") || name.equals("findVirtual") || name.equals("bind")
                || name.equals("unreflect");
    }

    /** The name of a guarded {@code Lookup} method, else null. */
    private static String guardedLookup(Method method) {
        return method != null && method.getDeclaringClass() == MethodHandles.Lookup.class
                && isGuardedLookup(method.getName()) ? method.getName() : null;
    }

    /** A handle to {@code Method.invoke} that runs {@link #checkInvoke} first, variable arity kept. */
    private static MethodHandle checkedInvoke(MethodHandle invoke) {
        MethodHandle check = guard("checkInvoke",
                MethodType.methodType(void.class, Method.class, Object.class, Object[].class));
        MethodHandle checked = MethodHandles.foldArguments(invoke,
                check.asType(check.type().changeParameterType(0, invoke.type().parameterType(0))));
        return invoke.isVarargsCollector() ? checked.asVarargsCollector(Object[].class) : checked;
    }

    /**
     * A handle to the replacement here for the {@code Lookup} method {@code name} of type {@code lookupMethodType},
     * which takes the lookup as its first argument. {@code Lookup} has one method of each guarded name.
     */
    private static MethodHandle lookupGuard(String name, MethodType lookupMethodType) {
        MethodType type = lookupMethodType.insertParameterTypes(0, MethodHandles.Lookup.class);
        try {
            return MethodHandles.lookup().findStatic(ExitGuard.class, name, type);
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new IllegalStateException("ExitGuard." + name + type + " is missing", e);
        }
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
