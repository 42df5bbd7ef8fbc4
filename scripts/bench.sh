#!/usr/bin/env bash
# `npm run bench -- <name>`: run bench/<name>.ts, which times our code and its reference side by side in the same
# run and prints `ratio: <our speed / reference speed>` as its last line. Installs the reference Python (with
# torch for the PyTorch races) when missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
name="${1:-}"
if [[ -z "$name" || ! -f "bench/$name.ts" ]]; then
  echo "usage: npm run bench -- <name>   (available: $(ls bench/*.ts 2>/dev/null | xargs -n1 basename | sed 's/\.ts$//' | tr '\n' ' '))" >&2
  exit 2
fi
case "$name" in
  pam) extras=(--with-torch) ;;          # PyTorch CPU in .tools/venv-ref
  inversion) extras=(--with-vision) ;;   # torch + torchvision + lpips in .tools/vision-venv
  fmri) extras=(--with-openblas) ;;      # the system's BLAS/LAPACK for our side, as numpy has it
  stylegan-xl) extras=(--with-vision) ;; # torch in .tools/vision-venv, + what the official code imports (below)
  *) extras=() ;;
esac
bash scripts/setup.sh --with-python "${extras[@]}" >&2
if [[ "$name" == stylegan-xl ]] && ! .tools/vision-venv/bin/python -c 'import scipy, click, requests' 2>/dev/null; then
  .tools/vision-venv/bin/pip install --quiet -r scripts/fixtures/stylegan-xl/requirements.txt >&2
fi
exec node --import tsx "bench/$name.ts" "${@:2}"
