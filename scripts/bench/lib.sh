# shellcheck shell=bash disable=SC2034
# Shared helpers for scripts/soak.sh and scripts/bench.sh (sourced, not run).
# Everything here talks to 127.0.0.1 only. Processes started through `start_bg` are remembered and
# ended by their PID when the calling script exits.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BENCH_DIR="$REPO_ROOT/scripts/bench"
# A scratch path of its own, so that a release build here never waits for (or disturbs) the
# debug builds and test runs in .build. Override with GM_SCRATCH_PATH; GM_BIN skips the build.
GM_SCRATCH_PATH="${GM_SCRATCH_PATH:-$REPO_ROOT/.build-perf}"
CLK_TCK="$(getconf CLK_TCK)"
OR_KEY="sk-or-v1-mock-management"
PK_KEY="pk-mock-admin"
OR_PATH="/api/v1/workspaces?limit=50"
PK_PATH="/v1/admin/workspaces?page_size=50"

STARTED_PIDS=()

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Ends every process this script started (by PID, never by name), then removes its temp dir.
cleanup() {
    local pid
    for pid in "${STARTED_PIDS[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid" 2>/dev/null || true; fi
    done
    for pid in "${STARTED_PIDS[@]}"; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
    done
    if [[ -n "${WORK_DIR:-}" && -d "$WORK_DIR" && -z "${KEEP_WORK_DIR:-}" ]]; then rm -rf "$WORK_DIR"; fi
}

setup_common() {
    WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/gm-perf.XXXXXX")"
    trap cleanup EXIT
    trap 'exit 130' INT TERM
    # wrk, 500 slow clients and the server all need descriptors.
    ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
}

# Installs the Debian packages that provide the given commands, if any command is missing.
# Arguments: command:package pairs; "nginx:nginx-light|nginx" takes the first package apt knows.
ensure_tools() {
    local missing=() pair
    for pair in "$@"; do
        command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
    done
    ((${#missing[@]} == 0)) && return 0
    [[ $(id -u) == 0 ]] || die "missing ${missing[*]}; install them with apt-get or run as root"
    log "installing ${missing[*]} (apt-get)"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || die "apt-get update failed"
    local packages=() spec candidate chosen
    for spec in "${missing[@]}"; do
        chosen=""
        for candidate in ${spec//|/ }; do
            if apt-cache show --no-all-versions "$candidate" >/dev/null 2>&1; then chosen=$candidate; break; fi
        done
        packages+=("${chosen:-${spec%%|*}}")
    done
    # No service may start on install (nginx would listen on 0.0.0.0:80): a policy-rc.d that forbids it,
    # only if the machine has none, removed afterwards.
    local own_policy="" rc=0
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && own_policy=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null || rc=$?
    [[ -n $own_policy ]] && rm -f /usr/sbin/policy-rc.d
    ((rc == 0)) || die "apt-get install ${packages[*]} failed"
    for pair in "$@"; do command -v "${pair%%:*}" >/dev/null 2>&1 || die "${pair%%:*} still missing"; done
}

# Builds the release binary (unless GM_BIN is set) and sets GM_BIN.
build_mock() {
    if [[ -n "${GM_BIN:-}" ]]; then
        [[ -x "$GM_BIN" ]] || die "GM_BIN=$GM_BIN is not executable"
        log "using GM_BIN=$GM_BIN (no build)"
        GM_BIN_GIVEN="$GM_BIN"
        return
    fi
    # As the README's CI recipe builds it: a static executable, the Swift runtime and the C library linked
    # in (issue 17: no dynamic loader at start).
    local try build=(swift build -c release --static-swift-stdlib -Xswiftc -static-executable
        --scratch-path "$GM_SCRATCH_PATH")
    for try in 1 2 3; do
        log "${build[*]}"
        if (cd "$REPO_ROOT" && "${build[@]}") >"$WORK_DIR/build.log" 2>&1; then
            break
        fi
        # Someone saving a source file mid-build is not a broken tree: try again shortly.
        if ((try < 3)) && grep -q 'was modified during the build' "$WORK_DIR/build.log"; then
            log "a source file changed during the build; building again in 5 s"
            sleep 5
            continue
        fi
        tail -n 30 "$WORK_DIR/build.log" >&2
        die "swift build failed"
    done
    GM_BIN="$(cd "$REPO_ROOT" && "${build[@]}" --show-bin-path)/gateway-mock"
    [[ -x "$GM_BIN" ]] || die "build failed: no $GM_BIN"
}

# One line saying which binary is measured and from what source.
provenance() {
    local rev dirty
    if [[ -n "${GM_BIN_GIVEN:-}" ]]; then
        echo "binary $GM_BIN_GIVEN (GM_BIN, not built here)"
        return
    fi
    rev=$(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
    dirty=$(git -C "$REPO_ROOT" status --porcelain -- Sources Package.swift 2>/dev/null | wc -l)
    echo "built from $rev$( ((dirty > 0)) && echo " + uncommitted changes in $dirty paths under Sources/, Package.swift")"
}

# Runs a command in the background, remembering its PID in STARTED_PIDS; sets BG_PID.
start_bg() {
    "$@" &
    BG_PID=$!
    STARTED_PIDS+=("$BG_PID")
}

# start_mock NAME [extra args...]: starts gateway-mock on a free port; sets MOCK_PID and MOCK_PORT.
start_mock() {
    local name="$1"
    shift
    local port_file="$WORK_DIR/$name.port"
    rm -f "$port_file"
    local quiet=(--quiet) # MOCK_ACCESS_LOG=1: the access log on (the default), to $WORK_DIR/NAME.err
    [[ -z ${MOCK_ACCESS_LOG:-} ]] || quiet=()
    start_bg "$GM_BIN" --port 0 --port-file "$port_file" "${quiet[@]}" "$@" >"$WORK_DIR/$name.out" 2>"$WORK_DIR/$name.err"
    MOCK_PID=$BG_PID
    local i
    for i in $(seq 3000); do
        [[ -s "$port_file" ]] && break
        kill -0 "$MOCK_PID" 2>/dev/null || die "gateway-mock exited at start: $(tail -n 3 "$WORK_DIR/$name.err")"
        sleep 0.01
    done
    [[ -s "$port_file" ]] || die "gateway-mock wrote no port file in 30 s"
    MOCK_PORT="$(tr -d '\n' <"$port_file")"
    wait_http "http://127.0.0.1:$MOCK_PORT/__admin/health" || die "gateway-mock not healthy"
}

# stop_pid PID: SIGTERM, wait up to 10 s, then SIGKILL.
stop_pid() {
    local pid="$1" i
    kill -TERM "$pid" 2>/dev/null || return 0
    for i in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null || true
}

wait_http() { # URL [extra curl args]: until it answers 2xx, at most 10 s
    local url="$1"
    shift
    for _ in $(seq 200); do
        curl -fsS -o /dev/null --max-time 1 "$@" "$url" 2>/dev/null && return 0
        sleep 0.05
    done
    return 1
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
threads_of() { awk '/^Threads:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
fds_of() { find "/proc/$1/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l; }
# utime+stime in clock ticks (fields 14 and 15 of /proc/PID/stat; the command name may hold spaces).
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }

# Sum over several PIDs (nginx: master + worker).
rss_sum() { local t=0 p; for p in "$@"; do t=$((t + $(rss_kb "$p"))); done; echo "$t"; }
cpu_sum() { local t=0 p; for p in "$@"; do t=$((t + $(cpu_ticks "$p"))); done; echo "$t"; }

# rss_sampler OUTFILE PID...: writes the largest summed VmRSS (kB) seen, every 0.25 s, until killed.
rss_sampler() {
    local out="$1" max=0 cur
    shift
    while :; do
        cur=$(rss_sum "$@")
        ((cur > max)) && max=$cur && echo "$max" >"$out"
        sleep 0.25
    done
}

# Busy clock ticks of the whole machine (user, nice, system, steal; from /proc/stat). Interrupt time is
# left out: the kernel charges part of it (loopback networking) to the processes, so "others" = this less
# our own processes' CPU is approximate, and clamped at 0.
machine_busy_ticks() { awk '$1 == "cpu" {print $2 + $3 + $4 + $9; exit}' /proc/stat; }

# CPU seconds (user + system) of the children waited for, from bash's `times` output on stdin.
times_children_ms() {
    tail -n 1 | awk '{ t = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); t += a[1] * 60 + a[2] } printf "%d", t * 1000 }'
}

# run_wrk OUTFILE wrk-args...: runs wrk with the report script (WRK_SCRIPT, default report.lua); OUTFILE
# gets its whole output. Prints the WRK_RESULT key=value line, with client_cpu_ms (wrk's own CPU time) added.
run_wrk() {
    local out="$1" line
    shift
    (
        timeout 600 wrk -s "${WRK_SCRIPT:-$BENCH_DIR/report.lua}" "$@" || true
        times >"$out.times"
    ) >"$out" 2>&1
    line=$(grep '^WRK_RESULT' "$out") || { log "wrk failed: $(tail -n 5 "$out")"; line="WRK_RESULT requests=0"; }
    echo "$line client_cpu_ms=$(times_children_ms <"$out.times")"
}

# field LINE KEY: the value of KEY=value in a WRK_RESULT line.
field() { tr ' ' '\n' <<<"$1" | awk -F= -v k="$2" '$1 == k {print $2}'; }

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {if (NR == 0) print "nan"; else if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
fmt_mib() { awk -v k="$1" 'BEGIN {printf "%.1f MiB", k/1024}'; }
