#!/usr/bin/env bash
# Synthesizes every example under examples/ with the stock cdk8s CLI, then
# validates every object it wrote strictly against its Kubernetes or CRD
# schema (scripts/validate-manifests.js).
#
#   bash scripts/synth-examples.sh            # all examples
#   bash scripts/synth-examples.sh cilium     # only examples/cilium
#
# Needs `npm ci` and a compiled library (`npm run compile`: the examples
# import the package `cozynet`, which resolves to this checkout's lib/).
set -euo pipefail
shopt -s nullglob
cd "$(dirname "$0")/.."
export CDK8S_CHECK_UPGRADE=false

if [ ! -f lib/index.js ]; then
  echo "synth-examples: lib/index.js is missing; run \`npm run compile\` first" >&2
  exit 1
fi
if [ ! -x node_modules/.bin/cdk8s ] || [ ! -x node_modules/.bin/tsx ]; then
  echo "synth-examples: cdk8s-cli or tsx is not installed; run \`npm ci\` first" >&2
  exit 1
fi

# The examples import the library by its package name, as a user would.
# Each example installs it with its own `npm install` (see its README); this
# script skips that for speed: node_modules/cozynet -> the repository root
# (`npm ci` prunes the link, so it is made here), and the root's cdk8s CLI and
# tsx. An example with its own node_modules uses those instead.
mkdir -p node_modules
ln -sfn .. node_modules/cozynet

if [ "$#" -gt 0 ]; then
  examples=()
  for name in "$@"; do examples+=("examples/${name%/}"); done
else
  examples=()
  for f in examples/*/cdk8s.yaml; do examples+=("$(dirname "$f")"); done
fi
if [ "${#examples[@]}" -eq 0 ]; then
  echo "synth-examples: no examples/*/cdk8s.yaml found" >&2
  exit 1
fi

now() { date +%s%N; }
seconds() { printf '%d.%01ds' $(($1 / 1000)) $((($1 % 1000) / 100)); }
total_start=$(now)

# 1. Synthesize each example with the stock CLI.
declare -A synth_ms
dists=()
for dir in "${examples[@]}"; do
  name=$(basename "$dir")
  if [ ! -f "$dir/cdk8s.yaml" ]; then
    echo "synth-examples: $dir/cdk8s.yaml not found" >&2
    exit 1
  fi
  start=$(now)
  # The CLI does not clear its output folder: stale files would be validated.
  rm -rf "$dir/dist"
  log=$(mktemp)
  if ! (cd "$dir" && PATH="$PWD/../../node_modules/.bin:$PATH" cdk8s synth --no-check-upgrade --output dist) >"$log" 2>&1; then
    grep -v '^npm warn' "$log" >&2 || true
    rm -f "$log"
    echo "synth-examples: $name: cdk8s synth failed" >&2
    exit 1
  fi
  rm -f "$log"
  synth_ms[$name]=$(( ($(now) - start) / 1000000 ))
  dists+=("$dir/dist")
done

# 2. Validate every object they wrote, in one process (schemas compiled once).
start=$(now)
if ! counts=$(node scripts/validate-manifests.js "${dists[@]}"); then
  echo "synth-examples: invalid objects (above)" >&2
  exit 1
fi
validate_ms=$(( ($(now) - start) / 1000000 ))

# 3. One line per example: files, objects, synthesis time.
status=0
while IFS= read -r line; do
  dir=${line%%/dist: *}
  name=$(basename "$dir")
  summary=${line#*/dist: }
  if [[ "$summary" == *" 0 objects" ]]; then
    echo "synth-examples: $name: synthesized no objects" >&2
    status=1
  fi
  printf '%-16s %s, valid; synth %s\n' "$name:" "$summary" "$(seconds "${synth_ms[$name]}")"
done <<<"$counts"
[ "$status" -eq 0 ] || exit 1
printf 'synth-examples: %d examples OK in %s (validation %s)\n' "${#examples[@]}" \
  "$(seconds $(( ($(now) - total_start) / 1000000 )))" "$(seconds "$validate_ms")"
