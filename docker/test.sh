#!/usr/bin/env bash
# docker/test.sh [--gpu] [--clean]: builds docker/Dockerfile and runs the image on a machine with neither Docker nor
# Docker Hub, as root. A Debian bookworm base made by mmdebstrap from Debian's packages is loaded with podman; buildah
# builds the Dockerfile on it (docker format: the OCI format drops the HEALTHCHECK) and runs the image's start.sh with
# `buildah run --isolation chroot`, on the host's network (`podman run` needs setrlimit, which sandboxes may refuse).
# Then it checks the image's settings, that start.sh refuses a model directory that is not mounted, JupyterLab's
# /api/status with the token, the HEALTHCHECK command, asks the web page's server (its OpenAI API) a question
# about a bundled image, and runs ask, askAll and evaluate in a notebook kernel of the container's JupyterLab, which
# must answer through that same server (one copy of the model in the container). It stops everything it started and removes its containers; the images stay as the next
# run's build cache (--clean removes them too).
#
# --gpu also builds and runs docker/Dockerfile.gpu, on the same Debian base instead of CUDA's (Docker Hub), with a
# stand-in for the CUDA libtorch download (download.pytorch.org): the CPU build of the same libtorch 2.7.1, taken
# from the CPU image's jar and served on 127.0.0.1. That runs the GPU image's own native-library path (the launcher
# without the bundled libtorch, DJL on PYTORCH_LIBRARY_PATH) on the CPU; CUDA itself is not tested.
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
BASE_IMAGE=localhost/glimpse-base:bookworm
IMAGE=localhost/glimpse:test
GPU_IMAGE=localhost/glimpse-gpu:test
WORK="$(mktemp -d /tmp/glimpse-docker-test.XXXXXX)"
clean=0 gpu=0
for arg in "$@"; do
  case "$arg" in
    --clean) clean=1 ;;
    --gpu) gpu=1 ;;
    *) echo "usage: docker/test.sh [--gpu] [--clean]" >&2; exit 2 ;;
  esac
done

step() { printf 'docker/test.sh [%4d s] %s\n' "$SECONDS" "$*"; }
fail() { printf 'docker/test.sh [%4d s] FAILED: %s\n' "$SECONDS" "$*" >&2; exit 1; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# What this run started, for cleanup: the running start.sh (a process group), the container's root directory as
# its processes see it, the containers, and the stand-in file server.
run_pid="" run_root="" containers=() server_pid=""
cleanup() {
  local status=$?
  set +e
  stop_start_sh
  local proc left=()
  for proc in /proc/[0-9]*; do
    [[ -n "$run_root" && "$(readlink "$proc/root" 2>/dev/null)" == "$run_root" ]] && left+=("${proc#/proc/}")
  done
  if (( ${#left[@]} )); then
    echo "docker/test.sh: killing ${#left[@]} process(es) left in the container: ${left[*]}" >&2
    kill -KILL "${left[@]}" 2>/dev/null
  fi
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null
  (( ${#containers[@]} )) && buildah rm "${containers[@]}" >/dev/null
  (( clean )) && buildah rmi "$IMAGE" "$GPU_IMAGE" "$BASE_IMAGE" >/dev/null 2>&1
  rm -rf "$WORK/libtorch"
  exit "$status"
}
trap cleanup EXIT

stop_start_sh() {
  [[ -n "$run_pid" ]] && kill -0 "$run_pid" 2>/dev/null || return 0
  kill -TERM -- "-$run_pid" 2>/dev/null
  for _ in $(seq 30); do kill -0 "$run_pid" 2>/dev/null || return 0; sleep 1; done
  return 1
}

# the directory that buildah run made the container's root: what its processes see as /
container_root() {
  local pid root
  for pid in $(pgrep -g "$run_pid"); do
    root="$(readlink "/proc/$pid/root" 2>/dev/null)" || continue
    [[ "$root" != / ]] && { echo "$root"; return; }
  done
}

# build_image DOCKERFILE IMAGE [buildah options]
build_image() {
  local file="$1" image="$2" log="$WORK/build-$(basename "$1").log" started=$SECONDS
  shift 2
  step "building $file on $BASE_IMAGE (log: $log)"
  buildah bud --isolation chroot --format docker --layers -f "$ROOT/$file" --build-arg BASE="$BASE_IMAGE" \
    --build-arg EXTRA_CA_CERTS="$certs" "$@" -t "$image" "$ROOT" >"$log" 2>&1 \
    || { tail -40 "$log"; fail "the build of $file failed (log: $log)"; }
  step "built $image in $((SECONDS - started)) s, $(podman image inspect --format '{{.Size}}' "$image" \
    | numfmt --to=si)B"
}

# check_settings IMAGE: what docker/Dockerfile promises about the user, the ports, the HEALTHCHECK and the command
check_settings() {
  buildah inspect --type image "$1" \
    | python3 -c 'import json, sys; json.dump(json.load(sys.stdin)["Docker"]["config"], sys.stdout)' \
    >"$WORK/config.json"
  python3 - "$WORK/config.json" <<'EOF' || fail "the settings of $1 are not as its Dockerfile says"
import json, sys
config = json.load(open(sys.argv[1]))
problems = []
if config.get("User") != "glimpse":
    problems.append(f"runs as {config.get('User')!r}, not the non-root user glimpse")
for port in ("8888/tcp", "7860/tcp"):
    if port not in (config.get("ExposedPorts") or {}):
        problems.append(f"does not expose {port}")
if not (config.get("Healthcheck") or {}).get("Test"):
    problems.append("has no HEALTHCHECK")
if config.get("Cmd") != ["/opt/glimpse/docker/start.sh"]:
    problems.append(f"starts {config.get('Cmd')}, not docker/start.sh")
for p in problems:
    print("  image " + p, file=sys.stderr)
sys.exit(1 if problems else 0)
EOF
  step "settings of $1: user glimpse, ports 8888 and 7860, a HEALTHCHECK, CMD docker/start.sh"
}

# run_image IMAGE: start.sh in a container of the image, checked from outside, then stopped
run_image() {
  local image="$1" ctr lab_port web_port token run_started log="$WORK/run-${1##*/}.log"
  lab_port="$(free_port)"
  web_port="$(free_port)"
  token="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
  local ports=(--env "GLIMPSE_LAB_PORT=$lab_port" --env "GLIMPSE_WEB_PORT=$web_port")
  ctr="$(buildah from --quiet --name "glimpse-test-$$-${#containers[@]}" "$image")"
  containers+=("$ctr")

  local refusal
  refusal="$(buildah run --isolation chroot --env GLIMPSE_MODEL=/models/not-mounted "$ctr" \
    -- /opt/glimpse/docker/start.sh 2>&1)" && fail "start.sh started with a model directory that is not there"
  grep -q "is not a directory in the container; mount the model there" <<<"$refusal" \
    || fail "start.sh did not explain the missing model directory: $refusal"
  step "start.sh refuses a GLIMPSE_MODEL directory that is not mounted, naming the fix"

  step "running start.sh in $image (JupyterLab on port $lab_port, web page on $web_port; log: $log)"
  run_started=$SECONDS
  setsid buildah run --isolation chroot "${ports[@]}" --env "GLIMPSE_TOKEN=$token" "$ctr" \
    -- /opt/glimpse/docker/start.sh >"$log" 2>&1 &
  run_pid=$!
  until grep -q "Glimpse is ready" "$log"; do
    kill -0 "$run_pid" 2>/dev/null || { cat "$log"; fail "start.sh exited before it was ready"; }
    (( SECONDS - run_started < 600 )) || { cat "$log"; fail "start.sh not ready after 600 s"; }
    sleep 1
  done
  run_root="$(container_root)"
  step "start.sh ready in $((SECONDS - run_started)) s; it said:"
  sed -n '/^glimpse: \(GPU\|no GPU\|this is\|the model\|model:\|the notebooks\)/p; /Glimpse is ready/,/Web page/p' "$log" \
    | sed 's/^/    /'

  local status_code
  status_code="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$lab_port/api/status")"
  [[ "$status_code" == 403 ]] || fail "JupyterLab's /api/status answered $status_code without the token, not 403"
  curl -fsS -H "Authorization: token $token" "http://127.0.0.1:$lab_port/api/status" >"$WORK/status.json" \
    || fail "JupyterLab's /api/status did not answer with the token"
  grep -q '"started"' "$WORK/status.json" || fail "unexpected /api/status: $(cat "$WORK/status.json")"
  step "JupyterLab /api/status with the token: $(cat "$WORK/status.json") (403 without it)"

  local healthcheck
  healthcheck="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["Healthcheck"]["Test"][1])' \
    "$WORK/config.json")"
  buildah run --isolation chroot "${ports[@]}" "$ctr" -- sh -c "$healthcheck" \
    || fail "the HEALTHCHECK command failed in the running container: $healthcheck"
  step "HEALTHCHECK command passes in the running container"

  curl -fsS "http://127.0.0.1:$web_port/" | grep -qi "<html" || fail "no web page at http://127.0.0.1:$web_port/"
  step "the web page answers at / of port $web_port"

  python3 - "http://127.0.0.1:$web_port" "$token" "$ROOT/notebooks/data/scenes" <<'EOF' \
    || fail "the web page's server did not answer the question"
import base64, json, sys, time, urllib.error, urllib.request
base, key, scenes = sys.argv[1:]
item = json.loads(open(f"{scenes}/eval.jsonl").readline())
image = base64.b64encode(open(f"{scenes}/{item['image']}", "rb").read()).decode()
body = json.dumps({"model": "glimpse-tiny", "max_tokens": 200, "messages": [{"role": "user", "content": [
    {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{image}"}},
    {"type": "text", "text": item["question"]}]}]}).encode()

def post(headers):
    request = urllib.request.Request(f"{base}/v1/chat/completions", data=body, method="POST",
                                     headers={"Content-Type": "application/json", **headers})
    return urllib.request.urlopen(request, timeout=120)

try:
    post({})
    sys.exit("  the server answered without the API key")
except urllib.error.HTTPError as e:
    if e.code != 401:
        sys.exit(f"  without the API key: HTTP {e.code}, not 401")
started = time.monotonic()
reply = json.load(post({"Authorization": f"Bearer {key}"}))
seconds = time.monotonic() - started
answer = reply["choices"][0]["message"]["content"].strip()
if not answer:
    sys.exit(f"  an empty answer: {reply}")
print(f"    asked {item['image']}: {item['question']!r}")
print(f"    answer in {seconds:.2f} s: {answer!r} (the scene's answer: {item['answer']!r}; 401 without the key)")
EOF

  check_one_model "$ctr" "$lab_port" "$web_port" "$token" "$log"

  local stop_started=$SECONDS proc
  stop_start_sh || fail "start.sh did not stop within 30 s of SIGTERM"
  for proc in /proc/[0-9]*; do
    [[ "$(readlink "$proc/root" 2>/dev/null)" == "$run_root" ]] \
      && fail "process ${proc#/proc/} ($(cat "$proc/comm" 2>/dev/null)) still runs in the container after the stop"
  done
  run_pid="" run_root=""
  step "stopped start.sh and everything it started in $((SECONDS - stop_started)) s"
}

# check_one_model CONTAINER LAB_PORT WEB_PORT TOKEN LOG: a notebook kernel that JupyterLab starts (as the browser
# does: REST API and websocket, run inside the container by src/test/python/lab_cells.py with the image's venv) asks,
# askAll's and evaluates through the web page's server; the server is the only process that loaded the model.
check_one_model() {
  local ctr="$1" lab_port="$2" web_port="$3" token="$4" log="$5" before after started=$SECONDS
  before="$(grep -cE '^glimpse serve: \S+ 200\b' "$log" || true)"
  buildah run --isolation chroot "$ctr" -- /opt/glimpse/.venv/bin/python - "http://127.0.0.1:$lab_port" "$token" \
    '%model' \
    'ask(image("data/scenes/images/scene-00010.png"), "What is in this image?").text()' \
    'askAll(List.of("data/scenes/images/scene-00010.png", "data/scenes/images/scene-00011.png"), "How many shapes are there?", java.nio.file.Path.of("/tmp/answers.csv"), options().noThink().maxTokens(8)).rowCount()' \
    'var card = evaluate("data/scenes/eval.jsonl", options().noThink().maxTokens(32)); var all = card.report().overall(); all.items() + " questions, " + all.correct() + " right, " + all.errors() + " errors"' \
    <"$ROOT/src/test/python/lab_cells.py" >"$WORK/cells.json" 2>"$WORK/cells.log" \
    || { cat "$WORK/cells.log"; fail "could not run cells in a notebook kernel of the container's JupyterLab"; }
  after="$(grep -cE '^glimpse serve: \S+ 200\b' "$log" || true)"
  python3 - "$WORK/cells.json" "$web_port" "$((after - before))" "$(grep -c 'glimpse web: loading' "$log")" <<'EOF' \
    || fail "the notebook kernel did not answer through the web page's server (cells: $WORK/cells.json, log: $log)"
import json, sys
cells, web_port, served, loads = json.load(open(sys.argv[1])), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
out = [cells[0]["output"].strip()] + [c["result"].strip().strip('"') for c in cells[1:]]
problems = [f"cell {k + 1} failed: {c['output']}" for k, c in enumerate(cells) if c["status"] != "ok"]
if f"http://127.0.0.1:{web_port}/v1" not in out[0] or "remote" not in out[0]:
    problems.append(f"%model does not show the web page's server as the kernel's model: {out[0]}")
if not out[1]:
    problems.append("ask(..) gave an empty answer")
if out[2] != "2":
    problems.append(f"askAll(..) of 2 images gave {out[2]} rows")
if not out[3].startswith("86 questions") or not out[3].endswith(" 0 errors"):
    problems.append(f"evaluate(..): {out[3]}")
if served < 1 + 2 + 86:
    problems.append(f"the server logged {served} answers, not the kernel's 89 questions")
if loads != 1:
    problems.append(f"the container's log shows {loads} model loads, not 1")
for p in problems:
    print("  " + p, file=sys.stderr)
if not problems:
    rows = [" ".join(line.split()) for line in out[0].splitlines()
            if line.startswith(("source", "device", "memory"))]
    print("    the kernel's %model: " + "; ".join(rows))
    print(f"    ask: {out[1]} · askAll: {out[2]} rows · evaluate: {out[3]}")
    print(f"    the server answered all {served} of the kernel's questions; model loads in the log: {loads}")
sys.exit(1 if problems else 0)
EOF
  step "a notebook kernel asked, askAll'd and evaluated through the web page's server in $((SECONDS - started)) s:" \
    "one model in the container"
}

# serve_libtorch_standin: the CPU libtorch 2.7.1 from the CPU image's jar, zipped as libtorch/lib/ like the CUDA
# download, on a free port of 127.0.0.1 (the build's RUN steps share the host's network), at $standin_url
standin_url=""
serve_libtorch_standin() {
  local ctr mnt port
  ctr="$(buildah from --quiet --name "glimpse-test-$$-libtorch" "$IMAGE")"
  containers+=("$ctr")
  mnt="$(buildah mount "$ctr")"
  mkdir -p "$WORK/libtorch"
  python3 - "$mnt"/opt/glimpse/target/lib/pytorch-native-cpu-*.jar "$WORK/libtorch/libtorch.zip" <<'EOF'
import posixpath, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as jar, zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_STORED) as out:
    for name in jar.namelist():
        if name.startswith("pytorch/cpu/linux-x86_64/") and not name.endswith("/"):
            entry = zipfile.ZipInfo("libtorch/lib/" + posixpath.basename(name), date_time=(2025, 8, 12, 0, 0, 0))
            entry.external_attr = 0o100644 << 16  # a regular file, rw-r--r--, as in PyTorch's own zip
            out.writestr(entry, jar.read(name))
EOF
  buildah umount "$ctr" >/dev/null
  port="$(free_port)"
  python3 -m http.server --bind 127.0.0.1 --directory "$WORK/libtorch" "$port" >"$WORK/standin.log" 2>&1 &
  server_pid=$!
  standin_url="http://127.0.0.1:$port/libtorch.zip"
}

[[ "$(id -u)" == 0 ]] || fail "run as root: buildah and podman are used rootful here"
missing=()
for tool in mmdebstrap podman buildah; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if (( ${#missing[@]} )); then
  step "installing ${missing[*]} with apt"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
fi

if ! podman image exists "$BASE_IMAGE"; then
  step "making the base image $BASE_IMAGE with mmdebstrap (Debian bookworm, minbase)"
  mmdebstrap --quiet --variant=minbase bookworm "$WORK/base.tar"
  podman import --quiet "$WORK/base.tar" "$BASE_IMAGE" >/dev/null
  rm "$WORK/base.tar"
fi

# This machine reaches Maven Central and PyPI through a TLS-inspecting proxy: its certificates go into the build.
certs=""
for crt in /usr/local/share/ca-certificates/*.crt; do
  [[ -f "$crt" ]] && certs+="$(cat "$crt")"$'\n'
done

build_image docker/Dockerfile "$IMAGE"
check_settings "$IMAGE"
run_image "$IMAGE"

if (( gpu )); then
  serve_libtorch_standin
  step "the CUDA libtorch's stand-in: the CPU build of libtorch 2.7.1 at $standin_url"
  build_image docker/Dockerfile.gpu "$GPU_IMAGE" --build-arg BUILD_BASE="$BASE_IMAGE" \
    --build-arg LIBTORCH_URL="$standin_url" --build-arg LIBTORCH_FLAVOR=cpu
  check_settings "$GPU_IMAGE"
  run_image "$GPU_IMAGE"
fi
step "passed"
