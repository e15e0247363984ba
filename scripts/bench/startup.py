#!/usr/bin/env python3
"""Start-up timer for scripts/bench.sh (loopback only, bounded).

Starts a server --starts times, one at a time, and times each from just before exec to the moment the
first `GET PATH` on 127.0.0.1 answers 200 (polling every 0.5 ms), then stops it with SIGTERM and waits
for it to exit. The command comes after `--`; `{portfile}` in it is replaced by a fresh temp file, and
then the port is read from that file (gateway-mock --port 0 --port-file); otherwise --port is polled.
Prints one JSON object: the times in milliseconds, median, min, max.

  startup.py --starts 20 --path '/api/v1/workspaces?limit=50' --header 'Authorization: Bearer KEY' \
      -- gateway-mock --port 0 --port-file {portfile} --quiet
"""

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import tempfile
import time


def get_status(port, request):
    """The status of one GET on a new connection, or None if nothing answers (yet)."""
    try:
        sock = socket.create_connection(("127.0.0.1", port), timeout=2)
    except OSError:
        return None
    try:
        sock.settimeout(2)
        sock.sendall(request)
        buf = b""
        while b"\r\n" not in buf:
            chunk = sock.recv(4096)
            if not chunk:
                break
            buf += chunk
        return buf.split(b" ", 2)[1].decode() if buf.startswith(b"HTTP/") else None
    except OSError:
        return None
    finally:
        sock.close()


def one_start(command, args, request, workdir):
    portfile = os.path.join(workdir, "port")
    if os.path.exists(portfile):
        os.unlink(portfile)
    argv = [a.replace("{portfile}", portfile) for a in command]
    uses_portfile = any("{portfile}" in a for a in command)
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        deadline = started + args.timeout
        port = None if uses_portfile else args.port
        while time.perf_counter() < deadline:
            if process.poll() is not None:
                raise SystemExit(f"startup.py: {argv[0]} exited with status {process.returncode}")
            if port is None:
                try:
                    with open(portfile) as f:
                        text = f.read().strip()
                    port = int(text) if text else None
                except (OSError, ValueError):
                    port = None
            if port is not None and get_status(port, request) == "200":
                return (time.perf_counter() - started) * 1000
            time.sleep(0.0005)
        raise SystemExit(f"startup.py: no 200 within {args.timeout} s")
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--starts", type=int, default=20)
    parser.add_argument("--port", type=int, help="port to poll when the command has no {portfile}")
    parser.add_argument("--path", default="/")
    parser.add_argument("--header", action="append", default=[])
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds allowed for one start")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command after --")
    request = (f"GET {args.path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
               + "".join(h + "\r\n" for h in args.header) + "Connection: close\r\n\r\n").encode()
    times = []
    with tempfile.TemporaryDirectory(prefix="gm-startup.") as workdir:
        for _ in range(args.starts):
            times.append(one_start(command, args, request, workdir))
    print(json.dumps({
        "starts": len(times),
        "median_ms": round(statistics.median(times), 2),
        "min_ms": round(min(times), 2),
        "max_ms": round(max(times), 2),
        "times_ms": [round(t, 2) for t in times],
    }), flush=True)


if __name__ == "__main__":
    main()
