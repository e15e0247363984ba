#!/usr/bin/env bash
# Runs GatewayMock's whole test suite: builds everything (the command-line tests run the built
# `gateway-mock` executable), then runs the Swift Testing suites. Extra arguments go to `swift test`,
# e.g. `scripts/test.sh --filter PortkeyWorkspacesTests`.
set -euo pipefail
cd "$(dirname "$0")/.."

swift build --build-tests
swift test --skip-build "$@"
