#!/usr/bin/env bash
# Debian's Chromium drives the end-to-end tests (never a browser download).
# Installs it when missing and we may (root with apt); otherwise says plainly that e2e will skip.
set -u
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo ">>> installing Debian's chromium for the end-to-end tests"
  export DEBIAN_FRONTEND=noninteractive
  (apt-get install -y -q chromium >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q chromium >/dev/null 2>&1; }) \
    && exit 0
fi
if [ -n "${REQUIRE_BROWSER:-}" ]; then echo "chromium is required but could not be installed" >&2; exit 1; fi
echo ">>> chromium not available: the end-to-end browser tests will be SKIPPED"
