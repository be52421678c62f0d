#!/usr/bin/env bash
# Java GLM-4V engine vs transformers (PyTorch eager, float32) on CPU, same model, image, prompt and thread count,
# alternating processes; prints a Markdown table with Java/transformers ratios. Run by hand, never in CI (needs torch).
#
# Usage: bench/engine/run.sh [--threads N] [--rounds N] [--prefill-reps N] [--decode-reps N] [--model DIR]
#                            [--baseline GIT_REF]... [--dtype T] [--java-dtypes T,T...] [--json FILE]
#   --threads N        intra-op threads of both sides (default 2)
#   --rounds N         processes per side, alternating (default 3)
#   --prefill-reps N   timed prefills per process, after one warm-up (default 5)
#   --decode-reps N    timed 64-token decodes per process, after one warm-up (default 3)
#   --model DIR        use this GLM-4V model directory instead of the generated ~78 M-parameter bench model
#   --baseline REF     also run the engine as of REF (compiled into target/bench-baseline/), for before/after
#   --dtype T          float32 (default) or bfloat16: what transformers computes in, and the Java side by default
#   --java-dtypes T,.. run the (current) Java engine once per dtype, e.g. float32,bfloat16 (ratios in one run)
#   --json FILE        write every process's raw results
# Environment: GLIMPSE_MODELS_VENV (venv with torch, transformers, safetensors, pillow; default .venv-models at the
# repo root, then /work/main/.venv-models), GLIMPSE_BENCH_CACHE (default ~/.cache/glimpse/bench-engine), JAVA_HOME.
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
cd "$ROOT"
die() { echo "bench/engine: $*" >&2; exit 1; }

THREADS=2 ROUNDS=3 PREFILL_REPS=5 DECODE_REPS=3 DECODE_TOKENS=64 MODEL="" JSON="" BASELINES=() DTYPE=float32 JAVA_DTYPES=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --threads) THREADS="${2:?--threads needs a number}"; shift 2 ;;
    --rounds) ROUNDS="${2:?--rounds needs a number}"; shift 2 ;;
    --prefill-reps) PREFILL_REPS="${2:?--prefill-reps needs a number}"; shift 2 ;;
    --decode-reps) DECODE_REPS="${2:?--decode-reps needs a number}"; shift 2 ;;
    --model) MODEL="${2:?--model needs a directory}"; shift 2 ;;
    --baseline) BASELINES+=("${2:?--baseline needs a git ref}"); shift 2 ;;
    --json) JSON="${2:?--json needs a file}"; shift 2 ;;
    --dtype) DTYPE="${2:?--dtype needs float32 or bfloat16}"; shift 2 ;;
    --java-dtypes) JAVA_DTYPES="${2:?--java-dtypes needs a list}"; shift 2 ;;
    --decode-tokens) DECODE_TOKENS="${2:?--decode-tokens needs a number}"; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done

# The torch venv: transformers is the baseline, and make_fixtures.py writes the bench model.
PY=""
for venv in "${GLIMPSE_MODELS_VENV:-}" "$ROOT/.venv-models" /work/main/.venv-models; do
  if [[ -n "$venv" && -x "$venv/bin/python" ]]; then PY="$venv/bin/python"; break; fi
done
[[ -n "$PY" ]] || die "no Python venv with torch found: set GLIMPSE_MODELS_VENV, or create one with
  python3 -m venv .venv-models && .venv-models/bin/pip install -r models/requirements-fixtures.txt"
"$PY" -c 'import torch, transformers, safetensors, PIL' 2>/dev/null \
  || die "$PY lacks torch, transformers, safetensors or pillow: $(dirname "$PY")/pip install -r models/requirements-fixtures.txt"

CACHE="${GLIMPSE_BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/glimpse/bench-engine}"
mkdir -p "$CACHE"
if [[ -z "$MODEL" ]]; then
  MODEL="$CACHE/model"
  if [[ ! -f "$MODEL/.complete" || "$ROOT/models/make_fixtures.py" -nt "$MODEL/.complete" ]]; then
    echo "bench/engine: generating the bench model into $MODEL…" >&2
    "$PY" models/make_fixtures.py --bench "$MODEL" >&2
    touch "$MODEL/.complete"
  fi
fi
[[ -f "$MODEL/config.json" ]] || die "$MODEL is not a model directory (no config.json)"
IMAGE="$CACHE/image-448.png"
"$PY" bench/engine/bench_transformers.py image "$IMAGE"

# Java: the bench main class lives in the test sources (it uses a package-private seam of Glm4vModel).
CPFILE=target/bench.cp
if [[ ! -f "$CPFILE" || -n "$(find src pom.xml -newer "$CPFILE" -print -quit)" ]]; then
  echo "bench/engine: compiling (mvn test-compile)…" >&2
  mvn -q -B -o test-compile dependency:build-classpath -Dmdep.outputFile="$CPFILE" -Dmdep.includeScope=test >&2 \
    || die "the build failed; run 'mvn -o test-compile' in $ROOT to see why"
  touch "$CPFILE" # build-classpath leaves an unchanged file alone, which would rebuild every time
fi
CP="target/test-classes:target/classes:$(cat "$CPFILE")"
SIDES=()
for ref in "${BASELINES[@]}"; do
  sha=$(git rev-parse --verify --short "$ref^{commit}") || die "not a git commit: $ref"
  dir="target/bench-baseline/$sha"
  if [[ ! -d "$dir/target/classes" ]]; then
    echo "bench/engine: compiling the engine as of $ref ($sha) into $dir…" >&2
    rm -rf "$dir" && mkdir -p "$dir"
    git archive "$sha" pom.xml src/main | tar -x -C "$dir"
    (cd "$dir" && mvn -q -B -o compile >&2) || die "cannot compile $ref"
  fi
  # its main classes shadow the current ones; the bench class and the libraries stay
  SIDES+=(--java-cp "Java @$sha=$dir/target/classes:$CP")
done
if [[ -n "$JAVA_DTYPES" ]]; then
  IFS=, read -r -a dts <<< "$JAVA_DTYPES"
  for dt in "${dts[@]}"; do SIDES+=(--java-cp "Java $dt=$CP" --java-dtype "Java $dt=$dt"); done
else
  SIDES+=(--java-cp "Java=$CP")
fi

PROMPT="Describe the shapes in this picture, their colors, and any text written on it."  # 20 tokens with the bench tokenizer
exec "$PY" bench/engine/compare.py --model "$MODEL" --image "$IMAGE" --prompt "$PROMPT" --python "$PY" \
  --java "${JAVA_HOME:+$JAVA_HOME/bin/}java" --threads "$THREADS" --rounds "$ROUNDS" \
  --prefill-reps "$PREFILL_REPS" --decode-reps "$DECODE_REPS" --decode-tokens "$DECODE_TOKENS" --dtype "$DTYPE" \
  "${SIDES[@]}" \
  ${JSON:+--json "$JSON"}
