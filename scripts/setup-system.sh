#!/usr/bin/env bash
# Installs the system packages the test suite needs that npm does not bring (Debian).
# Idempotent: does nothing when everything is already there. Tests that need a missing tool fail with
# the command to run, so a developer outside CI can also just run this script.
set -euo pipefail

# Debian packages the tests use, by the command each one provides.
declare -A needed=(
)

missing=()
for cmd in "${!needed[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${needed[$cmd]}")
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "setup-system: nothing to install"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "setup-system: missing packages: ${missing[*]}; run as root: apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "setup-system: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
