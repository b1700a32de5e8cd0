#!/usr/bin/env bash
# Make sure headless Chromium is available for the workbench browser test.
#
# If `chromium` is not on PATH and we run as root, install the Debian package
# (apt-get update -qq && apt-get install -y -qq chromium). Prints the version.
# Exit 0 when chromium is available afterwards, non-zero otherwise.
set -u

if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "chromium not found: installing the Debian package (takes a minute or two)" >&2
        export DEBIAN_FRONTEND=noninteractive
        if ! { apt-get update -qq && apt-get install -y -qq chromium; }; then
            echo "error: apt-get could not install chromium" >&2
            exit 1
        fi
    else
        echo "error: chromium is not on PATH; install it (Debian/Ubuntu: sudo apt-get install chromium)" >&2
        exit 1
    fi
fi

if ! command -v chromium >/dev/null 2>&1; then
    echo "error: chromium still not on PATH after installation" >&2
    exit 1
fi
chromium --version 2>/dev/null || { echo "error: chromium is installed but does not run" >&2; exit 1; }
exit 0
