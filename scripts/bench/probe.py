#!/usr/bin/env python3
"""Latency probe for scripts/soak.sh (loopback only, bounded in time).

Once a second for --duration seconds: one normal `GET /api/v1/workspaces?limit=50` with the management
key on a fresh connection to 127.0.0.1:PORT, timed from connect() to the last byte of the body (a
probe that takes more than --timeout seconds counts as failed). With --pid, also samples the server's
open descriptors, threads and VmRSS from /proc. Prints one JSON object on stdout.
"""

import argparse
import json
import os
import socket
import statistics
import time

REQUEST = (b"GET /api/v1/workspaces?limit=50 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
           b"Authorization: Bearer sk-or-v1-mock-management\r\nConnection: close\r\n\r\n")


def probe(port, timeout):
    started = time.perf_counter()
    try:
        sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    except OSError as error:
        return None, "connect: " + type(error).__name__
    try:
        sock.settimeout(timeout)
        sock.sendall(REQUEST)
        buf, length, end = b"", None, -1
        while True:
            if time.perf_counter() - started > timeout:
                return None, "timeout"
            chunk = sock.recv(65536)
            if not chunk:
                break
            buf += chunk
            if end < 0:
                end = buf.find(b"\r\n\r\n")
                if end >= 0:
                    for line in buf[:end].split(b"\r\n")[1:]:
                        name, _, value = line.partition(b":")
                        if name.strip().lower() == b"content-length":
                            length = int(value.strip())
            if end >= 0 and length is not None and len(buf) >= end + 4 + length:
                break
        elapsed = time.perf_counter() - started
        status = buf.split(b" ", 2)[1].decode() if buf.startswith(b"HTTP/") else "none"
        if status != "200":
            return None, "status " + status
        if length is None or len(buf) < end + 4 + length:
            return None, "short body"
        return elapsed, None
    except socket.timeout:
        return None, "timeout"
    except OSError as error:
        return None, type(error).__name__
    finally:
        sock.close()


def proc_sample(pid):
    try:
        fds = len(os.listdir(f"/proc/{pid}/fd"))
        fields = {}
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                key, _, value = line.partition(":")
                fields[key] = value.split()
        return fds, int(fields["Threads"][0]), int(fields["VmRSS"][0])
    except (OSError, KeyError, ValueError):
        return None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--interval", type=float, default=1.0)
    parser.add_argument("--timeout", type=float, default=5.0)
    parser.add_argument("--pid", type=int)
    parser.add_argument("--limit-ms", type=float, default=100.0)
    args = parser.parse_args()

    latencies, failures, samples = [], {}, []
    start = time.monotonic()
    tick = 0
    while True:
        tick += 1
        target = start + tick * args.interval  # first probe after one interval: the attack is under way
        if target > start + args.duration:
            break
        time.sleep(max(0.0, target - time.monotonic()))
        elapsed, failure = probe(args.port, args.timeout)
        if failure:
            failures[failure] = failures.get(failure, 0) + 1
        else:
            latencies.append(elapsed * 1000)
        if args.pid:
            sample = proc_sample(args.pid)
            if sample:
                samples.append(sample)
    result = {
        "probes": len(latencies) + sum(failures.values()),
        "ok": len(latencies),
        "failed": failures,
        "max_ms": round(max(latencies), 1) if latencies else None,
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "over_limit": sum(1 for l in latencies if l >= args.limit_ms) + sum(failures.values()),
        "limit_ms": args.limit_ms,
        "latencies_ms": [round(l, 1) for l in latencies],
    }
    if samples:
        result["max_fds"] = max(s[0] for s in samples)
        result["max_threads"] = max(s[1] for s in samples)
        result["max_rss_kb"] = max(s[2] for s in samples)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
