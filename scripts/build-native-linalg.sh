#!/usr/bin/env bash
# Build native/linalg: the float64 products and eigensolver of the fMRI stages on the system's BLAS/LAPACK
# (OpenBLAS), as numpy runs them (docs/compute.md §8). Without it the JavaScript kernels run (6.6–8.7 s per
# 1200 × 1200 eigenproblem instead of ~0.3 s).
#
#   scripts/build-native-linalg.sh [--install-openblas]
#
#   --install-openblas   apt-get install Debian's libopenblas-dev when the library is missing (root or sudo)
#
# Exit status: 0 built and loads; 3 a prerequisite is missing (compiler, OpenBLAS, Node headers), the JavaScript
# kernels are used; 1 the build or the load failed (its log is printed). Idempotent: a stamp of the sources' hash
# and the Node version makes a rerun instant.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC="$ROOT/native/linalg"
BINARY="$SRC/build/Release/pam_linalg.node"
STAMP="$SRC/build/.stamp"
say() { echo "[linalg] $*"; }

install_openblas=0
for arg in "$@"; do
  case "$arg" in
    --install-openblas) install_openblas=1 ;;
    *) echo "build-native-linalg.sh: unknown option '$arg'" >&2; exit 2 ;;
  esac
done

has_openblas() { [[ -n "$(ls /usr/lib/*/libopenblas.so /usr/lib/libopenblas.so /usr/local/lib/libopenblas.so 2>/dev/null)" ]]; }
if ! has_openblas && (( install_openblas )); then
  sudo_cmd=()
  [[ "$(id -u)" == 0 ]] || sudo_cmd=(sudo -n)
  say "apt-get install libopenblas-dev"
  { "${sudo_cmd[@]}" apt-get install -y libopenblas-dev || { "${sudo_cmd[@]}" apt-get update && "${sudo_cmd[@]}" apt-get install -y libopenblas-dev; }; } >/dev/null \
    || say "could not install libopenblas-dev (needs root or passwordless sudo)"
fi

verify_load() { node -e "const b = require(process.argv[1]); const c = new Float64Array(1); b.gemm(false, false, 1, 1, 1, Float64Array.of(2), Float64Array.of(3), c); if (c[0] !== 6) process.exit(1)" "$BINARY"; }
want="$(cat "$SRC/linalg.c" "$SRC/binding.gyp" | sha256sum | cut -d' ' -f1) $(node --version)"
if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$want" ]] && verify_load 2>/dev/null; then
  say "already built: $BINARY"
  exit 0
fi

missing=()
command -v cc >/dev/null || missing+=("a C compiler (cc)")
command -v make >/dev/null || missing+=("make")
command -v python3 >/dev/null || missing+=("python3 (node-gyp)")
has_openblas || missing+=("OpenBLAS (Debian: apt-get install libopenblas-dev, or run with --install-openblas)")
# shellcheck source=lib/node-gyp-env.sh
source "$ROOT/scripts/lib/node-gyp-env.sh"
if (( ${#missing[@]} > 0 )); then
  joined="$(printf '%s; ' "${missing[@]}")"
  say "not built, the fMRI stages use the JavaScript kernels: missing ${joined%; }"
  exit 3
fi

log="$SRC/build.log"
rm -f "$BINARY" "$STAMP"
if ! (cd "$SRC" && node "$NODE_GYP" rebuild --nodedir="$NODEDIR") >"$log" 2>&1 || ! verify_load; then
  cat "$log" >&2
  rm -f "$BINARY"
  say "build or load failed (log above, kept in $log)"
  exit 1
fi
echo "$want" > "$STAMP"
say "built $BINARY (OpenBLAS)"
