#!/usr/bin/env bash
# Install the Debian packages the test suite needs (PostgreSQL, chromium, fonts, poppler,
# LibreOffice Writer for DOCX -> PDF; every package goes in with --no-install-recommends).
# Idempotent and quiet when everything is present; needs root (CI and the dev machines are).
set -euo pipefail

packages=(postgresql chromium fonts-liberation2 poppler-utils libreoffice-writer-nogui nodejs npm)
missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        # nodejs/npm may come from elsewhere (e.g. a preinstalled Node.js): accept the commands.
        if [[ "$package" == nodejs ]] && command -v node >/dev/null; then continue; fi
        if [[ "$package" == npm ]] && command -v npm >/dev/null; then continue; fi
        missing+=("$package")
    fi
done
if [[ ${#missing[@]} -eq 0 ]]; then
    exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
    echo "Missing Debian packages: ${missing[*]}. Install them as root (apt-get install)." >&2
    exit 1
fi
echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
