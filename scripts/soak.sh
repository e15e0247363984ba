#!/usr/bin/env bash
# Soak test of gateway-mock under a mixed attack (issue 6). Loopback only; bounded; stops by itself.
#
#   scripts/soak.sh [SECONDS]        SECONDS per run, default 60; two runs and one with feed subscribers,
#                                    so about 3*SECONDS + 15 s (128 s measured for two runs of 60, 55 s
#                                    for 20; plus a release build the first time, ~1 min)
#
# It builds the release binary (scratch path .build-perf, or GM_BIN=/path/to/gateway-mock to skip the
# build), starts one server on a free 127.0.0.1 port and records its VmRSS. Then, twice against that same
# process, for SECONDS at the same time:
#   - wrk -t2 -c256 on GET /api/v1/workspaces?limit=50 with the management key;
#   - 500 slow-loris connections (scripts/bench/slowloris.py: a request head trickled one byte every
#     1-2 s, never finished; a connection the server closes is reopened after 1 s);
#   - a stream of malformed requests, one per new connection (scripts/bench/malformed.py: garbage request
#     lines, obs-fold, conflicting Content-Length, CL+TE, huge heads, bad chunk sizes, invalid UTF-8 in the
#     query, lone CRs, ...), counting the statuses that come back;
#   - a probe (scripts/bench/probe.py): one normal request a second on a fresh connection, timed.
# Then one more run, the same attack with subscribers of the live request feed attached
# (scripts/bench/subscribers.py): FEED_READERS (4) subscribers of every namespace reading every event and
# subscribing again when the server closes them for falling behind, FEED_STALLED (4) that never read and
# must be closed by the server (64 KiB bound), FEED_IDLE (200) subscribed to a namespace nobody uses, which
# must stay open and get only heartbeats. SOAK_FEED=0 leaves that run out.
# After each run (and 3 s for lingering connections to close) it reads VmRSS, descriptors and threads.
# The final table has wrk's requests, non-2xx and socket errors, the malformed statuses, the slow-loris
# outcome, the probe latencies (max, and whether every probe stayed under 100 ms), and RSS before, after
# run 1 and after run 2 ("flat" when run 2 ends within 10 % or 2 MiB of run 1) and after the run with
# subscribers (compared the same way with the run before it), the subscribers' outcome, and the CPU used by
# the server, by these clients and by every other process meanwhile (other people's builds disturb the
# figures).
#
# The wrk run lasts SECONDS - 1 (it starts once the slow-loris connections are opening). Environment:
# GM_ARGS="--max-connections 600 ..." adds server flags; SLOW_CONNECTIONS (500) and WRK_CONNECTIONS (256)
# change the attack; SOAK_RUNS=4 makes more identical runs (RSS is then compared between the last two);
# KEEP_WORK_DIR=1 keeps the temp dir with the raw outputs and the server's stderr.
# Needs wrk, curl and python3; installs missing ones with apt-get (as root). Exit status 0 unless the
# tooling fails; the verdicts are in the table (and 3 if the server died during the soak).
set -euo pipefail

DURATION="${1:-60}"
[[ "$DURATION" =~ ^[0-9]+$ && "$DURATION" -ge 5 ]] || { echo "usage: $0 [seconds >= 5]" >&2; exit 2; }
RUNS="${SOAK_RUNS:-2}"
[[ "$RUNS" =~ ^[0-9]+$ && "$RUNS" -ge 2 ]] || { echo "SOAK_RUNS must be 2 or more" >&2; exit 2; }
SLOW_CONNECTIONS="${SLOW_CONNECTIONS:-500}"
WRK_CONNECTIONS="${WRK_CONNECTIONS:-256}"
FEED_READERS="${FEED_READERS:-4}"
FEED_STALLED="${FEED_STALLED:-4}"
FEED_IDLE="${FEED_IDLE:-200}"
SOAK_FEED="${SOAK_FEED:-1}"
export SLOW_CONNECTIONS WRK_CONNECTIONS FEED_READERS FEED_STALLED FEED_IDLE

# shellcheck source=scripts/bench/lib.sh
source "$(dirname "$0")/bench/lib.sh"
setup_common
SCRIPT_START=$(date +%s)
ensure_tools wrk:wrk curl:curl python3:python3
build_mock
PROVENANCE=$(provenance)

# shellcheck disable=SC2086
start_mock soak ${GM_ARGS:-}
PID=$MOCK_PID
PORT=$MOCK_PORT
URL="http://127.0.0.1:$PORT$OR_PATH"
log "gateway-mock pid $PID on port $PORT; ${DURATION}s per run, $RUNS runs$([[ "$SOAK_FEED" == 0 ]] || echo " and one with feed subscribers")"
sleep 0.5
{
    echo "rss_before=$(rss_kb "$PID")"
    echo "fds_before=$(fds_of "$PID")"
    echo "threads_before=$(threads_of "$PID")"
} >"$WORK_DIR/meta"
SERVER_DIED=""

attack() { # RUN [feed]
    local run="$1" feed="${2:-}" pids=() p c0 m0
    times >"$WORK_DIR/times0.$run"
    c0=$(cpu_ticks "$PID")
    m0=$(machine_busy_ticks)
    echo "load_before$run=$(cut -d' ' -f1 /proc/loadavg)" >>"$WORK_DIR/meta"
    log "run $run: wrk -t2 -c$WRK_CONNECTIONS, $SLOW_CONNECTIONS slow-loris, malformed stream, probe${feed:+, feed subscribers ($FEED_READERS reading, $FEED_STALLED stalled, $FEED_IDLE idle)} (${DURATION}s)"
    if [[ -n "$feed" ]]; then
        echo "feed_run=$run" >>"$WORK_DIR/meta"
        start_bg timeout $((DURATION + 30)) python3 "$BENCH_DIR/subscribers.py" --port "$PORT" --duration "$DURATION" \
            --readers "$FEED_READERS" --stalled "$FEED_STALLED" --idle "$FEED_IDLE" >"$WORK_DIR/feed$run.json"
        pids+=("$BG_PID")
    fi
    start_bg timeout $((DURATION + 30)) python3 "$BENCH_DIR/slowloris.py" --port "$PORT" \
        --connections "$SLOW_CONNECTIONS" --duration "$DURATION" >"$WORK_DIR/slow$run.json"
    pids+=("$BG_PID")
    start_bg timeout $((DURATION + 30)) python3 "$BENCH_DIR/malformed.py" --port "$PORT" \
        --duration "$DURATION" >"$WORK_DIR/malformed$run.json"
    pids+=("$BG_PID")
    start_bg timeout $((DURATION + 30)) python3 "$BENCH_DIR/probe.py" --port "$PORT" --pid "$PID" \
        --duration "$DURATION" >"$WORK_DIR/probe$run.json"
    pids+=("$BG_PID")
    sleep 1 # the slow-loris connections are opening (over 2 s)
    run_wrk "$WORK_DIR/wrk$run.txt" -t2 -c"$WRK_CONNECTIONS" -d"$((DURATION - 1))s" --timeout 5s --latency \
        -H "Authorization: Bearer $OR_KEY" "$URL" >/dev/null
    for p in "${pids[@]}"; do wait "$p" || log "a client of run $run exited with status $?"; done
    times >"$WORK_DIR/times1.$run"
    local client_ms=$(($(times_children_ms <"$WORK_DIR/times1.$run") - $(times_children_ms <"$WORK_DIR/times0.$run")))
    local server_ticks=$(($(cpu_ticks "$PID" 2>/dev/null || echo "$c0") - c0))
    local machine_ticks=$(($(machine_busy_ticks) - m0))
    {
        echo "load_after$run=$(cut -d' ' -f1 /proc/loadavg)"
        echo "cpu_server_ms$run=$((server_ticks * 1000 / CLK_TCK))"
        echo "cpu_clients_ms$run=$client_ms"
        echo "cpu_other_ms$run=$(((machine_ticks - server_ticks) * 1000 / CLK_TCK - client_ms))"
    } >>"$WORK_DIR/meta"
    if ! kill -0 "$PID" 2>/dev/null; then
        SERVER_DIED="during run $run"
        log "gateway-mock died during run $run: $(tail -n 5 "$WORK_DIR/soak.err")"
        return
    fi
    sleep 3 # lingering closes (2 s) finish
    {
        echo "rss_after$run=$(rss_kb "$PID")"
        echo "fds_after$run=$(fds_of "$PID")"
        echo "threads_after$run=$(threads_of "$PID")"
        echo "health_after$run=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$PORT/__admin/health" || true)"
    } >>"$WORK_DIR/meta"
}

for run in $(seq "$RUNS"); do
    attack "$run"
    [[ -z "$SERVER_DIED" ]] || break
done
if [[ -z "$SERVER_DIED" && "$SOAK_FEED" != 0 ]]; then attack "$((RUNS + 1))" feed; fi
{
    echo "server_died=$SERVER_DIED"
    echo "seconds=$(($(date +%s) - SCRIPT_START))"
    echo "duration=$DURATION"
    echo "provenance=$PROVENANCE"
} >>"$WORK_DIR/meta"
kill -TERM "$PID" 2>/dev/null || true
for _ in $(seq 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
kill -0 "$PID" 2>/dev/null && { log "gateway-mock still running 10 s after SIGTERM; killing it"; kill -KILL "$PID"; }
set +e
wait "$PID"
echo "exit_status=$?" >>"$WORK_DIR/meta"
set -e

python3 - "$WORK_DIR" <<'PY'
import json, os, re, sys

work = sys.argv[1]
meta = dict(line.rstrip("\n").split("=", 1) for line in open(os.path.join(work, "meta")) if "=" in line)

def load(name):
    try:
        with open(os.path.join(work, name)) as f:
            text = f.read().strip()
        return json.loads(text.splitlines()[-1]) if text else {}
    except (OSError, ValueError):
        return {}

def wrk(run):
    try:
        text = open(os.path.join(work, f"wrk{run}.txt")).read()
    except OSError:
        return {}
    m = re.search(r"^WRK_RESULT (.*)$", text, re.M)
    return {k: float(v) for k, v in (kv.split("=") for kv in m.group(1).split())} if m else {}

def mib(kb):
    return f"{int(kb) / 1024:.1f} MiB" if kb not in (None, "") else "n/a"

runs = [r for r in range(1, 100) if f"rss_after{r}" in meta or os.path.exists(os.path.join(work, f"wrk{r}.txt"))]
rows = []
def row(label, *values):
    rows.append((label, *values))

feed_run = int(meta.get("feed_run", 0))
for r in runs:
    w, s, m, p = wrk(r), load(f"slow{r}.json"), load(f"malformed{r}.json"), load(f"probe{r}.json")
    if r == feed_run:
        f = load(f"feed{r}.json")
        rd, st, idle = f.get("readers", {}), f.get("stalled", {}), f.get("idle", {})
        row(f"run {r}: feed subscribers (reading / stalled / idle)",
            f"{rd.get('slots', 'n/a')} / {st.get('slots', 'n/a')} / {idle.get('slots', 'n/a')}"
            + (f"; refused: readers {rd['refused']}, stalled {st['refused']}, idle {idle['refused']}"
               if rd.get("refused") or st.get("refused") or idle.get("refused") else ""))
        row(f"run {r}: readers: events read / MiB / out of order / malformed",
            f"{rd.get('events', 'n/a')} / {rd.get('event_bytes', 0) / 1048576:.1f} / {rd.get('out_of_order', 'n/a')}"
            f" / {rd.get('malformed', 'n/a')}")
        row(f"run {r}: readers: subscriptions / closed by the server (fell behind)",
            f"{rd.get('subscribed', 'n/a')} / {rd.get('closed_by_server', 'n/a')}")
        row(f"run {r}: stalled subscribers closed by the server",
            f"{st.get('closed_by_server', 'n/a')} of {st.get('subscribed', 'n/a')}"
            + ("" if st.get("closed_by_server") == st.get("slots") else "  (NOT ALL)"))
        row(f"run {r}: idle subscribers open at the end / events / heartbeats each",
            f"{idle.get('open_at_end', 'n/a')} of {idle.get('slots', 'n/a')} / {idle.get('events', 'n/a')}"
            f" / {idle.get('heartbeats_min')}-{idle.get('heartbeats_max')}"
            + ("" if idle.get("open_at_end") == idle.get("slots") and idle.get("events") == 0 else "  (NOT ALL)"))
    req = int(w.get("requests", 0))
    secs = w.get("duration_us", 0) / 1e6
    errors = {k: int(w.get(k, 0)) for k in ("connect", "read", "write", "timeout")}
    row(f"run {r}: wrk requests served", f"{req} ({req / secs:.0f}/s over {secs:.1f} s)" if secs else "n/a")
    row(f"run {r}: wrk latency p50 / p99 / max",
        f"{w.get('p50_us', 0) / 1000:.2f} / {w.get('p99_us', 0) / 1000:.2f} / {w.get('max_us', 0) / 1000:.2f} ms")
    row(f"run {r}: wrk non-2xx/3xx", str(int(w.get("status", 0))))
    row(f"run {r}: wrk socket errors", "connect {connect}, read {read}, write {write}, timeout {timeout}".format(**errors))
    row(f"run {r}: malformed requests sent", str(m.get("sent", "n/a")))
    row(f"run {r}: malformed statuses", ", ".join(f"{k}: {v}" for k, v in m.get("statuses", {}).items()) or "n/a")
    unexpected = m.get("unexpected", {})
    row(f"run {r}: malformed cases off expectation",
        "none" if not unexpected else "; ".join(
            f"{n} (expected {m['expected'][n]}, got {', '.join(f'{k}x{v}' for k, v in seen.items())})"
            for n, seen in unexpected.items()))
    row(f"run {r}: slow-loris opened / max open / open at end",
        f"{s.get('opened', 'n/a')} / {s.get('max_open', 'n/a')} / {s.get('open_at_end', 'n/a')}"
        + (f" (connect failures {s['connect_failed']}: {s['connect_errors']})" if s.get("connect_failed") else ""))
    closed_how = ", ".join(f"{k}: {v}" for k, v in s.get("closed_how", {}).items())
    row(f"run {r}: slow-loris closed by server",
        f"{s.get('closed_by_server', 'n/a')}" + (f" ({closed_how}; lifetime median {s['lifetime_median_s']} s,"
                                                  f" max {s['lifetime_max_s']} s)" if closed_how else ""))
    failed = sum(p.get("failed", {}).values()) if p else 0
    row(f"run {r}: probes ok / failed", f"{p.get('ok', 'n/a')} / {failed}"
        + (f" ({p['failed']})" if failed else ""))
    row(f"run {r}: probe latency p50 / max", f"{p.get('p50_ms')} / {p.get('max_ms')} ms")
    under = p.get("probes", 0) > 0 and p.get("over_limit", 1) == 0
    row(f"run {r}: every probe under 100 ms",
        ("yes" if under else f"NO ({p.get('over_limit')} of {p.get('probes')} at or over 100 ms or failed)"))
    if f"cpu_server_ms{r}" in meta:
        secs_run = float(meta["duration"])
        row(f"run {r}: CPU cores: server / our clients / others",
            " / ".join(f"{max(0, int(meta[f'cpu_{k}_ms{r}'])) / 1000 / secs_run:.2f}" for k in ("server", "clients", "other"))
            + f"  (load average {meta.get(f'load_before{r}')} -> {meta.get(f'load_after{r}')})")
    row(f"run {r}: server peak fds / threads / RSS (1 s samples)",
        f"{p.get('max_fds')} / {p.get('max_threads')} / {mib(p.get('max_rss_kb'))}")
    if f"rss_after{r}" in meta:
        row(f"run {r}: after (+3 s): RSS / fds / threads / health",
            f"{mib(meta[f'rss_after{r}'])} / {meta[f'fds_after{r}']} / {meta[f'threads_after{r}']}"
            f" / {meta[f'health_after{r}']}")

row("RSS before", mib(meta["rss_before"]) + f" (fds {meta['fds_before']}, threads {meta['threads_before']})")
for r in runs:
    if f"rss_after{r}" in meta:
        row(f"RSS after run {r}" + (" (with subscribers)" if r == feed_run else ""), mib(meta[f"rss_after{r}"]))
done = [r for r in runs if f"rss_after{r}" in meta]
plain = [r for r in done if r != feed_run]

def growth(p, q, label):
    a1, a2 = int(meta[f"rss_after{p}"]), int(meta[f"rss_after{q}"])
    flat = a2 <= a1 * 1.10 or a2 - a1 <= 2048
    row(label, f"{(a2 - a1) / 1024:+.1f} MiB ({(a2 - a1) / a1 * 100:+.1f} %): "
        + ("FLAT (within 10 % or 2 MiB)" if flat else "GROWING (more than 10 % and 2 MiB)"))

if len(plain) >= 2:
    growth(plain[-2], plain[-1], f"RSS growth run {plain[-2]} -> run {plain[-1]}")
if feed_run in done and plain:
    growth(plain[-1], feed_run, f"RSS growth run {plain[-1]} -> run {feed_run} (with subscribers)")
if len(done) >= 2:
    fds = [meta["fds_before"]] + [meta[f"fds_after{r}"] for r in done]
    # The feed's heartbeat timer starts Dispatch's timer machinery once (an epoll, an eventfd, a timerfd).
    dispatch = 3 if feed_run in done else 0
    row("descriptors before / after each run", " / ".join(fds)
        + ("" if int(fds[-1]) <= int(fds[0]) + 2 + dispatch else "  (connections still open after the runs)")
        + (f"  ({dispatch} of them Dispatch's, for the feed's heartbeat timer, made once)" if dispatch else ""))
if meta.get("server_died"):
    row("SERVER DIED", meta["server_died"])
row("server exit status after SIGTERM", meta.get("exit_status", "?"))
levels, messages = {}, {}
try:
    for line in open(os.path.join(work, "soak.err"), errors="replace"):
        m = re.match(r"\S+ (trace|debug|info|notice|warning|error|critical) [^:]*: (.*)", line)
        if not m:
            levels["other"] = levels.get("other", 0) + 1
            continue
        levels[m.group(1)] = levels.get(m.group(1), 0) + 1
        text = m.group(2)
        parts = re.match(r"(.*?) ?\[[^\]]*\] (.*)", text)  # swift-log: metadata [label] message
        if parts:
            text = parts.group(2) + (f" ({parts.group(1)})" if parts.group(1) else "")
        text = re.sub(r"\d+", "N", text)[:110]
        messages[text] = messages.get(text, 0) + 1
except OSError:
    pass
row("server stderr lines by level", ", ".join(f"{k}: {v}" for k, v in sorted(levels.items())) or "none")
for text, count in sorted(messages.items(), key=lambda kv: -kv[1])[:6]:
    row("  stderr message", f"{count} x {text}")
row("gateway-mock", meta.get("provenance", "?"))
row("soak duration", f"{meta['duration']} s per run; whole script {meta['seconds']} s")

width = max(len(r[0]) for r in rows)
print()
print(f"gateway-mock soak: wrk -t2 -c{os.environ.get('WRK_CONNECTIONS', '256')} + "
      f"{os.environ.get('SLOW_CONNECTIONS', '500')} slow-loris + malformed stream + 1/s probe"
      + (f"; run {feed_run} with {os.environ.get('FEED_READERS')} reading, {os.environ.get('FEED_STALLED')} stalled"
         f" and {os.environ.get('FEED_IDLE')} idle feed subscribers" if feed_run else ""))
print("-" * (width + 60))
for label, value in rows:
    print(f"{label:<{width}}  {value}")
print("-" * (width + 60))
for r in runs:
    lat = load(f"probe{r}.json").get("latencies_ms", [])
    print(f"run {r} probe latencies (ms, 1/s): " + " ".join(f"{l:g}" for l in lat))
PY
[[ -z "$SERVER_DIED" ]] || exit 3
