#!/usr/bin/env bash
# Installs, idempotently, the Debian packages Herald's tests need beyond the .NET SDK.
set -euo pipefail

# Grows as tests come to need real third-party tools (kcat, chromium, redis-server).
packages=()

missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing test dependencies: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi
