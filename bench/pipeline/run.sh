#!/usr/bin/env bash
# askAll throughput against endpoints at concurrency 1 and 8, and the matchers' scoring speed, in one run.
# Usage: bench/pipeline/run.sh [images] [max new tokens]   (default 200 images, 16 tokens)
#        bench/pipeline/run.sh scoring                      (the matchers only)
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -q -B -o -Dstyle.color=never test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt \
    >/dev/null 2>&1 || { echo "build failed: run mvn -B -o test-compile to see why" >&2; exit 1; }
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
exec "$JAVA" --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" bench/pipeline/PipelineBench.java "$@"
