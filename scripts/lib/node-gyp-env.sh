# Sourced by the scripts that compile a Node addon (install-tfjs-node.sh, build-native-linalg.sh): sets NODEDIR and
# NODE_GYP, and appends to the caller's `missing` array what cannot be found. Nothing is downloaded: node-gyp gets
# --nodedir, so it never fetches headers.
#
# node-gyp needs include/node/node_api.h and common.gypi. Installers of Node (official tarballs, nodesource, nvm)
# put them under the prefix holding bin/node.
NODEDIR="${npm_config_nodedir:-$(node -p 'require("path").resolve(process.execPath, "..", "..")')}"
NODEDIR="$(cd "$NODEDIR" 2>/dev/null && pwd || echo "$NODEDIR")"
if [[ ! -f "$NODEDIR/include/node/node_api.h" || ! -f "$NODEDIR/include/node/common.gypi" ]]; then
  missing+=("Node headers ($NODEDIR/include/node/node_api.h and common.gypi; set npm_config_nodedir to a Node install prefix or an unpacked node-v<version>-headers tarball)")
fi
# npm's bundled node-gyp, so nothing has to be installed for it.
npm_cli="$(readlink -f "$(command -v npm)")"
NODE_GYP="$(dirname "$(dirname "$npm_cli")")/node_modules/node-gyp/bin/node-gyp.js"
if [[ ! -f "$NODE_GYP" ]]; then
  NODE_GYP="$(npm prefix -g)/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js"
  [[ -f "$NODE_GYP" ]] || missing+=("node-gyp (bundled with npm; not found next to $npm_cli)")
fi
