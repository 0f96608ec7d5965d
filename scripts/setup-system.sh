#!/usr/bin/env bash
# Installs the Debian packages the tests (and, with --bench, the benchmarks and the soak) need that npm does not bring.
#
#   bash scripts/setup-system.sh            # what `npm test` needs; package.json's "pretest" runs it
#   bash scripts/setup-system.sh --bench    # also what `npm run bench` and `npm run soak` need (wrk)
#   bash scripts/setup-system.sh --dry-run  # say what is missing and what would be run; change nothing
#
# It runs before every `npm test`, so when everything is there it only tests for files (no apt, no dpkg: a few
# milliseconds). As root it installs what is missing after one `apt-get update`. As another user it changes
# nothing: it prints the one command to run as root and exits 1, before any test starts.
#
# SETUP_SYSTEM_ROOT (for its own test) prefixes every file it looks for; PATH is searched as well, for the
# programs the tests also look for on PATH.
set -euo pipefail

bench=0
dry_run=0
for arg in "$@"; do
  case "$arg" in
    --bench) bench=1 ;;
    --dry-run) dry_run=1 ;;
    -h | --help)
      sed -n '2,7s/^# \{0,1\}//p' "$0"
      exit 0
      ;;
    *)
      echo "setup-system: unknown option '$arg' (use --bench, --dry-run)" >&2
      exit 2
      ;;
  esac
done

root="${SETUP_SYSTEM_ROOT:-}"

# One row per need: Debian package, the file the tests use, and the program name they also accept on PATH ("-": the
# file only). Keep in step with the tests: test/web/chromium.ts, test/proxy-config/server-process.ts (and
# src/proxy-config/commands.ts), test/cache/redis-server.ts, test/deploy/, test/client/signedjson.ts,
# test/monitor/promtool.ts.
needs=(
  "chromium /usr/bin/chromium -"                                        # test/web: the tester page in a browser
  "fonts-dejavu-core /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf -" # without a font, screenshots show boxes
  "fonts-noto-cjk /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc -" # test/web: the zh-CN page in CJK glyphs
  "nginx /usr/sbin/nginx nginx"                                         # test/proxy-config: the snippets, run for real
  "caddy /usr/bin/caddy caddy"
  "apache2 /usr/sbin/apache2 apache2"
  "haproxy /usr/sbin/haproxy haproxy"
  "redis-server /usr/bin/redis-server -"                                # test/cache, test/server: the shared store
  "systemd /usr/bin/systemd-analyze -"                                  # test/deploy: systemd-analyze verify
  "python3-signedjson /usr/lib/python3/dist-packages/signedjson/sign.py -" # test/client: Synapse's signing library, run by /usr/bin/python3
  "prometheus /usr/bin/promtool -"                                      # test/monitor: promtool check metrics on /probe and /metrics
)
if [ "$bench" = 1 ]; then
  needs+=("wrk /usr/bin/wrk wrk") # bench/serve-throughput, soak/
fi

# Whether a need ("package file program") is met: its file exists, or its program is on PATH.
present() {
  local package file program
  read -r package file program <<<"$1"
  [ -e "$root$file" ] && return 0
  [ "$program" != "-" ] && command -v "$program" >/dev/null 2>&1
}

missing=()
for need in "${needs[@]}"; do
  present "$need" || missing+=("${need%% *}")
done

if [ "${#missing[@]}" -eq 0 ]; then
  [ "$dry_run" = 1 ] && echo "setup-system: nothing to install"
  exit 0
fi

install_line="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
echo "setup-system: missing Debian packages: ${missing[*]}" >&2
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-system: this is not Debian (no apt-get): install those programs with your package manager" >&2
  exit 1
fi
# $EUID, not `id -u`: a shell variable, so the test can run this with nothing on PATH but its stubs.
if [ "$EUID" -ne 0 ]; then
  echo "setup-system: run this as root, then run the tests again:" >&2
  echo "  $install_line" >&2
  exit 1
fi
if [ "$dry_run" = 1 ]; then
  echo "setup-system: would run: $install_line"
  exit 0
fi

echo "setup-system: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# The web servers must not start as system services: the tests start their own instances on loopback.
policy="$root/usr/sbin/policy-rc.d"
created_policy=0
remove_policy() { if [ "$created_policy" = 1 ]; then rm -f "$policy"; fi; }
trap remove_policy EXIT
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  created_policy=1
  chmod +x "$policy"
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

still=()
for need in "${needs[@]}"; do
  present "$need" || still+=("${need%% *}")
done
if [ "${#still[@]}" -ne 0 ]; then
  echo "setup-system: installed, but still missing: ${still[*]}" >&2
  exit 1
fi
echo "setup-system: done"
