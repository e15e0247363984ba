#!/usr/bin/env bash
# Benchmark of gateway-mock against nginx serving the same bytes (issue 7). Loopback only; stops by itself.
#
#   scripts/bench.sh [--quick] [--runs N] [--duration S] [--starts N] [--scale-starts N] [--no-scaling]
#                    [--no-writes | --writes-only]
#
#   --quick           3 s per measurement instead of 10 (about 5.5 minutes instead of about 13.5)
#   --runs N          runs of each measurement, the median is reported (default 3)
#   --duration S      seconds per wrk run (default 10; --quick: 3)
#   --starts N        starts timed per server for the start-up figure (default 20)
#   --scale-starts N  starts timed per store size in the scaling table (default 10; half for 100 000)
#   --no-scaling      skip the store-size tables (step 5's scaling table and step 6's write workload)
#   --no-writes       skip the write workloads (step 6, OpenRouter and Portkey); the scaling table stays
#   --writes-only     only the write tables (step 6, with the list runs they are compared to, on the same
#                     servers): no nginx, no ab, no timed starts; about 7.5 minutes with an up-to-date
#                     build (457 and 443 s measured under load averages of 5-6.6), --quick about 3.5 minutes
#   GM_BIN=/path/to/gateway-mock skips the build; GM_SCRATCH_PATH moves it (default .build-perf).
#
# Duration with the defaults on 2 cores: about 7.5 minutes (433 s measured on a quiet machine, plus the
# build; 24 keep-alive and 24 single-connection wrk runs of 10 s, 12 ab runs, 40 timed starts, then the
# scaling table: ~5 s to write the stores, 25 timed starts, 9 wrk runs of 10 s), plus about 6 minutes for
# the write workloads (OpenRouter: 9 wrk runs of 10 s and the resets; Portkey: ~25 s to write its three
# stores, ~6 s to load the largest, 18 wrk runs of 10 s and the resets). On a machine busy with
# other work (builds, tests) it takes longer (under a load average of 10: 9.7 minutes without the writes)
# and the figures move: see the "other processes' CPU" rows.
#
# What it does:
#  1. builds the release binary, starts gateway-mock (embedded store) on a free 127.0.0.1 port and saves the
#     exact bodies of GET /api/v1/workspaces?limit=50 and GET /v1/admin/workspaces?page_size=50;
#  2. starts nginx (scripts/bench/nginx.conf.template: worker_processes 1, access_log off, the same key
#     checks with `if (...) { return 401; }`, those bodies as static files, default_type application/json,
#     keepalive_requests 100000000) with `nginx -c CONF -g 'daemon off;'` under a temp prefix;
#  3. for each route, run, then each server in turn with identical settings:
#       wrk -t2 -c64 --latency (keep-alive): req/s, p50/p99, server CPU (utime+stime from /proc/PID/stat)
#       per request, peak RSS (nginx: master + worker);  wrk -t1 -c1 --latency: p50/p99;
#       ab -n 20000 -c 16 -H 'Connection: close' (a connection per request): req/s, CPU per request;
#  3b. the access log on: a fresh gateway-mock without --quiet (stderr to a file) and nginx with its default
#     access log (combined format) to a file, wrk -t2 -c64 on each route as above: req/s, CPU per request,
#     p99; then (after SIGTERM) the lines each wrote for the listings against the requests wrk counted, and
#     the mock's dropped-line notices;
#  4. start-up: the median of --starts starts of each, from exec to the first 200 on the OpenRouter route
#     (scripts/bench/startup.py); idle RSS after start;
#  5. scaling: stores of 100, 10 000 and 100 000 OpenRouter records (scripts/bench/mkstore.py, from the
#     seed's records with new unique id/slug) served with --seed-data: load time (exec to first 200),
#     idle RSS, keep-alive req/s and p99 on the limit=50 page.
#  6. writes (issue 13), on the same server as each store of step 5, each run right after a list run:
#     wrk -t2 -c16 -s scripts/bench/write-cycle.lua on /api/v1/workspaces, which keeps cycles of POST (a new
#     slug) -> GET /{id} -> DELETE /{id} going on every connection and checks every response. A run with a
#     non-2xx or unexpected answer, a socket error, or more workspaces left afterwards than cycles can be in
#     flight (16) is reported FAILED, not as a figure. After each run POST /__admin/reset puts the store back
#     to its n records (checked with total_count). The server runs with --max-created-workspaces 1000000000
#     (the default, 10 000 creates per namespace, would stop a run). Prints cycles/s, requests/s, create and
#     get p50/p99, server CPU per cycle, the list's req/s and CPU per request, and the ratios: cycles/s and
#     list req/s at 100 000 / at 100, and a cycle's cost / a list request's, in time (list req/s / cycles/s)
#     and in server CPU (per cycle / per list request); a write and a page should cost the same within 2x
#     whatever the store size. nginx has no counterpart for writes. The create and get percentiles are the
#     script's own: wrk's mix the three kinds, and wrk 4 adds made-up samples after every stall (its
#     "coordinated omission" correction), which on this busy machine put its p99 at 50-120 ms when the
#     script measured 5-12 ms for creates and gets.
#     Why -c16: every write takes the namespace's lock, so writes run one at a time whatever the number of
#     connections. Measured on the 10 000 store: cycles/s did not depend on the concurrency from -c2 to -c64
#     (within the noise of a busy machine), while the create p50 went from ~0.15 ms (-c2) to ~1 ms (-c16)
#     and ~4 ms (-c64). -c16, 8 per wrk thread, keeps both server loops supplied with several requests per
#     wake-up, matches ab's -c16 above, and keeps the store within 16 workspaces of its size (at most 16
#     cycles in flight).
#     Portkey (issue 14), for each size after the OpenRouter server has stopped: a store of n Portkey
#     workspaces (mkstore.py --portkey: the seed's records with new unique id/slug, one default workspace;
#     the seed's OpenRouter records) on a server of its own; each run is wrk -t2 -c64 on
#     /v1/admin/workspaces?page_size=50, then WRITE_CYCLE_VENDOR=portkey write-cycle.lua -t2 -c16 on
#     /v1/admin/workspaces (POST {"name"} answered 200 with the workspace, GET /{id} 200 with the same id,
#     name and `users`, DELETE /{id} 200 exactly {}), then the reset (checked with the list's total). The
#     same checks fail a run, and a second table prints the same figures and ratios.
# Prints a table with each figure and the ratio gateway-mock / nginx, then the scaling and write tables.
# "other processes' CPU" (keep-alive runs) is what the rest of the machine used meanwhile, roughly:
# whole-machine busy time from /proc/stat less the server's and wrk's. Well above 0.2 cores means someone else's build or
# test disturbed the run; the load averages at start and end are printed too.
# Note: nginx uses one worker process (one core); gateway-mock's threads may use both cores, and wrk
# shares the same 2 cores. CPU per request is the figure that does not depend on that.
# Needs wrk, nginx, ab, curl, python3: missing ones are installed with apt-get (as root).
set -euo pipefail

RUNS=3
DURATION=10
STARTS=20
SCALE_STARTS=10
SCALING=1
WRITES=1
WRITES_ONLY=""
AB_REQUESTS=20000
WRITE_CONNECTIONS=16
MAX_CREATED=1000000000
while (($#)); do
    case "$1" in
    --quick) DURATION=3 ;;
    --runs) RUNS="$2"; shift ;;
    --duration) DURATION="$2"; shift ;;
    --starts) STARTS="$2"; shift ;;
    --scale-starts) SCALE_STARTS="$2"; shift ;;
    --no-scaling) SCALING="" ;;
    --no-writes) WRITES="" ;;
    --writes-only) WRITES_ONLY=1 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done

if [[ -n $WRITES_ONLY && (-z $SCALING || -z $WRITES) ]]; then
    echo "--writes-only cannot be combined with --no-scaling or --no-writes" >&2
    exit 2
fi

# shellcheck source=scripts/bench/lib.sh
source "$(dirname "$0")/bench/lib.sh"
setup_common
SCRIPT_START=$(date +%s)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
chmod 755 "$WORK_DIR" # nginx's worker runs as nobody and must read the bodies
RESULTS="$WORK_DIR/results.tsv"
: >"$RESULTS"
if [[ -n $WRITES_ONLY ]]; then
    ensure_tools wrk:wrk curl:curl python3:python3
else
    ensure_tools wrk:wrk nginx:nginx-light ab:apache2-utils curl:curl python3:python3
fi
build_mock
PROVENANCE=$(provenance)
cp "$GM_BIN" "$WORK_DIR/gateway-mock" # the binary measured stays the same whatever is rebuilt meanwhile
GM_BIN="$WORK_DIR/gateway-mock"

record() { printf '%s\n' "$*" | tr ' ' '\t' >>"$RESULTS"; } # kind server route key=value...

# measure_wrk KIND SERVER ROUTE PIDS URL HEADER wrk-args...: one wrk run with CPU and peak-RSS accounting.
measure_wrk() {
    local kind="$1" server="$2" route="$3" pids="$4" url="$5" header="$6"
    shift 6
    local c0 c1 m0 m1 line sampler client
    # shellcheck disable=SC2086
    c0=$(cpu_sum $pids)
    m0=$(machine_busy_ticks)
    echo 0 >"$WORK_DIR/rss.max"
    # shellcheck disable=SC2086
    start_bg rss_sampler "$WORK_DIR/rss.max" $pids
    sampler=$BG_PID
    line=$(run_wrk "$WORK_DIR/wrk.last" "$@" --latency -H "$header" "$url")
    # shellcheck disable=SC2086
    c1=$(cpu_sum $pids)
    m1=$(machine_busy_ticks)
    kill "$sampler" 2>/dev/null || true
    wait "$sampler" 2>/dev/null || true
    # CPU of everything else on the machine meanwhile (other users' builds and tests disturb the figures).
    client=$(field "$line" client_cpu_ms)
    # shellcheck disable=SC2086 # the key=value pairs are meant to split
    record "$kind" "$server" "$route" ${line#WRK_RESULT } "cpu_ticks=$((c1 - c0))" "rss_kb=$(cat "$WORK_DIR/rss.max")" \
        "other_ms=$(((m1 - m0 - c1 + c0) * 1000 / CLK_TCK - ${client:-0}))"
    sleep 1
}

# timed_starts OUT.json startup.py-args...
timed_starts() {
    local out="$1"
    shift
    python3 "$BENCH_DIR/startup.py" "$@" >"$out" || log "startup.py failed: $*"
}

# The comparison with nginx (steps 1-4); --writes-only skips it.
if [[ -z $WRITES_ONLY ]]; then
    # ---- servers -----------------------------------------------------------------------------------------
    start_mock main
    MOCK_MAIN_PID=$MOCK_PID
    MOCK_URL="http://127.0.0.1:$MOCK_PORT"
    sleep 0.5
    record idle mock - "rss_kb=$(rss_kb "$MOCK_MAIN_PID")"

    NGX="$WORK_DIR/nginx"
    mkdir -p "$NGX/html" "$NGX/tmp" "$NGX/logs"
    chmod -R 755 "$NGX"
    for route in or pk; do
        if [[ $route == or ]]; then path=$OR_PATH hdr="Authorization: Bearer $OR_KEY" file=openrouter.json
        else path=$PK_PATH hdr="x-portkey-api-key: $PK_KEY" file=portkey.json; fi
        code=$(curl -sS -o "$NGX/html/$file" -w '%{http_code}' -H "$hdr" "$MOCK_URL$path")
        [[ $code == 200 ]] || die "the mock answered $code to $path"
    done
    chmod 644 "$NGX/html/"*.json
    NGINX_PORT=$(free_port)
    sed -e "s#@PREFIX@#$NGX#g" -e "s#@PORT@#$NGINX_PORT#g" -e "s#@OR_KEY@#$OR_KEY#g" -e "s#@PK_KEY@#$PK_KEY#g" \
        "$BENCH_DIR/nginx.conf.template" >"$NGX/nginx.conf"
    NGINX_CMD=(nginx -p "$NGX" -c "$NGX/nginx.conf" -e "$NGX/error.log" -g 'daemon off;')
    start_bg "${NGINX_CMD[@]}" >"$WORK_DIR/nginx.out" 2>&1
    NGINX_PID=$BG_PID
    NGINX_URL="http://127.0.0.1:$NGINX_PORT"
    wait_http "$NGINX_URL$OR_PATH" -H "Authorization: Bearer $OR_KEY" ||
        die "nginx did not answer: $(tail -n 5 "$NGX/error.log" "$WORK_DIR/nginx.out" 2>/dev/null)"
    NGINX_WORKER=$(pgrep -P "$NGINX_PID" | head -n 1)
    [[ -n $NGINX_WORKER ]] || die "no nginx worker process"
    # Same bytes, same key checks.
    for route in or pk; do
        if [[ $route == or ]]; then path=$OR_PATH hdr="Authorization: Bearer $OR_KEY" file=openrouter.json
        else path=$PK_PATH hdr="x-portkey-api-key: $PK_KEY" file=portkey.json; fi
        curl -sS -H "$hdr" "$NGINX_URL$path" | cmp -s - "$NGX/html/$file" || die "nginx body differs on $path"
        curl -sS -H "$hdr" "$MOCK_URL$path" | cmp -s - "$NGX/html/$file" || die "mock body is not stable on $path"
        for base in "$MOCK_URL" "$NGINX_URL"; do
            code=$(curl -sS -o /dev/null -w '%{http_code}' "$base$path")
            [[ $code == 401 ]] || die "$base$path without key answered $code, not 401"
        done
    done
    record idle nginx - "rss_kb=$(rss_sum "$NGINX_PID" "$NGINX_WORKER")"
    log "gateway-mock pid $MOCK_MAIN_PID on port $MOCK_PORT, nginx pid $NGINX_PID (worker $NGINX_WORKER) on port $NGINX_PORT"
    log "bodies: openrouter $(wc -c <"$NGX/html/openrouter.json") B, portkey $(wc -c <"$NGX/html/portkey.json") B"

    server_pids() { if [[ $1 == mock ]]; then echo "$MOCK_MAIN_PID"; else echo "$NGINX_PID $NGINX_WORKER"; fi; }
    server_url() { if [[ $1 == mock ]]; then echo "$MOCK_URL"; else echo "$NGINX_URL"; fi; }
    route_path() { if [[ $1 == or ]]; then echo "$OR_PATH"; else echo "$PK_PATH"; fi; }
    route_header() { if [[ $1 == or ]]; then echo "Authorization: Bearer $OR_KEY"; else echo "x-portkey-api-key: $PK_KEY"; fi; }

    # ---- keep-alive, -c64 and -c1 --------------------------------------------------------------------------
    for kind in ka c1; do
        for route in or pk; do
            for run in $(seq "$RUNS"); do
                for server in mock nginx; do
                    if [[ $kind == ka ]]; then args=(-t2 -c64); else args=(-t1 -c1); fi
                    log "$kind $route run $run/$RUNS: $server wrk ${args[*]} -d${DURATION}s"
                    measure_wrk "$kind" "$server" "$route" "$(server_pids "$server")" \
                        "$(server_url "$server")$(route_path "$route")" "$(route_header "$route")" \
                        "${args[@]}" -d"${DURATION}s" --timeout 5s
                done
            done
        done
    done

    # ---- a connection per request (ab) ------------------------------------------------------------------------
    for route in or pk; do
        for run in $(seq "$RUNS"); do
            for server in mock nginx; do
                log "close $route run $run/$RUNS: $server ab -n $AB_REQUESTS -c 16 -H 'Connection: close'"
                pids=$(server_pids "$server")
                # shellcheck disable=SC2086
                c0=$(cpu_sum $pids)
                timeout 300 ab -q -n "$AB_REQUESTS" -c 16 -H 'Connection: close' -H "$(route_header "$route")" \
                    "$(server_url "$server")$(route_path "$route")" >"$WORK_DIR/ab.last" 2>&1 || true
                # shellcheck disable=SC2086
                c1=$(cpu_sum $pids)
                rps=$(awk '/^Requests per second:/ {print $4}' "$WORK_DIR/ab.last")
                done_=$(awk '/^Complete requests:/ {print $3}' "$WORK_DIR/ab.last")
                failed=$(awk '/^Failed requests:/ {print $3}' "$WORK_DIR/ab.last")
                non2xx=$(awk '/^Non-2xx responses:/ {print $3}' "$WORK_DIR/ab.last")
                p50=$(awk '$1 == "50%" {print $2}' "$WORK_DIR/ab.last")
                p99=$(awk '$1 == "99%" {print $2}' "$WORK_DIR/ab.last")
                [[ -n $rps ]] || log "ab failed: $(tail -n 3 "$WORK_DIR/ab.last")"
                record close "$server" "$route" "rps=${rps:-0}" "requests=${done_:-0}" "failed=${failed:-0}" \
                    "non2xx=${non2xx:-0}" "p50_ms=${p50:-0}" "p99_ms=${p99:-0}" "cpu_ticks=$((c1 - c0))"
                sleep 1
            done
        done
    done

    stop_pid "$MOCK_MAIN_PID"
    stop_pid "$NGINX_PID"

    # ---- keep-alive with the access log on ----------------------------------------------------------------------
    # gateway-mock as the README runs it (access log on, stderr to a file) against nginx with its default
    # access log (the combined format) to a file; the same wrk runs as above, on fresh servers.
    MOCK_ACCESS_LOG=1 start_mock logged
    MOCK_MAIN_PID=$MOCK_PID
    MOCK_URL="http://127.0.0.1:$MOCK_PORT"
    LOGGED_PORT=$(free_port)
    sed -e "s#@PREFIX@#$NGX#g" -e "s#@PORT@#$LOGGED_PORT#g" -e "s#@OR_KEY@#$OR_KEY#g" -e "s#@PK_KEY@#$PK_KEY#g" \
        -e "s#access_log off;#access_log $NGX/logs/access.log;#" "$BENCH_DIR/nginx.conf.template" >"$NGX/nginx-logged.conf"
    start_bg nginx -p "$NGX" -c "$NGX/nginx-logged.conf" -e "$NGX/error.log" -g 'daemon off;' >>"$WORK_DIR/nginx.out" 2>&1
    NGINX_PID=$BG_PID
    NGINX_URL="http://127.0.0.1:$LOGGED_PORT"
    wait_http "$NGINX_URL$OR_PATH" -H "Authorization: Bearer $OR_KEY" || die "nginx with an access log did not answer"
    NGINX_WORKER=$(pgrep -P "$NGINX_PID" | head -n 1)
    for route in or pk; do
        for run in $(seq "$RUNS"); do
            for server in mock nginx; do
                log "ka-log $route run $run/$RUNS: $server (access log on) wrk -t2 -c64 -d${DURATION}s"
                measure_wrk ka-log "$server" "$route" "$(server_pids "$server")" \
                    "$(server_url "$server")$(route_path "$route")" "$(route_header "$route")" \
                    -t2 -c64 -d"${DURATION}s" --timeout 5s
            done
        done
    done
    stop_pid "$MOCK_MAIN_PID" # SIGTERM: the mock writes out its buffered lines before it exits
    stop_pid "$NGINX_PID"
    # Lines for the two workspace listings, to compare with the requests wrk counted (a few more: the ones
    # in flight when a run ended), and the mock's notices of dropped lines (none expected into a file).
    record log-lines mock - "lines=$(grep -cE ' GET (/api/v1/workspaces|/v1/admin/workspaces)\?' "$WORK_DIR/logged.err" || true)" \
        "dropped=$(grep -oE '^gateway-mock: [0-9]+ log lines dropped' "$WORK_DIR/logged.err" | awk '{n += $2} END {print n + 0}')"
    record log-lines nginx - "lines=$(grep -cE '"GET (/api/v1/workspaces|/v1/admin/workspaces)\?' "$NGX/logs/access.log" || true)" dropped=0

    # ---- start-up ---------------------------------------------------------------------------------------------
    log "start-up: $STARTS starts each, exec to first 200 on $OR_PATH"
    STARTUP_ARGS=(--starts "$STARTS" --path "$OR_PATH" --header "Authorization: Bearer $OR_KEY")
    timed_starts "$WORK_DIR/startup.mock.json" "${STARTUP_ARGS[@]}" -- "$GM_BIN" --port 0 --port-file '{portfile}' --quiet
    timed_starts "$WORK_DIR/startup.nginx.json" "${STARTUP_ARGS[@]}" --port "$NGINX_PORT" -- "${NGINX_CMD[@]}"
fi

# store_total PORT [pk]: the OpenRouter list's total_count, or with pk the Portkey list's total (nothing if
# the server does not answer).
store_total() {
    if [[ ${2:-} == pk ]]; then
        curl -sS --max-time 10 -H "x-portkey-api-key: $PK_KEY" "http://127.0.0.1:$1$PK_PATH" 2>/dev/null |
            grep -o '"total":[0-9]*' | cut -d: -f2 || true
    else
        curl -sS --max-time 10 -H "Authorization: Bearer $OR_KEY" "http://127.0.0.1:$1$OR_PATH" 2>/dev/null |
            grep -o '"total_count":[0-9]*' | cut -d: -f2 || true
    fi
}

# write_run KIND VENDOR N RUN: one run of write-cycle.lua on the server at MOCK_PID/MOCK_PORT, whose store
# has N workspaces of VENDOR (or, pk); records it as KIND, with the workspaces left over, then resets the
# store and checks it is back to N.
write_run() {
    local kind="$1" vendor="$2" n="$3" run="$4" path header name error total code
    if [[ $vendor == pk ]]; then
        path=/v1/admin/workspaces header="x-portkey-api-key: $PK_KEY" name=portkey
    else
        path=/api/v1/workspaces header="Authorization: Bearer $OR_KEY" name=openrouter
    fi
    log "writes ($name) $n run $run/$RUNS: wrk -t2 -c$WRITE_CONNECTIONS -d${DURATION}s -s write-cycle.lua"
    WRK_SCRIPT="$BENCH_DIR/write-cycle.lua" WRITE_CYCLE_TAG="r$run" WRITE_CYCLE_VENDOR="$name" \
        measure_wrk "$kind" mock "$n" "$MOCK_PID" "http://127.0.0.1:$MOCK_PORT$path" "$header" \
        -t2 -c"$WRITE_CONNECTIONS" -d"${DURATION}s" --timeout 5s
    if error=$(grep -m 1 '^WRK_ERROR ' "$WORK_DIR/wrk.last"); then
        log "writes ($name) $n run $run: first bad answer: ${error#WRK_ERROR }"
        printf '%s\t%s\t%s\t%s\n' "$kind" "$n" "$run" "${error#WRK_ERROR }" >>"$WORK_DIR/write-errors.txt"
    fi
    # Workspaces of the cycles still in flight when wrk stopped (at most one per connection) are
    # left; more means deletes that answered 200 without deleting.
    total=$(store_total "$MOCK_PORT" "$vendor")
    [[ -n $total ]] || die "the server on the $name store of $n stopped answering after the write run"
    sed -i "\$ s/\$/\tleft_over=$((total - n))/" "$RESULTS"
    code=$(curl -sS -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$MOCK_PORT/__admin/reset")
    total=$(store_total "$MOCK_PORT" "$vendor")
    [[ $code == 200 && $total == "$n" ]] || die "reset answered $code, then $name total '$total', not $n"
}

# ---- scaling and writes -------------------------------------------------------------------------------------
if [[ -n $SCALING ]]; then
    : >"$WORK_DIR/write-errors.txt"
    for n in 100 10000 100000; do
        store="$WORK_DIR/stores/$n"
        log "scaling: writing a store of $n OpenRouter records"
        bytes=$(python3 "$BENCH_DIR/mkstore.py" "$REPO_ROOT/seed-data" "$n" "$store")
        if [[ -z $WRITES_ONLY ]]; then
            starts=$SCALE_STARTS
            ((n < 100000 || starts <= 5)) || starts=$(((starts + 1) / 2)) # 100 000 records take seconds to load
            log "scaling $n: $starts timed starts"
            timed_starts "$WORK_DIR/startup.$n.json" --starts "$starts" --path "$OR_PATH" \
                --header "Authorization: Bearer $OR_KEY" -- "$GM_BIN" --port 0 --port-file '{portfile}' --quiet \
                --seed-data "$store"
        fi
        start_mock "scale$n" --seed-data "$store" --max-created-workspaces "$MAX_CREATED"
        total=$(store_total "$MOCK_PORT")
        [[ $total == "$n" ]] || die "the server on the store of $n answered total_count '$total'"
        sleep 0.5
        record scale-idle mock "$n" "rss_kb=$(rss_kb "$MOCK_PID")" "file_bytes=$bytes"
        for run in $(seq "$RUNS"); do
            log "scaling $n run $run/$RUNS: wrk -t2 -c64 -d${DURATION}s"
            measure_wrk "scale-ka" mock "$n" "$MOCK_PID" "http://127.0.0.1:$MOCK_PORT$OR_PATH" \
                "Authorization: Bearer $OR_KEY" -t2 -c64 -d"${DURATION}s" --timeout 5s
            [[ -n $WRITES ]] || continue
            write_run write or "$n" "$run"
        done
        stop_pid "$MOCK_PID"
        rm -rf "$store"
        [[ -n $WRITES ]] || continue

        # The same for Portkey (issue 14): a store of n Portkey workspaces (and the seed's OpenRouter ones),
        # its list page then its write cycles, on one server.
        log "writes: writing a store of $n Portkey workspaces"
        bytes=$(python3 "$BENCH_DIR/mkstore.py" --portkey "$REPO_ROOT/seed-data" "$n" "$store")
        start_mock "pk$n" --seed-data "$store" --max-created-workspaces "$MAX_CREATED"
        total=$(store_total "$MOCK_PORT" pk)
        [[ $total == "$n" ]] || die "the server on the Portkey store of $n answered total '$total'"
        sleep 0.5
        record pk-idle mock "$n" "rss_kb=$(rss_kb "$MOCK_PID")" "file_bytes=$bytes"
        for run in $(seq "$RUNS"); do
            log "Portkey list $n run $run/$RUNS: wrk -t2 -c64 -d${DURATION}s"
            measure_wrk "pk-list" mock "$n" "$MOCK_PID" "http://127.0.0.1:$MOCK_PORT$PK_PATH" \
                "x-portkey-api-key: $PK_KEY" -t2 -c64 -d"${DURATION}s" --timeout 5s
            write_run pk-write pk "$n" "$run"
        done
        stop_pid "$MOCK_PID"
        rm -rf "$store"
    done
fi

# ---- report -------------------------------------------------------------------------------------------------
ELAPSED=$(($(date +%s) - SCRIPT_START))
LOADS="load average at start $LOAD_START, at end $(cut -d' ' -f1-3 /proc/loadavg)"
NGINX_VERSION="nginx not run"
[[ -n $WRITES_ONLY ]] || NGINX_VERSION=$(nginx -v 2>&1 | sed 's/^.*: //')
python3 - "$WORK_DIR" "$CLK_TCK" "$DURATION" "$RUNS" "$STARTS" "$SCALE_STARTS" "$ELAPSED" "$AB_REQUESTS" \
    "$PROVENANCE" "$NGINX_VERSION" "$LOADS" "$WRITE_CONNECTIONS" <<'PY'
import json, os, statistics, sys

work, clk, duration, runs, starts, scale_starts, elapsed, ab_n, provenance, nginx_version, loads, write_c = sys.argv[1:]
clk = int(clk)
write_c = int(write_c)
rows = []
for line in open(os.path.join(work, "results.tsv")):
    kind, server, route, *kvs = line.rstrip("\n").split("\t")
    values = {}
    for kv in kvs:
        k, _, v = kv.partition("=")
        try:
            values[k] = float(v)
        except ValueError:
            pass
    rows.append((kind, server, route, values))

def pick(kind, server, route):
    return [v for k, s, r, v in rows if k == kind and s == server and r == route]

def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None

def rps(v):  # wrk
    return v["requests"] / (v["duration_us"] / 1e6) if v.get("duration_us") else None

def cpu_us(v):
    n = v.get("requests") or 0
    return v["cpu_ticks"] / clk * 1e6 / n if n else None

def cores(v):
    return v["cpu_ticks"] / clk / (v["duration_us"] / 1e6) if v.get("duration_us") else None

def other(v):  # CPU of processes other than the server and the client, in cores
    return max(0.0, v.get("other_ms", 0) / 1000) / (v["duration_us"] / 1e6) if v.get("duration_us") else None

def load_json(name):
    try:
        return json.load(open(os.path.join(work, name)))
    except (OSError, ValueError):
        return {}

table = []  # (label, mock, nginx, fmt, better)
def add(label, f, kind, route, fmt, better):
    m = med([f(v) for v in pick(kind, "mock", route)])
    n = med([f(v) for v in pick(kind, "nginx", route)])
    table.append((label, m, n, fmt, better))

names = {"or": "OpenRouter", "pk": "Portkey"}
for route in ("or", "pk"):
    R = names[route]
    add(f"{R} keep-alive -c64: req/s", rps, "ka", route, "{:.0f}", "higher")
    add(f"{R} keep-alive -c64: p50 ms", lambda v: v["p50_us"] / 1000, "ka", route, "{:.2f}", "lower")
    add(f"{R} keep-alive -c64: p99 ms", lambda v: v["p99_us"] / 1000, "ka", route, "{:.2f}", "lower")
    add(f"{R} keep-alive -c64: server CPU us/req", cpu_us, "ka", route, "{:.1f}", "lower")
    add(f"{R} keep-alive -c64: server CPU cores", cores, "ka", route, "{:.2f}", "-")
    add(f"{R} keep-alive -c64: RSS under load MiB", lambda v: v["rss_kb"] / 1024, "ka", route, "{:.1f}", "lower")
    add(f"{R} keep-alive -c64: other processes' CPU cores", other, "ka", route, "{:.2f}", "-")
for route in ("or", "pk"):
    R = names[route]
    add(f"{R} keep-alive -c64, access log on: req/s", rps, "ka-log", route, "{:.0f}", "higher")
    add(f"{R} keep-alive -c64, access log on: server CPU us/req", cpu_us, "ka-log", route, "{:.1f}", "lower")
    add(f"{R} keep-alive -c64, access log on: p99 ms", lambda v: v["p99_us"] / 1000, "ka-log", route, "{:.2f}",
        "lower")
logged = {s: sum(v.get("requests", 0) for k, srv, r, v in rows if k == "ka-log" and srv == s) for s in ("mock", "nginx")}
lines = {s: (pick("log-lines", s, "-") or [{}])[0] for s in ("mock", "nginx")}
table.append(("access-log lines / requests counted by wrk",
              lines["mock"].get("lines", 0) / logged["mock"] if logged["mock"] else None,
              lines["nginx"].get("lines", 0) / logged["nginx"] if logged["nginx"] else None, "{:.4f}", "-"))
table.append(("access-log lines dropped", lines["mock"].get("dropped"), lines["nginx"].get("dropped"), "{:.0f}", "-"))
for route in ("or", "pk"):
    R = names[route]
    add(f"{R} -t1 -c1: req/s", rps, "c1", route, "{:.0f}", "higher")
    add(f"{R} -t1 -c1: p50 ms", lambda v: v["p50_us"] / 1000, "c1", route, "{:.3f}", "lower")
    add(f"{R} -t1 -c1: p99 ms", lambda v: v["p99_us"] / 1000, "c1", route, "{:.3f}", "lower")
for route in ("or", "pk"):
    R = names[route]
    add(f"{R} conn/request (ab -c16): req/s", lambda v: v["rps"], "close", route, "{:.0f}", "higher")
    add(f"{R} conn/request (ab -c16): p99 ms", lambda v: v["p99_ms"], "close", route, "{:.0f}", "lower")
    add(f"{R} conn/request (ab -c16): CPU us/req", lambda v: v["cpu_ticks"] / clk * 1e6 / v["requests"]
        if v.get("requests") else None, "close", route, "{:.1f}", "lower")
sm, sn = load_json("startup.mock.json"), load_json("startup.nginx.json")
table.append((f"start-up, exec to first 200 (median of {starts}) ms", sm.get("median_ms"), sn.get("median_ms"),
              "{:.1f}", "lower"))
table.append(("start-up min / max ms", f"{sm.get('min_ms')} / {sm.get('max_ms')}",
              f"{sn.get('min_ms')} / {sn.get('max_ms')}", "{}", "-"))
idle = {s: med([v["rss_kb"] for v in pick("idle", s, "-")]) for s in ("mock", "nginx")}
table.append(("idle RSS after start MiB", idle["mock"] / 1024 if idle["mock"] else None,
              idle["nginx"] / 1024 if idle["nginx"] else None, "{:.1f}", "lower"))

def fmt(value, f):
    if value is None:
        return "n/a"
    return f.format(value) if not isinstance(value, str) else value

comparison = bool(pick("ka", "mock", "or"))
if comparison:
    print()
    print(f"gateway-mock vs nginx 1 worker, same bytes, 127.0.0.1, 2 cores shared with the client; median of {runs} "
          f"runs of {duration} s (ab: {ab_n} requests)")
    w = max(len(t[0]) for t in table)
    header = f"{'figure':<{w}}  {'gateway-mock':>13}  {'nginx':>13}  {'mock/nginx':>10}  better"
    print("-" * len(header)); print(header); print("-" * len(header))
    for label, m, n, f, better in table:
        ratio = (f"{m / n:.2f}x" if isinstance(m, (int, float)) and isinstance(n, (int, float)) and n
                 and "other processes" not in label and "access-log lines" not in label else "-")
        print(f"{label:<{w}}  {fmt(m, f):>13}  {fmt(n, f):>13}  {ratio:>10}  {better}")
    print("-" * len(header))

# errors
errs = {}
for kind, server, route, v in rows:
    if kind in ("ka", "ka-log", "c1", "scale-ka", "pk-list"):
        e = sum(int(v.get(k, 0)) for k in ("connect", "read", "write", "timeout"))
        s = int(v.get("status", 0))
        errs.setdefault(server, [0, 0, 0])
        errs[server][0] += e
        errs[server][1] += s
    if kind == "close":
        errs.setdefault(server, [0, 0, 0])
        errs[server][2] += int(v.get("failed", 0)) + int(v.get("non2xx", 0))
for server, (e, s, f) in sorted(errs.items()):
    print(f"{server}: wrk socket errors {e}, wrk non-2xx {s}, ab failed/non-2xx {f}")

scale = [(n, load_json(f"startup.{n}.json"), pick("scale-idle", "mock", str(n)), pick("scale-ka", "mock", str(n)))
         for n in (100, 10000, 100000)]
if any(s[1].get("median_ms") for s in scale):
    print()
    print(f"store-size scaling (gateway-mock --seed-data; GET {'/api/v1/workspaces?limit=50'}; median of {runs} runs "
          f"of {duration} s; load time: median of n starts)")
    header = (f"{'records':>8}  {'seed file':>10}  {'load ms':>8}  {'n':>2}  {'load min/max ms':>16}  {'idle RSS':>9}  "
              f"{'req/s':>7}  {'p99 ms':>7}  {'RSS load':>9}  {'other CPU':>9}")
    print("-" * len(header)); print(header); print("-" * len(header))
    default_ka = pick("ka", "mock", "or")
    if sm.get("median_ms") and default_ka:
        print(f"{'120 emb':>8}  {'(in binary)':>10}  {sm['median_ms']:>8.1f}  {sm['starts']:>2}  {str(sm['min_ms']) + '/' + str(sm['max_ms']):>16}  "

              f"{idle['mock'] / 1024:>5.1f} MiB  {med([rps(v) for v in default_ka]):>7.0f}  "
              f"{med([v['p99_us'] / 1000 for v in default_ka]):>7.2f}  {med([v['rss_kb'] for v in default_ka]) / 1024:>5.1f} MiB"
              f"  {med([other(v) for v in default_ka]):>9.2f}")
    for n, st, idle_rows, ka in scale:
        if not st.get("median_ms"):
            continue
        size = idle_rows[0].get("file_bytes", 0) if idle_rows else 0
        irss = idle_rows[0]["rss_kb"] / 1024 if idle_rows else float("nan")
        print(f"{n:>8}  {size / 1e6:>8.2f}MB  {st['median_ms']:>8.1f}  {st['starts']:>2}  {str(st['min_ms']) + '/' + str(st['max_ms']):>16}  "

              f"{irss:>5.1f} MiB  {med([rps(v) for v in ka]) or 0:>7.0f}  {med([v['p99_us'] / 1000 for v in ka]) or 0:>7.2f}  "
              f"{(med([v['rss_kb'] for v in ka]) or 0) / 1024:>5.1f} MiB  {med([other(v) for v in ka]) or 0:>9.2f}")
    print("-" * len(header))
# writes: a run with any bad answer, socket error or unexplained leftover is failed, never a figure.
def write_failure(v):
    why = []
    if int(v.get("bad", 0)):
        why.append(f"{int(v['bad'])} bad answers")
    sock = sum(int(v.get(k, 0)) for k in ("connect", "read", "write", "timeout"))
    if sock:
        why.append(f"{sock} socket errors/timeouts")
    if "cycles" not in v:
        why.append("no result from write-cycle.lua")
    elif not v["cycles"]:
        why.append("no cycle completed")
    left = v.get("left_over")
    if left is None or not 0 <= left <= write_c:
        why.append(f"{left} workspaces left over (at most {write_c} cycles in flight)")
    return ", ".join(why)

def cycles_per_s(v):
    return v["cycles"] / (v["duration_us"] / 1e6)

def cpu_per_cycle(v):
    return v["cpu_ticks"] / clk * 1e6 / v["cycles"]

write_errors = {}
try:
    for line in open(os.path.join(work, "write-errors.txt")):
        kind, n, run, text = line.rstrip("\n").split("\t", 3)
        write_errors.setdefault((kind, n, run), text)
except OSError:
    pass
sizes = (100, 10000, 100000)

def write_table(write_kind, list_kind, title, unit):
    writes = {n: pick(write_kind, "mock", str(n)) for n in sizes}
    if not any(writes.values()):
        return
    print()
    print(title)
    cols = [(unit, 10), ("cycles/s", 8), ("runs cycles/s", 20), ("req/s", 6), ("create p50/p99 ms", 17),
            ("get p50/p99 ms", 14), ("CPU/cycle", 9), ("list req/s", 10), ("list CPU", 8), ("cycle/list", 10),
            ("by CPU", 6), ("other CPU", 9)]
    header = "  ".join(f"{name:>{width}}" for name, width in cols)
    print("-" * len(header)); print(header); print("-" * len(header))
    good = {}
    for n in sizes:
        ws = writes[n]
        if not ws:
            continue
        failures = [(i, write_failure(v)) for i, v in enumerate(ws, 1) if write_failure(v)]
        if failures:
            for i, why in failures:
                first = write_errors.get((write_kind, str(n), str(i)))
                print(f"{n:>10}  FAILED run {i}: {why}" + (f"; first: {first}" if first else ""))
            continue
        lists = pick(list_kind, "mock", str(n))
        row = {
            "cps": med([cycles_per_s(v) for v in ws]),
            "rps": med([rps(v) for v in ws]),
            "cpu": med([cpu_per_cycle(v) for v in ws]),
            "list_rps": med([rps(v) for v in lists]),
            "list_cpu": med([cpu_us(v) for v in lists]),
        }
        good[n] = row
        lat = lambda key: med([v[key] / 1000 for v in ws])
        cells = [
            str(n), f"{row['cps']:.0f}", " ".join(f"{cycles_per_s(v):.0f}" for v in ws), f"{row['rps']:.0f}",
            f"{lat('create_p50_us'):.2f} / {lat('create_p99_us'):.2f}", f"{lat('get_p50_us'):.2f} / {lat('get_p99_us'):.2f}",
            f"{row['cpu']:.1f} us", fmt(row["list_rps"], "{:.0f}"),
            f"{row['list_cpu']:.1f} us" if row["list_cpu"] else "n/a",
            f"{row['list_rps'] / row['cps']:.2f}x" if row["list_rps"] else "n/a",
            f"{row['cpu'] / row['list_cpu']:.2f}x" if row["list_cpu"] else "n/a",
            f"{med([other(v) for v in ws]):.2f}",
        ]
        print("  ".join(f"{cell:>{width}}" for cell, (_, width) in zip(cells, cols)))
    print("-" * len(header))
    print("req/s: all three kinds of request; create/get p50/p99 in ms, measured by the script (a delete's answer "
          "does not name its workspace);")
    print("CPU/cycle and list CPU: the server's CPU time per cycle and per list request; cycle/list: the time a cycle "
          "takes at full load")
    print("in list requests (list req/s / cycles/s); by CPU: server CPU per cycle / per list request. A cycle is 3 "
          "requests, 2 of them writes.")
    if 100 in good and 100000 in good:
        a, b = good[100], good[100000]
        ratios = [("cycles/s", b["cps"] / a["cps"]), ("server CPU per cycle", b["cpu"] / a["cpu"])]
        if a["list_rps"] and b["list_rps"]:
            ratios.append(("list req/s", b["list_rps"] / a["list_rps"]))
            ratios.append(("list CPU per request", b["list_cpu"] / a["list_cpu"]))
        print(f"100 000 {unit} / 100: " + ", ".join(f"{name} {r:.2f}x" for name, r in ratios) + "; "
              + ("all within 2x" if all(0.5 <= r <= 2 for _, r in ratios) else "NOT all within 2x"))
    else:
        print(f"100 000 {unit} / 100: n/a (a store size failed or was not measured)")

write_table("write", "scale-ka",
            f"OpenRouter writes (POST -> GET /{{id}} -> DELETE /{{id}} cycles, wrk -t2 -c{write_c}, "
            f"scripts/bench/write-cycle.lua) and the list (GET ?limit=50, -t2 -c64) on the same server; median of "
            f"{runs} runs of {duration} s", "records")
write_table("pk-write", "pk-list",
            f"Portkey writes (POST -> GET /{{id}} -> DELETE /{{id}} cycles, wrk -t2 -c{write_c}, "
            f"WRITE_CYCLE_VENDOR=portkey) and the list (GET ?page_size=50, -t2 -c64) on the same server; median of "
            f"{runs} runs of {duration} s", "workspaces")
pk_idle = [(n, pick("pk-idle", "mock", str(n))) for n in sizes]
if any(rows_ for _, rows_ in pk_idle):
    print("Portkey stores: " + "; ".join(
        f"{n}: workspaces.json {rows_[0].get('file_bytes', 0) / 1e6:.2f} MB, idle RSS {rows_[0]['rss_kb'] / 1024:.1f} MiB"
        for n, rows_ in pk_idle if rows_))
print(f"gateway-mock: {provenance}; {nginx_version}; wrk {os.popen('wrk -v 2>&1').read().split()[1]}")
print(f"whole script: {elapsed} s; {loads}")
PY
