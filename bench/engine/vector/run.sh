#!/usr/bin/env bash
# Java Vector API leg of the bf16 decode comparison in ../README.md ("A Java Vector API GEMV").
# Usage: bench/engine/vector/run.sh [--java JAVA_HOME] time MODEL THREADS [NAME,…]
#        bench/engine/vector/run.sh [--java JAVA_HOME] step MODEL THREADS LAYERS
#        bench/engine/vector/run.sh [--java JAVA_HOME] check MODEL DIR [NAME,…]   (then check.py MODEL DIR)
# JDK only, compiled with javac into target/<feature version>/, never on Glimpse's classpath. The incubator API differs:
# Java 17 reads a MappedByteBuffer (src/jdk17), Java 19+ a MemorySegment (src/jdk25); the rest is shared (src/common,
# plus dev.glimpse.bench.CallTiming from the test sources).
set -euo pipefail
HERE="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
JAVA_HOME_ARG="${JAVA_HOME:-}"
if [[ "${1:-}" == --java ]]; then JAVA_HOME_ARG="$2"; shift 2; fi
BIN="${JAVA_HOME_ARG:+$JAVA_HOME_ARG/bin/}"
FEATURE="$("${BIN}java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
if (( FEATURE < 19 )); then TWIN=jdk17; else TWIN=jdk25; fi
OUT="$HERE/target/java$FEATURE"
mkdir -p "$OUT"
"${BIN}javac" -nowarn -d "$OUT" --add-modules jdk.incubator.vector \
  "$HERE"/src/common/dev/glimpse/bench/vector/*.java "$HERE"/src/$TWIN/dev/glimpse/bench/vector/*.java \
  "$HERE"/../../../src/test/java/dev/glimpse/bench/CallTiming.java 2>&1 | grep -v 'incubating\|^1 warning\|^warning' >&2 || true
DEFAULT=model.language_model.layers.0.self_attn.q_proj.weight,model.language_model.layers.0.self_attn.k_proj.weight,model.language_model.layers.0.mlp.gate_up_proj.weight,model.language_model.layers.0.mlp.down_proj.weight,lm_head.weight
ARGS=("$@")
if [[ "${ARGS[0]}" == time && ${#ARGS[@]} -eq 3 ]] || [[ "${ARGS[0]}" == check && ${#ARGS[@]} -eq 3 ]]; then ARGS+=("$DEFAULT"); fi
exec "${BIN}java" --add-modules jdk.incubator.vector -cp "$OUT" dev.glimpse.bench.vector.VectorGemvBench "${ARGS[@]}"
