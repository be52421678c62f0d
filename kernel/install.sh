#!/usr/bin/env bash
# Installs the "Java (Glimpse)" kernelspec: kernel/install.sh <launcher> <kernelspec-dir>
# Called by `glimpse kernel install`; writes kernel.json with the launcher's absolute path, and the logos.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
launcher="$(readlink -f "${1:?usage: install.sh <launcher> <kernelspec-dir>}")"
target="${2:?usage: install.sh <launcher> <kernelspec-dir>}"
[[ -x "$launcher" ]] || { echo "install.sh: $launcher is not an executable launcher" >&2; exit 1; }
mkdir -p "$target"
# JSON-escape the path (backslashes and quotes) before putting it into kernel.json.
escaped="$(printf '%s' "$launcher" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/[&|]/\\&/g')"
sed "s|@LAUNCHER@|$escaped|" "$here/kernel.json.in" > "$target/kernel.json"
cp "$here/logo-32x32.png" "$here/logo-64x64.png" "$target/"
echo "Installed kernelspec \"Java (Glimpse)\" in $target" >&2
