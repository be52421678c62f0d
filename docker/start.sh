#!/usr/bin/env bash
# The Glimpse image's one-click start: says which GPU it found, starts the web page (port 7860) and JupyterLab
# (port 8888) with one token for both, and prints both addresses once they answer. Stops both on Ctrl-C or
# `docker stop`, and stops the other when one of them exits.
#
# One copy of the model: the web page's server loads it, and every notebook kernel JupyterLab starts uses that
# server as its model (GLIMPSE_MODEL is the server's /v1 URL in JupyterLab's environment). GLM-4.6V-Flash takes
# about 21 GB, so a second copy in a kernel would not fit a 24 GB machine, and each open notebook would add one.
#
# Settings (docker run -e NAME=value):
#   GLIMPSE_MODEL     a model directory mounted into the container (-v /host/GLM-4.6V-Flash:/models/glm:ro
#                     -e GLIMPSE_MODEL=/models/glm) or a Hugging Face Hub id (zai-org/GLM-4.6V-Flash, downloaded
#                     into HF_HOME: mount a volume there to keep it); default: the bundled glimpse-tiny
#   GLIMPSE_MODEL_NAME
#                     the name the model is served under (default: glimpse-tiny, the directory's or the Hub id's name)
#   GLIMPSE_TOKEN     the JupyterLab token and the web page's API key (default: a new random one each start)
#   GLIMPSE_LAB_PORT, GLIMPSE_WEB_PORT
#                     the ports inside the container (default 8888 and 7860)
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
LAB_PORT="${GLIMPSE_LAB_PORT:-8888}"
WEB_PORT="${GLIMPSE_WEB_PORT:-7860}"

say() { echo "glimpse: $*"; }
die() { echo "glimpse: $*" >&2; exit 1; }

report_gpu() {
  local gpus=""
  if command -v nvidia-smi >/dev/null 2>&1; then
    gpus="$(nvidia-smi --query-gpu=name,memory.total --format=csv,noheader 2>/dev/null || true)"
  fi
  if [[ -n "$gpus" ]]; then
    while IFS= read -r gpu; do say "GPU found: $gpu"; done <<<"$gpus"
    if [[ "${GLIMPSE_GPU:-0}" == 1 ]]; then
      say "the model runs on the GPU"
    else
      say "this is the CPU image, so the model runs on the CPU; build docker/Dockerfile.gpu to use the GPU"
    fi
  elif [[ "${GLIMPSE_GPU:-0}" == 1 ]]; then
    say "no GPU visible in this container (start it with --gpus all and the NVIDIA Container Toolkit):" \
        "the model runs on the CPU, slowly for GLM-4.6V-Flash"
  else
    say "no GPU found: the model runs on the CPU"
  fi
}

# Checks GLIMPSE_MODEL before anything starts, so a missing mount is one clear line instead of two failing servers.
report_model() {
  local model="${GLIMPSE_MODEL:-}"
  if [[ -z "$model" ]]; then
    say "model: the bundled glimpse-tiny (for GLM-4.6V-Flash set GLIMPSE_MODEL to a mounted directory or a Hub id)"
  elif [[ -d "$model" ]]; then
    say "model: $model (a directory)"
  elif [[ "$model" == *://* ]]; then
    die "GLIMPSE_MODEL=$model is an endpoint URL, but the web page serves a model in this container;" \
        "give a mounted directory or a Hugging Face Hub id"
  elif [[ "$model" == /* || "$model" == .* ]]; then
    die "GLIMPSE_MODEL=$model is not a directory in the container; mount the model there:" \
        "docker run -v /path/on/the/host:$model:ro ..."
  else
    say "model: $model from the Hugging Face Hub, cached in ${HF_HOME:-~/.cache/huggingface}" \
        "(keep it across runs with -v glimpse-hub:${HF_HOME:-/home/glimpse/.cache/huggingface})"
    # fetched once here, with its progress, rather than by the web page and the first notebook at the same time
    "$ROOT/glimpse" pull "$model" >/dev/null || die "could not fetch $model from the Hugging Face Hub (see above)"
  fi
}

answers() { curl -fsS -o /dev/null --max-time 5 "$1" 2>/dev/null; }

# The served name for a model: the bundled glimpse-tiny, a directory's name, or a Hub id's name without its revision.
served_name() {
  local model="${1%/}"
  [[ -z "$model" ]] && { echo glimpse-tiny; return; }
  model="${model##*/}"
  echo "${model%@*}"
}

report_gpu
report_model

TOKEN="${GLIMPSE_TOKEN:-$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')}"
export JUPYTER_TOKEN="$TOKEN"
# both listen on every interface of the container, so the web page's API requires the key too
export GLIMPSE_API_KEY="${GLIMPSE_API_KEY:-$TOKEN}"

pids=()
stop() {
  trap - TERM INT
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
}
trap 'stop; exit 143' TERM
trap 'stop; exit 130' INT

# the name the server answers to and the kernels ask for, known before the model loads: kernels that start while
# it loads need no answer from the server to set up, only for their first question
SERVED="${GLIMPSE_MODEL_NAME:-$(served_name "${GLIMPSE_MODEL:-}")}"
"$ROOT/glimpse" web --no-browser --host 0.0.0.0 --port "$WEB_PORT" --served-model-name "$SERVED" >/dev/null &
pids+=($!)
# a cell asked while the web server still loads the model waits for it: GLM-4.6V-Flash on a CPU takes minutes
GLIMPSE_MODEL="http://127.0.0.1:$WEB_PORT/v1" GLIMPSE_MODEL_NAME="$SERVED" \
  GLIMPSE_STARTUP_WAIT="${GLIMPSE_STARTUP_WAIT:-1800}" "$ROOT/glimpse" lab --no-browser --ip 0.0.0.0 --port "$LAB_PORT" &
pids+=($!)
say "the notebooks ask the web page's server ($SERVED at http://127.0.0.1:$WEB_PORT/v1): one copy of the model" \
    "for both (%model DIR in a notebook loads a second one into that kernel)"

# Waits while both run: a large model can take minutes to load before the web page answers.
started=$SECONDS next_note=60
until answers "http://127.0.0.1:$LAB_PORT/api" && answers "http://127.0.0.1:$WEB_PORT/health"; do
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || { stop; die "a server exited while starting (see above)"; }
  done
  if (( SECONDS - started >= next_note )); then
    say "still starting ($((SECONDS - started)) s)…"
    next_note=$((next_note + 60))
  fi
  sleep 1
done

cat <<EOF

Glimpse is ready (in $((SECONDS - started)) s). Open, with the ports you published (-p 8888:8888 -p 7860:7860):
  JupyterLab: http://localhost:$LAB_PORT/lab?token=$TOKEN
  Web page:   http://localhost:$WEB_PORT/   (API key: $GLIMPSE_API_KEY)

EOF

status=0
wait -n "${pids[@]}" || status=$?
say "a server stopped (exit status $status); stopping the other"
stop
exit "$status"
