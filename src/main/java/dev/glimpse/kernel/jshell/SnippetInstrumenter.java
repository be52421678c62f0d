package dev.glimpse.kernel.jshell;

import java.util.HashSet;
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
 *       to {@link ExitGuard}, so a cell cannot end the kernel JVM.</li>
 * </ul>
 * The inserted call takes and leaves nothing on the operand stack and adds no branch target, so neither the maximum
 * stack size nor the stack map frames change.
 */
final class SnippetInstrumenter {

    private static final String CHECK_OWNER = Type.getInternalName(CellInterrupt.class);
    private static final String GUARD_OWNER = Type.getInternalName(ExitGuard.class);
    private static final String RUNTIME_GUARD_DESCRIPTOR = "(Ljava/lang/Runtime;I)V";

    private SnippetInstrumenter() {
    }

    static byte[] instrument(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                MethodVisitor target = super.visitMethod(access, name, descriptor, signature, exceptions);
                return target == null ? null : new MethodRewriter(target);
            }
        }, 0);
        return writer.toByteArray();
    }

    private static final class MethodRewriter extends MethodVisitor {

        private final Set<Label> seen = new HashSet<>();

        MethodRewriter(MethodVisitor target) {
            super(Opcodes.ASM9, target);
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
