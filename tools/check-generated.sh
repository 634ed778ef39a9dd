#!/usr/bin/env bash
# Fail when generated/ differs from what openapi.yaml generates. Never writes generated/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$root/tools/generate.sh" "$tmp/tgi_client"
if ! diff -r -x __pycache__ -x '*.pyc' "$tmp/tgi_client" "$root/generated/tgi_client" >"$tmp/diff.txt"; then
  echo "generated/ is out of date with openapi.yaml:" >&2
  head -n 40 "$tmp/diff.txt" >&2
  echo "Run 'make generate' and commit generated/." >&2
  exit 1
fi
echo "generated/ matches openapi.yaml"
