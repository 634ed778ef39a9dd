#!/usr/bin/env bash
# Generate the low-level client from openapi.yaml into DIR (default generated/tgi_client).
# Used by `make generate` (writes generated/) and `make check-generated` (writes a temp dir and diffs).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/generated/tgi_client}
export PATH="$root/.venv/bin:$PATH"
rm -rf "$out"
mkdir -p "$(dirname "$out")"
openapi-python-client generate \
  --path "$root/openapi.yaml" \
  --config "$root/tools/openapi-generator.yaml" \
  --meta none \
  --custom-template-path "$root/tools/templates" \
  --output-path "$out" \
  --fail-on-warning >/dev/null
touch "$out/py.typed"
