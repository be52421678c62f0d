package dev.glimpse.kernel.jshell;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Rewrites the bytecode of snippet classes before they are loaded:
 * <ul>
 *   <li>a call to {@link CellInterrupt#check()} at every method entry and before every backward branch, so that even
 *       {@code while (true) {}} stops when the cell is interrupted (no {@code Thread.stop}, which newer JDKs lack);</li>
 *   <li>calls and method references to {@code System.exit}, {@code Runtime.exit} and {@code Runtime.halt} redirected
 *       to {@link ExitGuard}, so a cell cannot end the kernel JVM;</li>
 *   <li>the reflective ways to the same methods guarded too: {@code Method.invoke} checks its method first, and
 *       {@code MethodHandles.Lookup}'s {@code findStatic}, {@code findVirtual}, {@code bind} and {@code unreflect}
 *       hand out a handle to the guard instead of one to an exit method.</li>
 * </ul>
 * None of the inserted code adds a branch target, so the stack map frames stay valid. The interrupt check and the
 * rewritten calls leave the maximum stack size as it was; the check before {@code Method.invoke} parks the
 * receiver and arguments in two new local variables above the method's own and needs one more stack slot.
 *
 * <p>Why rewriting and not the JVM's own hooks: a {@code SecurityManager} could refuse every exit, but Java 24 removed
 * it; a Java agent that patches {@code Runtime.exit} would need a {@code -javaagent} flag on every launch of the
 * kernel. Call sites in cell code are what a cell can reach; classes of jars a cell adds are not rewritten.
 */
final class SnippetInstrumenter {

    private static final String CHECK_OWNER = Type.getInternalName(CellInterrupt.class);
    private static final String GUARD_OWNER = Type.getInternalName(ExitGuard.class);
    private static final String RUNTIME_GUARD_DESCRIPTOR = "(Ljava/lang/Runtime;I)V";
    private static final String METHOD = "java/lang/reflect/Method";
    private static final String INVOKE_DESCRIPTOR = "(Ljava/lang/Object;[Ljava/lang/Object;)Ljava/lang/Object;";
    private static final String LOOKUP = "java/lang/invoke/MethodHandles$Lookup";
    /** Lookup methods that can produce a handle to an exit method, with their descriptors. */
    private static final Map<String, String> LOOKUP_METHODS = Map.of(
            "findStatic", "(Ljava/lang/Class;Ljava/lang/String;Ljava/lang/invoke/MethodType;)"
                    + "Ljava/lang/invoke/MethodHandle;",
            "findVirtual", "(Ljava/lang/Class;Ljava/lang/String;Ljava/lang/invoke/MethodType;)"
                    + "Ljava/lang/invoke/MethodHandle;",
            "bind", "(Ljava/lang/Object;Ljava/lang/String;Ljava/lang/invoke/MethodType;)"
                    + "Ljava/lang/invoke/MethodHandle;",
            "unreflect", "(Ljava/lang/reflect/Method;)Ljava/lang/invoke/MethodHandle;");

    private SnippetInstrumenter() {
    }

    static byte[] instrument(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        Map<String, Integer> maxLocals = maxLocals(reader);
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                MethodVisitor target = super.visitMethod(access, name, descriptor, signature, exceptions);
                return target == null ? null
                        : new MethodRewriter(target, maxLocals.getOrDefault(name + descriptor, 0));
            }
        }, 0);
        return writer.toByteArray();
    }

    /** Each method's number of local variable slots, by name and descriptor: where new locals may start. */
    private static Map<String, Integer> maxLocals(ClassReader reader) {
        Map<String, Integer> result = new HashMap<>();
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMaxs(int maxStack, int locals) {
                        result.put(name + descriptor, locals);
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return result;
    }

    private static final class MethodRewriter extends MethodVisitor {

        private final Set<Label> seen = new HashSet<>();
        /** The first local slot the method does not use: where Method.invoke's receiver and arguments are parked. */
        private final int freeLocal;
        private boolean parksArguments;

        MethodRewriter(MethodVisitor target, int freeLocal) {
            super(Opcodes.ASM9, target);
            this.freeLocal = freeLocal;
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            // the check before Method.invoke holds the method twice, the receiver and the arguments: one more
            super.visitMaxs(parksArguments ? maxStack + 1 : maxStack, parksArguments ? Math.max(maxLocals, freeLocal + 2) : maxLocals);
        }

        @Override
        public void visitCode() {
            super.visitCode();
            insertCheck();
        }

        @Override
        public void visitLabel(Label label) {
            seen.add(label);
            super.visitLabel(label);
        }

        @Override
        public void visitJumpInsn(int opcode, Label label) {
            if (seen.contains(label)) {
                insertCheck();
            }
            super.visitJumpInsn(opcode, label);
        }

        @Override
        public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
            if (anySeen(dflt, labels)) {
                insertCheck();
            }
            super.visitTableSwitchInsn(min, max, dflt, labels);
        }

        @Override
        public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
            if (anySeen(dflt, labels)) {
                insertCheck();
            }
            super.visitLookupSwitchInsn(dflt, keys, labels);
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            if (opcode == Opcodes.INVOKESTATIC && isSystemExit(owner, name, descriptor)) {
                super.visitMethodInsn(Opcodes.INVOKESTATIC, GUARD_OWNER, "exit", "(I)V", false);
            } else if (opcode == Opcodes.INVOKEVIRTUAL && isRuntimeExit(owner, name, descriptor)) {
                // the receiver and the status stay on the stack and become the guard's two arguments
                super.visitMethodInsn(Opcodes.INVOKESTATIC, GUARD_OWNER, guardName(name), RUNTIME_GUARD_DESCRIPTOR,
                        false);
            } else if (opcode == Opcodes.INVOKEVIRTUAL && owner.equals(METHOD) && name.equals("invoke")
                    && descriptor.equals(INVOKE_DESCRIPTOR)) {
                checkBeforeInvoke();
                super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
            } else if (opcode == Opcodes.INVOKEVIRTUAL && owner.equals(LOOKUP)
                    && descriptor.equals(LOOKUP_METHODS.get(name))) {
                // the lookup and its arguments stay on the stack and become the guard's arguments
                super.visitMethodInsn(Opcodes.INVOKESTATIC, GUARD_OWNER, name,
                        "(L" + LOOKUP + ";" + descriptor.substring(1), false);
            } else {
                super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
            }
        }

        @Override
        public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap, Object... arguments) {
            Object[] rewritten = arguments.clone();
            for (int i = 0; i < rewritten.length; i++) {
                if (rewritten[i] instanceof Handle handle) {
                    rewritten[i] = guardedHandle(handle);
                }
            }
            super.visitInvokeDynamicInsn(name, descriptor, bootstrap, rewritten);
        }

        /** Method references such as {@code System::exit} reach the exit methods through a handle, not a call. */
        private static Handle guardedHandle(Handle handle) {
            if (handle.getTag() == Opcodes.H_INVOKESTATIC
                    && isSystemExit(handle.getOwner(), handle.getName(), handle.getDesc())) {
                return new Handle(Opcodes.H_INVOKESTATIC, GUARD_OWNER, "exit", "(I)V", false);
            }
            if (handle.getTag() == Opcodes.H_INVOKEVIRTUAL
                    && isRuntimeExit(handle.getOwner(), handle.getName(), handle.getDesc())) {
                return new Handle(Opcodes.H_INVOKESTATIC, GUARD_OWNER, guardName(handle.getName()),
                        RUNTIME_GUARD_DESCRIPTOR, false);
            }
            return handle;
        }

        /**
         * Stack {@code method, receiver, arguments} → the same, after
         * {@code ExitGuard.checkInvoke(method, receiver, arguments)}.
         * The call itself stays in the cell's class: {@code Method.invoke} checks access against its caller.
         */
        private void checkBeforeInvoke() {
            parksArguments = true;
            super.visitVarInsn(Opcodes.ASTORE, freeLocal + 1);
            super.visitVarInsn(Opcodes.ASTORE, freeLocal);
            super.visitInsn(Opcodes.DUP);
            super.visitVarInsn(Opcodes.ALOAD, freeLocal);
            super.visitVarInsn(Opcodes.ALOAD, freeLocal + 1);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, GUARD_OWNER, "checkInvoke",
                    "(Ljava/lang/reflect/Method;Ljava/lang/Object;[Ljava/lang/Object;)V", false);
            super.visitVarInsn(Opcodes.ALOAD, freeLocal);
            super.visitVarInsn(Opcodes.ALOAD, freeLocal + 1);
        }

        private void insertCheck() {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, CHECK_OWNER, "check", "()V", false);
        }

        private boolean anySeen(Label dflt, Label[] labels) {
            if (seen.contains(dflt)) {
                return true;
            }
            for (Label label : labels) {
                if (seen.contains(label)) {
                    return true;
                }
            }
            return false;
        }

        private static boolean isSystemExit(String owner, String name, String descriptor) {
            return owner.equals("java/lang/System") && name.equals("exit") && descriptor.equals("(I)V");
        }

        private static boolean isRuntimeExit(String owner, String name, String descriptor) {
            return owner.equals("java/lang/Runtime") && (name.equals("exit") || name.equals("halt"))
                    && descriptor.equals("(I)V");
        }

        private static String guardName(String runtimeMethod) {
            return runtimeMethod.equals("halt") ? "runtimeHalt" : "runtimeExit";
        }
    }
}
