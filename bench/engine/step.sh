#!/usr/bin/env bash
# A bf16 decoding step's matrix products: the engine's Java route (DecodeStepBench) against torch's F.linear
# (step_bench.py), on the same memory-mapped tensors of a real checkpoint, alternating processes. Run by hand (torch).
# Usage: bench/engine/step.sh MODEL [THREADS=2] [LAYERS=40] [ROUNDS=3] [STEPS=10]; JAVA_HOME picks the Java.
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
cd "$ROOT"
MODEL="${1:?usage: bench/engine/step.sh MODEL [THREADS] [LAYERS] [ROUNDS] [STEPS]}"
THREADS="${2:-2}" LAYERS="${3:-40}" ROUNDS="${4:-3}" STEPS="${5:-10}"
PY=""
for venv in "${GLIMPSE_MODELS_VENV:-}" "$ROOT/.venv-models" /work/main/.venv-models; do
  if [[ -n "$venv" && -x "$venv/bin/python" ]]; then PY="$venv/bin/python"; break; fi
done
[[ -n "$PY" ]] || { echo "bench/engine: no venv with torch (see bench/engine/README.md)" >&2; exit 1; }
CPFILE=target/bench.cp
if [[ ! -f "$CPFILE" || -n "$(find src pom.xml -newer "$CPFILE" -print -quit)" ]]; then
  mvn -q -B -o test-compile dependency:build-classpath -Dmdep.outputFile="$CPFILE" -Dmdep.includeScope=test >&2
  touch "$CPFILE"
fi
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
for ((r = 1; r <= ROUNDS; r++)); do
  "$JAVA" --add-modules jdk.incubator.vector -cp "target/test-classes:target/classes:$(cat "$CPFILE")" \
    dev.glimpse.engine.glm4v.DecodeStepBench "$MODEL" "$THREADS" "$LAYERS" "$STEPS" 2> >(grep -v '^WARNING: Using incubator' >&2)
  "$PY" bench/engine/step_bench.py "$MODEL" "$THREADS" "$LAYERS" "$STEPS"
done
