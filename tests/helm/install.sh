#!/usr/bin/env bash
# Installs helm-python-sdk (Helm's Go engine as a Python package, from PyPI) into
# target/helm-sdk and writes target/helm-sdk/bin/helm, a `helm template` for the tests.
# Prints the directory to put on PATH. Needs python3 and the package registries.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
dir=${STSLINT_HELM_SDK:-$repo/target/helm-sdk}
if [ ! -x "$dir/venv/bin/python" ] || ! "$dir/venv/bin/python" -c "import helm_python" 2>/dev/null; then
    python3 -m venv "$dir/venv" >&2
    "$dir/venv/bin/pip" install --quiet --disable-pip-version-check "helm-python-sdk==0.2.*" >&2
fi
mkdir -p "$dir/bin"
# Written beside and moved into place: a test may be running the wrapper meanwhile.
cat > "$dir/bin/helm.$$" <<SH
#!/bin/sh
exec "$dir/venv/bin/python" "$repo/tests/helm/helm.py" "\$@"
SH
chmod +x "$dir/bin/helm.$$"
mv -f "$dir/bin/helm.$$" "$dir/bin/helm"
echo "$dir/bin"
