#!/usr/bin/env bash
# libtorch 2.10 (JavaCPP PyTorch presets 2.10.0-1.5.13) leg of the backend comparison in ../README.md.
# Usage: bench/engine/javacpp/run.sh time THREADS OUTxIN,…  |  run.sh check DIR   (DIR from ../linear_bench.py fixture)
#        bench/engine/javacpp/run.sh layer THREADS "HIDDEN,MLP,HEADS,KV_HEADS[;…]" CONTEXT STEPS   (one decoder layer)
# Resolves the presets' jars with Maven (not Glimpse's classpath: a second libtorch next to DJL's aborts the JVM),
# compiles the one class with javac into target/, runs it.
set -euo pipefail
HERE="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
cd "$HERE"
mkdir -p target/classes
[[ -f target/cp.txt && target/cp.txt -nt pom.xml ]] \
  || mvn -q -B dependency:build-classpath -Dmdep.outputFile=target/cp.txt >&2
CP="$(cat target/cp.txt)"
# dev.glimpse.bench: the timing protocol and the fixture reader shared with the DJL benches (JDK only)
javac -d target/classes -cp "$CP" src/main/java/dev/glimpse/bench/javacpp/*.java \
  ../../../src/test/java/dev/glimpse/bench/CallTiming.java ../../../src/test/java/dev/glimpse/bench/LinearFixtureCase.java
if [[ "${1:-}" == layer ]]; then
  shift
  exec java -cp "target/classes:$CP" dev.glimpse.bench.javacpp.LayerBench "$@"
fi
exec java -cp "target/classes:$CP" dev.glimpse.bench.javacpp.LinearBench "$@"
