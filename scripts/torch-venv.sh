#!/usr/bin/env bash
# Makes (when missing) the Python virtual environment of the PyTorch front end and
# prints its python's path as the last line of stdout; everything else goes to stderr.
#
# The venv holds exactly python/requirements-torch.lock (torch, torch-mlir, torchvision,
# numpy and their dependencies, all pinned with ==). It lives in a cache folder, not in
# the build folder, keyed by the lock file's hash:
#
#   ${CKPT_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ckpt}/torch-venv-<sha256[:12]>
#
# A venv is complete only when its marker file exists (written last, after the install,
# `pip check` and an import of torch and torch_mlir); a half-finished one is removed and
# made again. The wheels are kept in <cache>/torch-wheels, so that a venv is remade without
# the network; pip's own HTTP cache is not relied on (with this machine's index it stays
# empty). Concurrent runs wait on a lock file (flock).
#
# Environment: CKPT_CACHE_DIR (see above); CKPT_VENV_BASE_PYTHON, the interpreter that makes
# the venv (default /usr/bin/python3, Debian's 3.11, with python3-venv; else the python3 on
# PATH).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
lock="$root/python/requirements-torch.lock"
cache="${CKPT_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ckpt}"
hash="$(sha256sum "$lock" | cut -c1-12)"
venv="$cache/torch-venv-$hash"
marker="$venv/.ckpt-venv-complete"
wheels="$cache/torch-wheels"

if [ -f "$marker" ]; then
  echo "$venv/bin/python"
  exit 0
fi

mkdir -p "$cache"
exec 9>"$cache/torch-venv-$hash.lock"
flock 9
if [ -f "$marker" ]; then            # made by a concurrent run while we waited
  echo "$venv/bin/python"
  exit 0
fi

pick_python() {
  local candidates=("${CKPT_VENV_BASE_PYTHON:-}" /usr/bin/python3 "$(command -v python3 || true)")
  local py probe
  probe="$(mktemp -d)"
  for py in "${candidates[@]}"; do
    [ -n "$py" ] && [ -x "$py" ] || continue
    if "$py" -m venv "$probe/v" >/dev/null 2>&1; then
      rm -rf "$probe"
      echo "$py"
      return 0
    fi
    rm -rf "$probe/v"
  done
  rm -rf "$probe"
  return 1
}

if ! python="$(pick_python)"; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "ckpt: installing python3-venv" >&2
    apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends python3-venv >&2
  fi
  python="$(pick_python)" || { echo "ckpt: no python3 that can make a venv" >&2; exit 1; }
fi

echo "ckpt: making $venv with $python ($("$python" --version 2>&1))" >&2
rm -rf "$venv"
"$python" -m venv "$venv" >&2
pip=("$venv/bin/python" -m pip --disable-pip-version-check)
# Offline first, from the kept wheels; download what is missing and try again.
if ! "${pip[@]}" install -q --no-index --find-links "$wheels" --no-deps -r "$lock" >&2 2>/dev/null; then
  mkdir -p "$wheels"
  echo "ckpt: downloading the wheels of $lock into $wheels" >&2
  "${pip[@]}" download -q --no-deps --only-binary=:all: -d "$wheels" -r "$lock" >&2
  "${pip[@]}" install -q --no-index --find-links "$wheels" --no-deps -r "$lock" >&2
fi
"${pip[@]}" check >&2
"$venv/bin/python" -c "import torch, torch_mlir.fx, numpy" >&2
{ echo "lock $hash"; date -u +%FT%TZ; } > "$marker"
echo "$venv/bin/python"
