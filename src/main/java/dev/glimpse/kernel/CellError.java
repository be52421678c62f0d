package dev.glimpse.kernel;

/** A cell failed in a way the user should see as an error output: compile error, exception, interrupt, bad magic. */
final class CellError extends Exception {
    private final transient ErrorReport report;

    CellError(ErrorReport report, Throwable cause) {
        super(report.ename() + ": " + report.evalue(), cause);
        this.report = report;
    }

    ErrorReport report() {
        return report;
    }
}
