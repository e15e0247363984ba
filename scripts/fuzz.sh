#!/usr/bin/env bash
# Fuzzes the request parser, the JSON parser and the write operations' request bodies with libFuzzer
# (issues 6 and 15). Bounded; stays on this machine.
#
#   scripts/fuzz.sh [SECONDS] [TARGET]
#
#   SECONDS   the total fuzzing time, split evenly across the targets run (default 60: 20 s each)
#   TARGET    http (HTTPRequestParser), json (JSONParser), bodies (write requests through GatewayRouter)
#             or all (default)
#   FUZZ_RUNS stop a target after this many executions instead (SECONDS still bounds it), e.g.
#             FUZZ_RUNS=10000000 scripts/fuzz.sh 20000 http
#
# Needs only the Swift toolchain (it ships libFuzzer and AddressSanitizer). Each target is a standalone
# `swiftc -sanitize=fuzzer,address -O -g` build in .build-fuzz/, no SwiftPM:
#   - module MockHTTP from Sources/MockHTTP/HTTP/*.swift and Concurrency/*.swift (a static library; these files import only the
#     standard library, Synchronization and Glibc; a file importing anything else is left out, and named);
#   - module GatewayMock from Sources/GatewayMock/JSON/*.swift (a static library whose `import MockHTTP`
#     finds the library above: the same module layout as SwiftPM's);
#   - http-fuzzer: Tests/Fuzz/HTTPRequestParserFuzzer/main.swift + Tests/MockHTTPTests/Support/
#     HTTPParserInvariants.swift, which imports MockHTTP;
#   - json-fuzzer: Tests/Fuzz/JSONParserFuzzer/main.swift + Tests/GatewayMockTests/Support/
#     JSONParserInvariants.swift, which imports GatewayMock;
#   - bodies-fuzzer, in .build-fuzz/router/: the whole modules, as SwiftPM builds them: Logging from the
#     package's swift-log checkout (`swift package resolve` fetches it when .build/checkouts lacks it;
#     not instrumented), CLinuxShims (clang, with a module map written here), MockHTTP from
#     Sources/MockHTTP, GatewayMock from Sources/GatewayMock plus an empty `EmbeddedSeedData` (the fuzzer
#     loads Tests/Fuzz/bodies-store/ instead); then Tests/Fuzz/RequestBodyFuzzer/main.swift +
#     Tests/GatewayMockTests/Support/RequestBodyInvariants.swift and HTTPRequest+Mock.swift.
# The invariants files are the ones the regression tests compile too (one copy of the checks). Every
# harness is compiled without libFuzzer's coverage (AddressSanitizer stays on): see build_fuzzer.
# Targets are rebuilt only when a source is newer than the binary.
#
# Each run starts from .build-fuzz/corpus-TARGET/ (kept between runs, so the corpus grows), plus the
# committed seeds in Tests/Fuzz/corpus/TARGET/ and the regressions in Tests/Fuzz/regressions/TARGET/, which libFuzzer
# only reads. Options: -max_len=65536 -timeout=10 -rss_limit_mb=2048 -dict=Tests/Fuzz/TARGET.dict (bodies
# also -detect_leaks=0, see Tests/Fuzz/README.md); extra libFuzzer flags can be given in FUZZ_ARGS (e.g.
# FUZZ_ARGS=-jobs=2). The log is .build-fuzz/TARGET.log.
#
# Prints per target: executions, exec/s, coverage (cov = edges, ft = features), corpus size, the exit
# status. A crash, timeout, OOM or leak is copied to Tests/Fuzz/regressions/TARGET/ (where the regression tests
# read it) and the script exits 1; build errors exit 2, bad arguments 64.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_TOTAL="${1:-60}"
TARGET="${2:-all}"
usage() {
    echo "usage: [FUZZ_RUNS=N] $0 [seconds] [http|json|bodies|all]" >&2
    exit 64
}
[[ "$SECONDS_TOTAL" =~ ^[0-9]+$ && "$SECONDS_TOTAL" -ge 1 ]] || usage
[[ "${FUZZ_RUNS:-1}" =~ ^[0-9]+$ ]] || usage
case "$TARGET" in
    http | json | bodies) TARGETS=("$TARGET") ;;
    all) TARGETS=(http json bodies) ;;
    *) usage ;;
esac
PER_TARGET=$((SECONDS_TOTAL / ${#TARGETS[@]}))
((PER_TARGET >= 1)) || PER_TARGET=1

BUILD=.build-fuzz
MODULES="$BUILD/modules"
mkdir -p "$MODULES"

SWIFTC="${SWIFTC:-swiftc}"
command -v "$SWIFTC" > /dev/null || {
    echo "fuzz.sh: swiftc not found (install the Swift toolchain)" >&2
    exit 2
}
# One package name for every module built here, as SwiftPM gives, for `package` declarations.
FLAGS=(-sanitize=fuzzer,address -parse-as-library -O -g -swift-version 6 -enable-upcoming-feature ExistentialAny
    -package-name gateway_mock)
# The toolchain's lld links without gold's stream of "Cannot export local symbol" warnings.
if [[ -x "$(dirname "$(command -v "$SWIFTC")")/ld.lld" ]]; then FLAGS+=(-use-ld=lld); fi

# --- Build ---------------------------------------------------------------------------------------------

# Sources/MockHTTP/HTTP files that import nothing beyond the standard library, Synchronization and libc.
HTTP_SOURCES=()
for file in Sources/MockHTTP/HTTP/*.swift Sources/MockHTTP/Concurrency/*.swift; do
    if grep -Eq '^\s*(@[A-Za-z_]+\s+)*import\s+' "$file" \
        && grep -E '^\s*(@[A-Za-z_]+\s+)*import\s+' "$file" | grep -Evq 'import\s+(Synchronization|Glibc|Musl|Darwin)\s*$'; then
        echo "fuzz.sh: leaving out $file (imports a module beyond the standard library)" >&2
    else
        HTTP_SOURCES+=("$file")
    fi
done
JSON_SOURCES=(Sources/GatewayMock/JSON/*.swift)
HTTP_HARNESS=(Tests/Fuzz/HTTPRequestParserFuzzer/main.swift Tests/MockHTTPTests/Support/HTTPParserInvariants.swift)
JSON_HARNESS=(Tests/Fuzz/JSONParserFuzzer/main.swift Tests/GatewayMockTests/Support/JSONParserInvariants.swift)
BODIES_HARNESS=(Tests/Fuzz/RequestBodyFuzzer/main.swift Tests/GatewayMockTests/Support/RequestBodyInvariants.swift
    Tests/GatewayMockTests/Support/HTTPRequest+Mock.swift)

# Whether $1 is missing or older than any of the other arguments (or this script).
stale() {
    local output="$1"
    shift
    [[ -e "$output" ]] || return 0
    [[ -n "$(find "$@" "$0" -newer "$output" -print -quit)" ]]
}

# compile WHAT COMMAND...: runs the compiler command, its output in build-WHAT.log (shown when it fails).
compile() {
    local what="$1" previous="" argument
    shift
    for argument in "$@"; do
        # swiftc adds to an existing archive instead of replacing it (objects of an earlier build would stay).
        if [[ "$previous" == -o && "$argument" == *.a ]]; then rm -f "$argument"; fi
        previous="$argument"
    done
    echo "== building $what" >&2
    if ! "$@" > "$BUILD/build-$what.log" 2>&1; then
        cat "$BUILD/build-$what.log" >&2
        echo "fuzz.sh: building $what failed" >&2
        exit 2
    fi
}

# build WHAT ARGUMENTS...: compiles instrumented for libFuzzer and AddressSanitizer.
build() {
    compile "$1" "$SWIFTC" "${FLAGS[@]}" "${@:2}"
}

# build_fuzzer TARGET MODULE HARNESS... -- COMPILE-FLAGS... -- LINK-ARGUMENTS...: the fuzzer executable
# .build-fuzz/TARGET-fuzzer. The harness (entry point and invariants) is compiled with AddressSanitizer but
# without libFuzzer's coverage, so that coverage guides the fuzzer by the code under test alone: the checks
# compare whole results per input (the bodies target: whole store snapshots), and with coverage libFuzzer
# would chase the checker's own comparisons and spend its time in them.
build_fuzzer() {
    local target="$1" module="$2" harness=() compile_flags=()
    shift 2
    while [[ "$1" != -- ]]; do harness+=("$1"); shift; done
    shift
    while [[ "$1" != -- ]]; do compile_flags+=("$1"); shift; done
    shift
    compile "$target-harness" "$SWIFTC" "${FLAGS[@]/#-sanitize=fuzzer,address/-sanitize=address}" -wmo -c \
        -module-name "$module" "${compile_flags[@]}" "${harness[@]}" -o "$BUILD/$module.o"
    build "$target-fuzzer" "$BUILD/$module.o" "$@" -o "$BUILD/$target-fuzzer"
}

# The parsers' MockHTTP: the HTTP/ subset above.
build_parser_modules() {
    if stale "$MODULES/libMockHTTP.a" "${HTTP_SOURCES[@]}"; then
        # (-static also leaves MockHTTP.o next to the library.)
        build MockHTTP -module-name MockHTTP -emit-module -emit-module-path "$MODULES/MockHTTP.swiftmodule" \
            -emit-library -static -o "$MODULES/libMockHTTP.a" "${HTTP_SOURCES[@]}"
    fi
}

# The bodies target's modules: everything GatewayRouter needs, in their own folder (their MockHTTP is the
# whole module, not the HTTP/ subset above).
build_router_modules() {
    local dir="$BUILD/router"
    mkdir -p "$dir/shims"
    local log_sources=.build/checkouts/swift-log/Sources/Logging
    [[ -d "$log_sources" ]] || compile "package-checkouts" swift package resolve
    mapfile -t LOG_SOURCES < <(find "$log_sources" -name '*.swift' | sort)
    mapfile -t MOCKHTTP_SOURCES < <(find Sources/MockHTTP -name '*.swift' | sort)
    mapfile -t GATEWAYMOCK_SOURCES < <(find Sources/GatewayMock -name '*.swift' | sort)
    if stale "$dir/libLogging.a" "${LOG_SOURCES[@]}"; then
        # Not instrumented; `package` declarations need the package name that SwiftPM would give.
        compile Logging "$SWIFTC" -parse-as-library -O -swift-version 6 -package-name swift_log -module-name Logging \
            -emit-module -emit-module-path "$dir/Logging.swiftmodule" -emit-library -static -o "$dir/libLogging.a" \
            "${LOG_SOURCES[@]}"
    fi
    if stale "$dir/shims.o" Sources/CLinuxShims; then
        printf 'module CLinuxShims {\n    header "%s"\n    export *\n}\n' \
            "$PWD/Sources/CLinuxShims/include/CLinuxShims.h" > "$dir/shims/module.modulemap"
        compile CLinuxShims "$(dirname "$(command -v "$SWIFTC")")/clang" -O2 -c Sources/CLinuxShims/shims.c \
            -I Sources/CLinuxShims/include -o "$dir/shims.o"
    fi
    if stale "$dir/libMockHTTP.a" "${MOCKHTTP_SOURCES[@]}" "$dir/libLogging.a" "$dir/shims.o"; then
        build router-MockHTTP -wmo -module-name MockHTTP -I "$dir" -I "$dir/shims" -emit-module \
            -emit-module-path "$dir/MockHTTP.swiftmodule" -emit-library -static -o "$dir/libMockHTTP.a" \
            "${MOCKHTTP_SOURCES[@]}"
    fi
    # The default store and the dashboard's files are embedded by a SwiftPM plugin; the fuzzer reads its own
    # store (Tests/Fuzz/bodies-store) and serves no dashboard.
    local embedded="$dir/EmbeddedSeedData.swift" empty
    empty=$(printf 'enum %s {\n    static let files: [String: String] = [:]\n}\n' EmbeddedSeedData EmbeddedDashboard)
    [[ -e "$embedded" && "$(cat "$embedded")" == "$empty" ]] || echo "$empty" > "$embedded"
    if stale "$dir/libGatewayMock.a" "${GATEWAYMOCK_SOURCES[@]}" "$dir/libMockHTTP.a"; then
        build router-GatewayMock -wmo -module-name GatewayMock -I "$dir" -I "$dir/shims" -emit-module \
            -emit-module-path "$dir/GatewayMock.swiftmodule" -emit-library -static -o "$dir/libGatewayMock.a" \
            "${GATEWAYMOCK_SOURCES[@]}" "$embedded"
    fi
}

for target in "${TARGETS[@]}"; do
    case "$target" in
        http)
            build_parser_modules
            if stale "$BUILD/http-fuzzer" "${HTTP_HARNESS[@]}" "$MODULES/libMockHTTP.a"; then
                build_fuzzer http HTTPRequestParserFuzzer "${HTTP_HARNESS[@]}" -- -I "$MODULES" -- -L "$MODULES" -lMockHTTP
            fi
            ;;
        json)
            build_parser_modules
            if stale "$MODULES/libGatewayMock.a" "${JSON_SOURCES[@]}" "$MODULES/libMockHTTP.a"; then
                build GatewayMock -module-name GatewayMock -I "$MODULES" -emit-module \
                    -emit-module-path "$MODULES/GatewayMock.swiftmodule" -emit-library -static \
                    -o "$MODULES/libGatewayMock.a" "${JSON_SOURCES[@]}"
            fi
            if stale "$BUILD/json-fuzzer" "${JSON_HARNESS[@]}" "$MODULES/libGatewayMock.a" "$MODULES/libMockHTTP.a"; then
                build_fuzzer json JSONParserFuzzer "${JSON_HARNESS[@]}" -- -I "$MODULES" -- -L "$MODULES" -lGatewayMock \
                    -lMockHTTP
            fi
            ;;
        bodies)
            build_router_modules
            router="$BUILD/router"
            if stale "$BUILD/bodies-fuzzer" "${BODIES_HARNESS[@]}" "$router/libGatewayMock.a"; then
                build_fuzzer bodies RequestBodyFuzzer "${BODIES_HARNESS[@]}" -- -I "$router" -I "$router/shims" -- \
                    "$router/shims.o" -L "$router" -lGatewayMock -lMockHTTP -lLogging
            fi
            ;;
    esac
done

# --- Run -----------------------------------------------------------------------------------------------

# libFuzzer catches the trap of a failed invariant itself; Swift's own backtracer would only slow that down.
export SWIFT_BACKTRACE=enable=no
status=0
summary=()
for target in "${TARGETS[@]}"; do
    corpus="$BUILD/corpus-$target"
    artifacts="$BUILD/artifacts-$target"
    regressions="Tests/Fuzz/regressions/$target"
    log="$BUILD/$target.log"
    mkdir -p "$corpus" "$artifacts" "$regressions"
    rm -f "$artifacts"/*
    echo "== fuzzing $target for ${PER_TARGET}s (corpus $corpus, log $log)" >&2
    options=(-max_total_time="$PER_TARGET" -max_len=65536 -timeout=10 -rss_limit_mb=2048
        -dict="Tests/Fuzz/$target.dict" -artifact_prefix="$artifacts/" -print_final_stats=1)
    if [[ -n "${FUZZ_RUNS:-}" ]]; then options+=(-runs="$FUZZ_RUNS"); fi
    asan="${ASAN_OPTIONS:-}"
    if [[ "$target" == bodies ]]; then
        # LeakSanitizer cannot see Swift's pointers packed with enum tags (spare bits), so the lazily made
        # globals the router uses read as leaks (Tests/Fuzz/README.md).
        options+=(-detect_leaks=0)
        asan+="${asan:+:}detect_leaks=0"
    fi
    started=$SECONDS
    set +e
    # shellcheck disable=SC2086 # FUZZ_ARGS is a list of flags
    ASAN_OPTIONS="$asan" timeout --kill-after=30 $((PER_TARGET + 300)) "$BUILD/$target-fuzzer" "${options[@]}" \
        ${FUZZ_ARGS:-} "$corpus" "Tests/Fuzz/corpus/$target" "$regressions" > "$log" 2>&1
    code=$?
    set -e
    elapsed=$((SECONDS - started))

    last=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<< "$last")
    ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<< "$last")
    corp=$(sed -n 's/.* corp: \([0-9]*\/[0-9A-Za-z]*\).*/\1/p' <<< "$last")
    found=()
    for artifact in "$artifacts"/*; do
        [[ -f "$artifact" ]] || continue
        saved="$regressions/$(basename "$artifact")"
        for existing in "$regressions"/*; do # a committed regression failing again is not copied twice
            if [[ -f "$existing" ]] && cmp -s "$artifact" "$existing"; then saved="$existing"; fi
        done
        [[ -e "$saved" ]] || cp "$artifact" "$saved"
        found+=("$saved")
    done
    line="$target: ${execs:-?} executions in ${elapsed}s (${rate:-?} exec/s), cov ${cov:-?} ft ${ft:-?}, corpus ${corp:-?} (inputs/bytes), exit $code"
    if ((${#found[@]} > 0)); then
        line+=", input in ${found[*]}"
        status=1
        grep -E 'ERROR: |invariant violated|SUMMARY' "$log" | head -n 5 >&2 || true
        echo "reproduce: ASAN_OPTIONS=$asan SWIFT_BACKTRACE=enable=no $BUILD/$target-fuzzer ${found[0]}" >&2
        echo "minimize:  ASAN_OPTIONS=$asan SWIFT_BACKTRACE=enable=no $BUILD/$target-fuzzer -minimize_crash=1" \
            "-max_total_time=60 -exact_artifact_path=${found[0]}.min ${found[0]}" >&2
    elif ((code != 0)); then
        line+=" (no artifact: see $log)"
        status=1
    fi
    summary+=("$line")
done
printf '%s\n' "${summary[@]}"
exit "$status"
