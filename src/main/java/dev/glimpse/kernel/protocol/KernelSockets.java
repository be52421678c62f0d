package dev.glimpse.kernel.protocol;

import org.zeromq.ZContext;

/**
 * The five sockets of a kernel, bound exactly where the connection file says, each served by its own thread.
 * Create, then {@link #start} with the shell and control handlers.
 */
public final class KernelSockets implements AutoCloseable {
    private final ZContext context = new ZContext(1);
    private final RouterChannel shell;
    private final RouterChannel control;
    private final IopubChannel iopub;
    private final StdinChannel stdin;

    public KernelSockets(ConnectionInfo info) {
        WireCodec codec = new WireCodec(new MessageSigner(info.signatureScheme(), info.key()));
        this.iopub = new IopubChannel(context, info.endpoint(info.iopubPort()), codec);
        this.stdin = new StdinChannel(context, info.endpoint(info.stdinPort()), codec);
        this.control = new RouterChannel("control", context, info.endpoint(info.controlPort()), codec);
        this.shell = new RouterChannel("shell", context, info.endpoint(info.shellPort()), codec);
        new Heartbeat(context, info.endpoint(info.hbPort()));
    }

    /** Starts serving requests. */
    public void start(RequestHandler shellHandler, RequestHandler controlHandler) {
        control.start(controlHandler);
        shell.start(shellHandler);
    }

    public IopubChannel iopub() {
        return iopub;
    }

    public StdinChannel stdin() {
        return stdin;
    }

    public RouterChannel shell() {
        return shell;
    }

    @Override
    public void close() {
        context.close();
    }
}
