#!/usr/bin/env bash
# Makes sure Debian's chromium is installed for the web page test (test/web/page.test.ts, driven by playwright-core).
# Does nothing when /usr/bin/chromium exists; installs it when run as root on Debian; otherwise prints the command
# to run and exits 1.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
INSTALL="apt-get update && apt-get install -y --no-install-recommends chromium fonts-dejavu-core"

if [ -x "$CHROMIUM" ]; then
  echo "ensure-chromium: $CHROMIUM is installed ($("$CHROMIUM" --version 2>/dev/null || echo 'version unknown'))"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-chromium: $CHROMIUM is missing; as root, run: $INSTALL" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: $CHROMIUM is missing and this is not Debian; install Chromium and set CHROMIUM_PATH for the test" >&2
  exit 1
fi
echo "ensure-chromium: installing chromium"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# fonts-dejavu-core: without any font the screenshots show empty boxes instead of text.
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core
"$CHROMIUM" --version
