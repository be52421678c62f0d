#!/usr/bin/env bash
# docker/test.sh [--clean]: builds docker/Dockerfile and runs the image on a machine with neither Docker nor Docker
# Hub, as root. A Debian bookworm base made by mmdebstrap from Debian's packages is loaded with podman; buildah builds
# the Dockerfile on it (docker format: the OCI format drops the HEALTHCHECK) and runs the image's start.sh with
# `buildah run --isolation chroot`, on the host's network (`podman run` needs setrlimit, which sandboxes may refuse).
# Then it checks the image's settings, JupyterLab's /api/status with the token, the HEALTHCHECK command, and asks
# the web page's server (its OpenAI API) a question about a bundled image. It stops everything it started and
# removes its container; the images stay as the next run's build cache (--clean removes them too).
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
BASE_IMAGE=localhost/glimpse-base:bookworm
IMAGE=localhost/glimpse:test
WORK="$(mktemp -d /tmp/glimpse-docker-test.XXXXXX)"
clean=0
[[ "${1:-}" == --clean ]] && clean=1

step() { printf 'docker/test.sh [%4d s] %s\n' "$SECONDS" "$*"; }
fail() { printf 'docker/test.sh [%4d s] FAILED: %s\n' "$SECONDS" "$*" >&2; exit 1; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

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

step "building docker/Dockerfile on $BASE_IMAGE (log: $WORK/build.log)"
build_started=$SECONDS
buildah bud --isolation chroot --format docker --layers -f "$ROOT/docker/Dockerfile" \
  --build-arg BASE="$BASE_IMAGE" --build-arg EXTRA_CA_CERTS="$certs" -t "$IMAGE" "$ROOT" >"$WORK/build.log" 2>&1 \
  || { tail -40 "$WORK/build.log"; fail "the build failed (log: $WORK/build.log)"; }
build_seconds=$((SECONDS - build_started))
step "built $IMAGE in $build_seconds s, $(podman image inspect --format '{{.Size}}' "$IMAGE" | numfmt --to=si)B"

buildah inspect --type image "$IMAGE" | python3 -c 'import json, sys; json.dump(json.load(sys.stdin)["Docker"]["config"], sys.stdout)' >"$WORK/config.json"
python3 - "$WORK/config.json" <<'EOF' || fail "the image's settings are not as docker/Dockerfile says"
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
step "image settings: user glimpse, ports 8888 and 7860, a HEALTHCHECK, CMD docker/start.sh"

lab_port="$(free_port)"
web_port="$(free_port)"
token="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
ports=(--env "GLIMPSE_LAB_PORT=$lab_port" --env "GLIMPSE_WEB_PORT=$web_port")
ctr="$(buildah from --quiet --name "glimpse-test-$$" "$IMAGE")"

run_pid="" run_root=""
# the directory that buildah run made the container's root: what its processes see as /
container_root() {
  local pid root
  for pid in $(pgrep -g "$run_pid"); do
    root="$(readlink "/proc/$pid/root" 2>/dev/null)" || continue
    [[ "$root" != / ]] && { echo "$root"; return; }
  done
}
cleanup() {
  local status=$?
  set +e
  if [[ -n "$run_pid" ]] && kill -0 "$run_pid" 2>/dev/null; then
    kill -TERM -- "-$run_pid" 2>/dev/null
    for _ in $(seq 30); do kill -0 "$run_pid" 2>/dev/null || break; sleep 1; done
  fi
  # whatever still runs in the container's root directory is ours, also in another process group: stop it
  local proc left=()
  for proc in /proc/[0-9]*; do
    [[ -n "$run_root" && "$(readlink "$proc/root" 2>/dev/null)" == "$run_root" ]] && left+=("${proc#/proc/}")
  done
  if (( ${#left[@]} )); then
    echo "docker/test.sh: killing ${#left[@]} process(es) left in the container: ${left[*]}" >&2
    kill -KILL "${left[@]}" 2>/dev/null
  fi
  buildah rm "$ctr" >/dev/null
  (( clean )) && buildah rmi "$IMAGE" "$BASE_IMAGE" >/dev/null
  exit "$status"
}
trap cleanup EXIT

refusal="$(buildah run --isolation chroot --env GLIMPSE_MODEL=/models/not-mounted "$ctr" \
  -- /opt/glimpse/docker/start.sh 2>&1)" && fail "start.sh started with a model directory that is not there"
grep -q "is not a directory in the container; mount the model there" <<<"$refusal" \
  || fail "start.sh did not explain the missing model directory: $refusal"
step "start.sh refuses a GLIMPSE_MODEL directory that is not mounted, naming the fix"

step "running start.sh in the image (JupyterLab on port $lab_port, web page on $web_port; log: $WORK/run.log)"
run_started=$SECONDS
setsid buildah run --isolation chroot "${ports[@]}" --env "GLIMPSE_TOKEN=$token" "$ctr" \
  -- /opt/glimpse/docker/start.sh >"$WORK/run.log" 2>&1 &
run_pid=$!
until grep -q "Glimpse is ready" "$WORK/run.log"; do
  kill -0 "$run_pid" 2>/dev/null || { cat "$WORK/run.log"; fail "start.sh exited before it was ready"; }
  (( SECONDS - run_started < 600 )) || { cat "$WORK/run.log"; fail "start.sh not ready after 600 s"; }
  sleep 1
done
run_root="$(container_root)"
step "start.sh ready in $((SECONDS - run_started)) s; it said:"
sed -n '/^glimpse: \(GPU\|no GPU\|this is\|the model\|model:\)/p; /Glimpse is ready/,/Web page/p' "$WORK/run.log" \
  | sed 's/^/    /'

status_code="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$lab_port/api/status")"
[[ "$status_code" == 403 ]] || fail "JupyterLab's /api/status answered $status_code without the token, not 403"
curl -fsS -H "Authorization: token $token" "http://127.0.0.1:$lab_port/api/status" >"$WORK/status.json" \
  || fail "JupyterLab's /api/status did not answer with the token"
grep -q '"started"' "$WORK/status.json" || fail "unexpected /api/status: $(cat "$WORK/status.json")"
step "JupyterLab /api/status with the token: $(cat "$WORK/status.json") (403 without it)"

healthcheck="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["Healthcheck"]["Test"][1])' \
  "$WORK/config.json")"
buildah run --isolation chroot "${ports[@]}" "$ctr" -- sh -c "$healthcheck" \
  || fail "the HEALTHCHECK command failed in the running container: $healthcheck"
step "HEALTHCHECK command passes in the running container"

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

total_started=$SECONDS
kill -TERM -- "-$run_pid"
for _ in $(seq 30); do kill -0 "$run_pid" 2>/dev/null || break; sleep 1; done
kill -0 "$run_pid" 2>/dev/null && fail "start.sh did not stop within 30 s of SIGTERM"
for proc in /proc/[0-9]*; do
  [[ "$(readlink "$proc/root" 2>/dev/null)" == "$run_root" ]] \
    && fail "process ${proc#/proc/} ($(cat "$proc/comm" 2>/dev/null)) still runs in the container after the stop"
done
step "stopped start.sh in $((SECONDS - total_started)) s; passed (build $build_seconds s)"
