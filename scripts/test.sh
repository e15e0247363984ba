#!/usr/bin/env bash
# Runs GatewayMock's whole test suite, in two parts:
#   1. the Swift tests: builds everything (the command-line tests run the built `gateway-mock`
#      executable), then runs the Swift Testing suites;
#   2. the conformance suite, scripts/conformance/run.sh: the official OpenRouter and Portkey Python
#      SDKs and Schemathesis (with the vendors' OpenAPI documents in spec/) against the built server.
#      It creates and caches its own Python virtual environment (.venv-conformance/).
#
#   scripts/test.sh [--swift-only | --conformance-only] [swift test arguments...]
#
#   --swift-only        run only the Swift tests
#   --conformance-only  run only the conformance suite (it builds the server itself); for pytest
#                       arguments call scripts/conformance/run.sh directly, e.g. `-k portkey`
#
# Other arguments go to `swift test`, e.g. `scripts/test.sh --filter PortkeyWorkspacesTests`. Both
# parts run even when the first fails; the exit status is non-zero if either failed.
set -euo pipefail
cd "$(dirname "$0")/.."

run_swift=true
run_conformance=true
swift_args=()
for argument in "$@"; do
    case $argument in
        --swift-only) run_conformance=false ;;
        --conformance-only) run_swift=false ;;
        *) swift_args+=("$argument") ;;
    esac
done
if ! $run_swift && ! $run_conformance; then
    echo "scripts/test.sh: --swift-only and --conformance-only exclude each other" >&2
    exit 2
fi
if ! $run_swift && ((${#swift_args[@]})); then
    echo "scripts/test.sh: '${swift_args[*]}' would go to swift test, which --conformance-only skips;" \
        "pass pytest arguments to scripts/conformance/run.sh" >&2
    exit 2
fi

swift_status=0
conformance_status=0
if $run_swift; then
    swift build --build-tests && swift test --skip-build ${swift_args[@]+"${swift_args[@]}"} || swift_status=$?
fi
if $run_conformance; then
    scripts/conformance/run.sh || conformance_status=$?
fi

if $run_swift && $run_conformance && ((swift_status || conformance_status)); then
    echo "scripts/test.sh: swift tests exit $swift_status, conformance suite exit $conformance_status" >&2
fi
((swift_status == 0 && conformance_status == 0))
