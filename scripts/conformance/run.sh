#!/usr/bin/env bash
# Runs the conformance suite: the official OpenRouter and Portkey Python SDKs and Schemathesis
# (driven by the vendors' OpenAPI documents in scripts/conformance/spec/) against a freshly built gateway-mock.
#
#   scripts/conformance/run.sh [pytest arguments...]    e.g. -k portkey, -x, -v
#
# - Python packages live in a virtual environment, .venv-conformance/ at the repository root
#   (CONFORMANCE_VENV overrides the path), created on first use from requirements.txt and reused
#   until requirements.txt or the interpreter changes, when it is rebuilt from scratch. It needs
#   python3 with the venv module (PYTHON overrides the interpreter); where `python3 -m venv` fails for
#   want of ensurepip and this runs as root, it installs Debian's python3.X-venv (or python3-venv) first.
# - The server is built with `swift build` (a no-op when up to date); the suite starts it on port 0.
# - The tests of JDK's HttpClient and Node's fetch run `java` and `node` from PATH; without them they are
#   skipped, or fail when CONFORMANCE_REQUIRE_ALL=1 (as .ci/run sets it).
# - CONFORMANCE_MAX_EXAMPLES: Schemathesis' fuzzed examples per operation and run (default 100);
#   CONFORMANCE_LIFECYCLE_MAX_EXAMPLES the same for the lifecycle document (default 40), and
#   CONFORMANCE_STATEFUL_SCENARIOS/_STEPS/_ROUNDS/_CHAINS shape its stateful phase (README).
# Exits with pytest's status: 0 only when every test passed.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
suite=scripts/conformance
venv=${CONFORMANCE_VENV:-$root/.venv-conformance}
python=${PYTHON:-python3}
started=$SECONDS

say() { printf '==> conformance: %s\n' "$*"; }

# MARK: - Python environment

make_venv() {
    rm -rf "$venv"
    if "$python" -m venv "$venv" >/dev/null 2>&1; then return 0; fi
    rm -rf "$venv"
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        # Debian splits ensurepip out of the interpreter: python3.X-venv for that interpreter's
        # version where the archive has it, else the default python3-venv.
        local version package=python3-venv
        version=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
        apt-get update -qq
        if apt-cache show "python$version-venv" >/dev/null 2>&1; then package=python$version-venv; fi
        say "'$python -m venv' failed (no ensurepip?): installing $package with apt-get"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null
        "$python" -m venv "$venv" && return 0
    fi
    say "cannot create a virtual environment with '$python -m venv'; install python3-venv" >&2
    "$python" -m venv "$venv" || true # show Python's own message
    exit 1
}

command -v "$python" >/dev/null || { say "'$python' not found; install Python 3 (3.10 or later)" >&2; exit 1; }
stamp_file=$venv/.requirements-stamp
stamp="$(sha256sum "$suite/requirements.txt" | cut -d' ' -f1) $("$python" -c \
    'import platform, sys; print(platform.python_version(), sys.base_prefix)')"
if [[ -x $venv/bin/python && -f $stamp_file && "$(cat "$stamp_file")" == "$stamp" ]]; then
    say "reusing $venv"
else
    say "creating $venv from $suite/requirements.txt"
    make_venv
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
        -r "$suite/requirements.txt"
    say "environment ready after $((SECONDS - started))s"
    printf '%s\n' "$stamp" >"$stamp_file" # written last: an interrupted install is redone next time
fi

# MARK: - Server

say "building gateway-mock"
if ! build_log=$(swift build --product gateway-mock 2>&1); then
    printf '%s\n' "$build_log" >&2
    say "FAILED: swift build did not build gateway-mock" >&2
    exit 1
fi
printf '%s\n' "$build_log" | tail -n 1
GATEWAY_MOCK_BIN="$(swift build --show-bin-path)/gateway-mock"
export GATEWAY_MOCK_BIN

# MARK: - Tests

# Hypothesis keeps its caches in the venv rather than in the work tree.
export HYPOTHESIS_STORAGE_DIRECTORY=$venv/hypothesis
say "running pytest (suite in $suite) with $("$venv/bin/python" -c 'import importlib.metadata as m
print(", ".join(f"{n} {m.version(n)}" for n in ("openrouter", "portkey-ai", "schemathesis", "pytest")))')"
missing_browser=()
command -v chromium >/dev/null || missing_browser+=(chromium)
command -v chromedriver >/dev/null || missing_browser+=(chromium-driver)
if ((${#missing_browser[@]})) && [[ ${CONFORMANCE_REQUIRE_ALL:-} != 1 ]]; then
    say "SKIPPING the dashboard's browser tests (test_dashboard_browser.py): no ${missing_browser[*]};" \
        "install with: apt-get install -y chromium chromium-driver"
fi
status=0
"$venv/bin/python" -m pytest -q -rfE -c "$suite/pytest.ini" --rootdir "$suite" \
    -o cache_dir="$venv/pytest-cache" "$suite" "$@" || status=$?
if [[ $status -eq 0 ]]; then
    say "passed in $((SECONDS - started))s"
else
    say "FAILED (pytest exit status $status) after $((SECONDS - started))s" >&2
fi
exit "$status"
