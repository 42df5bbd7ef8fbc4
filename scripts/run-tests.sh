#!/usr/bin/env bash
# Run every test file with node's test runner (through tsx, no build step). One file at a time: integration
# tests each start their own Temporal dev server and compute threads, and the machine has two cores.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mapfile -t files < <(find test -name '*.test.ts' | sort)
exec node --import tsx --test --test-concurrency=1 --test-timeout=900000 "${files[@]}"
