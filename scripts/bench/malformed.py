#!/usr/bin/env python3
"""Malformed-request stream for scripts/soak.sh (loopback only, bounded in time).

Sends a rotating set of invalid requests to 127.0.0.1:PORT for --duration seconds, each on a new
connection, one after the other (--workers in parallel), and reads each answer (up to the end of its
Content-Length body, the server's close, or --timeout seconds). Prints one JSON object on stdout: sent,
the count of each status seen (`400`, `431`, ..., or `timeout`, `no-response`, `reset`,
`connect-error`), and the cases that got something other than their expected status. `--only TEXT`
sends only the cases whose name contains TEXT (e.g. `--only huge`), to see what one case costs.
"""

import argparse
import json
import socket
import threading
import time

HOST = "127.0.0.1"
KEY = b"Authorization: Bearer sk-or-v1-mock-management\r\n"
GOOD_LINE = b"GET /api/v1/workspaces?limit=50 HTTP/1.1\r\n"


def head(*lines, line=GOOD_LINE):
    return line + b"".join(l + b"\r\n" for l in lines) + b"\r\n"


# (name, bytes, expected status)
CASES = [
    ("garbage request line (TLS hello)", b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03\x8f garbage\r\n\r\n", "400"),
    ("request line without version", b"GET /api/v1/workspaces\r\n\r\n", "400"),
    ("method with a separator", head(b"Host: x", line=b"G(T / HTTP/1.1\r\n"), "400"),
    ("obs-fold", head(b"Host: x", b"X-Folded: a", b"  continued"), "400"),
    ("space before colon", head(b"Host : x"), "400"),
    ("conflicting Content-Length", head(b"Host: x", b"Content-Length: 5", b"Content-Length: 6") + b"hello!", "400"),
    ("Content-Length list 5, 6", head(b"Host: x", b"Content-Length: 5, 6") + b"hello!", "400"),
    ("Content-Length + Transfer-Encoding", head(b"Host: x", b"Content-Length: 5", b"Transfer-Encoding: chunked")
     + b"0\r\n\r\n", "400"),
    ("Transfer-Encoding: gzip", head(b"Host: x", b"Transfer-Encoding: gzip") + b"hello", "501"),
    ("bad chunk size (zz)", head(b"Host: x", b"Transfer-Encoding: chunked") + b"zz\r\nhello\r\n0\r\n\r\n", "400"),
    ("chunk size overflow", head(b"Host: x", b"Transfer-Encoding: chunked") + b"fffffffffffffffff\r\nx\r\n", "400"),
    ("negative chunk size", head(b"Host: x", b"Transfer-Encoding: chunked") + b"-1\r\nx\r\n0\r\n\r\n", "400"),
    ("huge header (40 KiB value)", head(b"Host: x", b"X-Big: " + b"a" * 40 * 1024), "431"),
    ("150 header fields", head(b"Host: x", *[b"X-F%d: v" % i for i in range(150)]), "431"),
    ("request line of 10 KiB", head(b"Host: x", line=b"GET /api/v1/workspaces?x=" + b"a" * 10240 + b" HTTP/1.1\r\n"),
     "414"),
    ("Content-Length 2 MB", head(b"Host: x", b"Content-Length: 2000000"), "413"),
    ("raw invalid UTF-8 in query", head(b"Host: x", KEY, line=b"GET /api/v1/workspaces?limit=\xff\xfe HTTP/1.1\r\n"),
     "400"),
    ("percent-encoded invalid UTF-8 in limit", head(b"Host: x", KEY, line=b"GET /api/v1/workspaces?limit=%FF%FE HTTP/1.1\r\n"),
     "400"),
    ("lone CR in the request line", b"GET / HTTP/1.1\rHost: x\r\n\r\n", "400"),
    ("lone CR in a header", head(b"Host: x\rX-A: b"), "400"),
    ("NUL in a header value", head(b"Host: x", b"X-A: a\x00b"), "400"),
    ("HTTP/1.1 without Host", head(KEY.rstrip(b"\r\n")), "400"),
    ("HTTP/2.0 version", head(b"Host: x", line=b"GET / HTTP/2.0\r\n"), "505"),
    ("Expect: 999-nonsense", head(b"Host: x", b"Expect: 999-nonsense"), "417"),
]


def exchange(port, data, timeout):
    """Sends `data` on a new connection; returns the status code (str) or what happened instead."""
    try:
        sock = socket.create_connection((HOST, port), timeout=timeout)
    except OSError:
        return "connect-error"
    try:
        sock.settimeout(timeout)
        try:
            sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may answer and close before it has read everything; read what came
        buf = b""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return status_of(buf) or "timeout"
            sock.settimeout(remaining)
            try:
                chunk = sock.recv(65536)
            except socket.timeout:
                return status_of(buf) or "timeout"
            except ConnectionResetError:
                return status_of(buf) or "reset"
            if not chunk:
                return status_of(buf) or "no-response"
            buf += chunk
            end = buf.find(b"\r\n\r\n")
            if end >= 0:
                length = 0
                for line in buf[:end].split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value.strip() or 0)
                if len(buf) >= end + 4 + length:
                    return status_of(buf)
    finally:
        sock.close()


def status_of(buf):
    if not buf.startswith(b"HTTP/"):
        return None if not buf else "garbled"
    parts = buf.split(b" ", 2)
    return parts[1].decode("ascii", "replace") if len(parts) > 1 else "garbled"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--timeout", type=float, default=2.0, help="seconds to wait for each answer")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--max-requests", type=int, default=1_000_000)
    parser.add_argument("--only", help="send only the cases whose name contains this text")
    args = parser.parse_args()
    cases = [c for c in CASES if not args.only or args.only.lower() in c[0].lower()]
    if not cases:
        parser.error(f"no case matches {args.only!r}")

    deadline = time.monotonic() + args.duration
    lock = threading.Lock()
    totals, per_case, state = {}, {name: {} for name, _, _ in cases}, {"sent": 0}

    def worker(offset):
        index = offset
        while time.monotonic() < deadline:
            with lock:
                if state["sent"] >= args.max_requests:
                    return
                state["sent"] += 1
            name, data, _ = cases[index % len(cases)]
            index += 1
            status = exchange(args.port, data, args.timeout)
            with lock:
                totals[status] = totals.get(status, 0) + 1
                per_case[name][status] = per_case[name].get(status, 0) + 1

    threads = [threading.Thread(target=worker, args=(i * 7,), daemon=True) for i in range(args.workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(args.duration + args.timeout + 10)
    unexpected = {
        name: seen for name, data, expected in cases for seen in [per_case[name]] if set(seen) - {expected}
    }
    print(json.dumps({
        "sent": state["sent"],
        "statuses": dict(sorted(totals.items())),
        "cases": len(cases),
        "unexpected": unexpected,
        "expected": {name: expected for name, _, expected in cases},
    }), flush=True)


if __name__ == "__main__":
    main()
