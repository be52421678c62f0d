#!/usr/bin/env bash
# Throughput of glimpse serve with concurrent clients vs. sequential direct engine calls, same model and questions.
# Usage: bench/serve/run.sh [model dir] [requests] [max new tokens] [clients] [rounds]
#        (default: models/glimpse-tiny if present, else the tiny-a fixture; 16 requests; 32 tokens; 8 clients;
#        5 rounds, median shown; BENCH_DEBUG=1 prints each round and every answer that differs)
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -q -B -o -Dstyle.color=never compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt \
    >/dev/null 2>&1 || { echo "build failed: run mvn -B -o compile to see why" >&2; exit 1; }
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
exec "$JAVA" --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "target/classes:$(cat target/bench-classpath.txt)" bench/serve/ServeBench.java "$@"
