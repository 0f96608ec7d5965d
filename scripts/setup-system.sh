#!/usr/bin/env bash
# Installs the Debian packages the tests (and, with --bench, the benchmarks) need that npm does not bring.
# Idempotent: installs only what is missing. Tests that need a missing tool fail outside CI with this
# script's name, so a developer can run it too (as root).
#
#   bash scripts/setup-system.sh          # what `npm test` needs
#   bash scripts/setup-system.sh --bench  # also what `npm run bench` needs
set -euo pipefail

# "binary to look for" -> "Debian package providing it"
declare -A needed=(
  [/usr/bin/chromium]=chromium
  [/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf]=fonts-dejavu-core
  [/usr/sbin/nginx]=nginx
  [/usr/bin/caddy]=caddy
  [/usr/sbin/apache2]=apache2
  [/usr/sbin/haproxy]=haproxy
  [/usr/bin/redis-server]=redis-server
)
if [ "${1:-}" = "--bench" ]; then
  needed[/usr/bin/wrk]=wrk
fi

missing=()
for bin in "${!needed[@]}"; do
  [ -e "$bin" ] || missing+=("${needed[$bin]}")
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
# The web servers must not start as system services: the tests start their own instances on loopback.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && created_policy=1
fi
trap '[ "$created_policy" = 1 ] && rm -f "$policy"' EXIT
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup-system: done"
