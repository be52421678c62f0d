#!/usr/bin/env bash
# Start-up, per-cell and interrupt cost of the JShell evaluator (dev.glimpse.kernel.jshell) against raw JShell.
# Usage: bench/jshell-eval.sh [rounds]      (JAVA_HOME selects the JDK; default: java on PATH)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -o -Dstyle.color=never compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null 2>&1 \
    || { echo "build failed: run mvn -B -o compile to see why" >&2; exit 1; }
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
exec "$JAVA" -cp "target/classes:$(cat target/bench-classpath.txt)" bench/JShellEvalBench.java "${1:-3}"
