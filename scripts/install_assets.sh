#!/usr/bin/env bash
# Install the front-end packages from the npm registry (exact versions, package-lock.json) and
# copy the files papitrack serves into papitrack/static/vendor (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v npm >/dev/null; then
    if [[ $(id -u) -eq 0 ]]; then
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
    else
        echo "npm is needed to install the front-end assets (apt-get install nodejs npm)." >&2
        exit 1
    fi
fi
if [[ ! -d node_modules/echarts || package-lock.json -nt node_modules/.package-lock.json ]]; then
    npm ci --no-audit --no-fund --loglevel=error
fi

vendor=papitrack/static/vendor
mkdir -p "$vendor/bootstrap" "$vendor/echarts"
# Each file with its source map: the manifest storage refuses a file whose map is missing.
cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map "$vendor/bootstrap/"
cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map "$vendor/bootstrap/"
cp node_modules/echarts/dist/echarts.min.js node_modules/echarts/i18n/langVI.js "$vendor/echarts/"
