#!/usr/bin/env bash
# HTTPS benchmark (issue 8): gateway-mock's TLS build against nginx with the same certificate and the same
# response bytes, one after the other with identical settings. Loopback only; stops by itself.
#
#   scripts/bench-tls.sh [SECONDS]      (seconds per wrk run, default 10; about 1 minute in all)
#
# Prints, for each server: keep-alive HTTPS req/s and server CPU µs per request (wrk -t2 -c64), and
# handshakes per second with their CPU cost (ab -c16 with Connection: close: every request is a new TLS
# connection with a full handshake), each with its ratio to nginx. Builds the TLS release binary in
# .build-perf-tls (needs libssl-dev); installs wrk, nginx, ab and curl with apt-get when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${1:-10}"
OR_KEY=sk-or-v1-mock-management
PATH_OR="/api/v1/workspaces?limit=50"

for tool in wrk:wrk nginx:nginx-light ab:apache2-utils curl:curl; do
    command -v "${tool%%:*}" > /dev/null || {
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${tool#*:}" > /dev/null
    }
done
swift build -c release --traits TLS --scratch-path .build-perf-tls 2>&1 | tail -n 1
BIN="$(swift build -c release --traits TLS --scratch-path .build-perf-tls --show-bin-path)/gateway-mock"

WORK=$(mktemp -d /tmp/gm-bench-tls.XXXXXX)
chmod 755 "$WORK"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2> /dev/null || true; done
    wait 2> /dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

scripts/gen-cert.sh "$WORK/certs" > /dev/null
chmod 644 "$WORK/certs/"*.pem
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }
wait_up() { for _ in $(seq 200); do curl -sf --cacert "$WORK/certs/cert.pem" -o /dev/null -H "Authorization: Bearer $OR_KEY" "$1" && return; sleep 0.05; done; echo "no answer from $1" >&2; exit 1; }

MOCK_PORT=$(free_port)
"$BIN" --port "$MOCK_PORT" --quiet --log-level error --tls-cert "$WORK/certs/cert.pem" --tls-key "$WORK/certs/key.pem" > /dev/null &
MOCK_PID=$!
PIDS+=("$MOCK_PID")
wait_up "https://localhost:$MOCK_PORT$PATH_OR"

mkdir -p "$WORK/nginx/html" "$WORK/nginx/tmp"
curl -sf --cacert "$WORK/certs/cert.pem" -H "Authorization: Bearer $OR_KEY" "https://localhost:$MOCK_PORT$PATH_OR" > "$WORK/nginx/html/openrouter.json"
chmod -R 755 "$WORK/nginx"
NGINX_PORT=$(free_port)
cat > "$WORK/nginx/nginx.conf" << EOF
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 4096; }
http {
    access_log off; default_type application/json; server_tokens off; keepalive_requests 100000000;
    client_body_temp_path $WORK/nginx/tmp; proxy_temp_path $WORK/nginx/tmp; fastcgi_temp_path $WORK/nginx/tmp;
    uwsgi_temp_path $WORK/nginx/tmp; scgi_temp_path $WORK/nginx/tmp;
    server {
        listen 127.0.0.1:$NGINX_PORT ssl backlog=4096;
        ssl_certificate $WORK/certs/cert.pem; ssl_certificate_key $WORK/certs/key.pem;
        ssl_protocols TLSv1.2 TLSv1.3; ssl_session_cache off; ssl_session_tickets off;
        location = /api/v1/workspaces {
            if (\$http_authorization != "Bearer $OR_KEY") { return 401; }
            alias $WORK/nginx/html/openrouter.json;
        }
    }
}
EOF
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" -g 'daemon off;' &
PIDS+=($!)
NGINX_MASTER=$!
wait_up "https://localhost:$NGINX_PORT$PATH_OR"
NGINX_WORKER=$(pgrep -P "$NGINX_MASTER" | head -n 1)
cmp -s "$WORK/nginx/html/openrouter.json" <(curl -sf --cacert "$WORK/certs/cert.pem" -H "Authorization: Bearer $OR_KEY" "https://localhost:$NGINX_PORT$PATH_OR") ||
    { echo "nginx serves other bytes" >&2; exit 1; }

# measure NAME PID PORT: prints "keepalive_rps keepalive_us handshakes_per_s handshake_us"
measure() {
    local pid=$2 port=$3 before after out requests rps hs_rps hs_requests
    before=$(cpu_ticks "$pid")
    out=$(wrk -t2 -c64 -d"${DURATION}s" -H "Authorization: Bearer $OR_KEY" "https://127.0.0.1:$port$PATH_OR")
    after=$(cpu_ticks "$pid")
    requests=$(awk '/requests in/ {print $1}' <<< "$out")
    rps=$(awk '/Requests\/sec/ {print $2}' <<< "$out")
    local ka_us=$(((after - before) * 10000 / requests))
    before=$(cpu_ticks "$pid")
    out=$(ab -q -n 4000 -c 16 -H "Connection: close" -H "Authorization: Bearer $OR_KEY" "https://127.0.0.1:$port$PATH_OR" 2>&1)
    after=$(cpu_ticks "$pid")
    hs_rps=$(awk '/Requests per second/ {print $4}' <<< "$out")
    hs_requests=$(awk '/Complete requests/ {print $3}' <<< "$out")
    [[ $(awk '/Failed requests/ {print $3}' <<< "$out") == 0 ]] || { echo "ab: failed requests against $1" >&2; exit 1; }
    echo "$rps $ka_us $hs_rps $(((after - before) * 10000 / hs_requests))"
}

read -r m_rps m_us m_hs m_hs_us <<< "$(measure gateway-mock "$MOCK_PID" "$MOCK_PORT")"
read -r n_rps n_us n_hs n_hs_us <<< "$(measure nginx "$NGINX_WORKER" "$NGINX_PORT")"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2fx", a / b}'; }
printf '\nHTTPS, %s s runs, same certificate (EC P-256, TLS 1.3), GET %s\n' "$DURATION" "$PATH_OR"
printf '%-44s %14s %10s %10s\n' "figure" "gateway-mock" "nginx" "mock/nginx"
printf '%-44s %14s %10s %10s\n' "keep-alive wrk -t2 -c64: req/s" "$m_rps" "$n_rps" "$(ratio "$m_rps" "$n_rps")"
printf '%-44s %14s %10s %10s\n' "keep-alive: server CPU us/req" "$m_us" "$n_us" "$(ratio "$m_us" "$n_us")"
printf '%-44s %14s %10s %10s\n' "new TLS connection per request (ab -c16): /s" "$m_hs" "$n_hs" "$(ratio "$m_hs" "$n_hs")"
printf '%-44s %14s %10s %10s\n' "  server CPU us per handshake+request" "$m_hs_us" "$n_hs_us" "$(ratio "$m_hs_us" "$n_hs_us")"
printf 'built from %s; %s\n' "$(git rev-parse --short HEAD 2> /dev/null || echo '?')" "$(nginx -v 2>&1)"
