# Shared by run.sh and upgrade.sh (sourced, with $hook set to the hook id): pre-commit in a
# cached venv, a hooks repository at a commit holding .pre-commit-hooks.yaml as it is now, and a
# new git repository ($work, the current directory after this) with the hook installed.
# Sets repo, cache, hooks_repo, work, logs and rev; removes the temporary ones on exit.
repo=$(cd "$(dirname "$0")/../.." && pwd)
cache=${STSLINT_PRE_COMMIT_CACHE:-$repo/target/pre-commit}
mkdir -p "$cache"
# The tests run in parallel: one makes the venv while the others wait for it (on a fresh clone
# two `python3 -m venv` at once fail with "File exists").
exec 9>"$cache/venv.lock"
flock 9
if [ ! -x "$cache/venv/bin/pre-commit" ]; then
    python3 -m venv "$cache/venv"
    "$cache/venv/bin/pip" install --quiet --disable-pip-version-check "pre-commit==4.*"
fi
flock -u 9
exec 9>&-
export PATH="$cache/venv/bin:$PATH"
export PRE_COMMIT_HOME="$cache/home"
if [[ "$hook" == *-system ]]; then
    command -v stslint >/dev/null || { echo "FAIL: no stslint on PATH"; exit 1; }
fi
# The hook repository: this repository at a commit holding the hooks file as it is now.
hooks_repo=$(mktemp -d)
work=$(mktemp -d)
logs=$(mktemp -d)
trap 'rm -rf "$work" "$hooks_repo" "$logs"' EXIT
git -C "$repo" archive HEAD | tar -x -C "$hooks_repo"
cp "$repo/.pre-commit-hooks.yaml" "$hooks_repo/"
git -C "$hooks_repo" init --quiet
git -C "$hooks_repo" add -A
git -C "$hooks_repo" -c user.email=ci@example.com -c user.name=CI -c commit.gpgsign=false commit --quiet -m hooks
rev=$(git -C "$hooks_repo" rev-parse HEAD)

cd "$work"
git init --quiet
git config user.email ci@example.com
git config user.name CI
git config commit.gpgsign false
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $hooks_repo
    rev: $rev
    hooks:
      - id: $hook
YAML
pre-commit --version
pre-commit install --install-hooks >/dev/null
