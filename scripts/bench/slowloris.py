#!/usr/bin/env python3
"""Slow-loris client for scripts/soak.sh (loopback only, bounded in time and in connections).

Keeps --connections connections open to 127.0.0.1:PORT. Each one trickles a request head, one byte
every 1-2 s (random), and never finishes it (after the request line come endless `X-Slow-N: ...`
header lines, never the empty line). When the server closes a connection (or answers, e.g. 408),
that is recorded and the slot reconnects after 1 s, so the pressure stays on; at most
--max-opens connections are opened in all. Stops by itself after --duration seconds and prints one
JSON object on stdout:

  opened, connect_failed, max_open, open_at_end (never closed by the server), closed_by_server with
  what came back (`408`, `no-response`, `reset`, ...), and the lifetimes of those closed connections.
"""

import argparse
import asyncio
import json
import random
import statistics
import time

HOST = "127.0.0.1"


def payload_byte(pos):
    head = b"GET /api/v1/workspaces?limit=50 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    if pos < len(head):
        return head[pos : pos + 1]
    line = b"X-Slow-%d: %s\r\n"
    pos -= len(head)
    n = 0
    while True:  # endless header lines; the empty line never comes
        cur = line % (n, b"z" * 8)
        if pos < len(cur):
            return cur[pos : pos + 1]
        pos -= len(cur)
        n += 1


class Stats:
    def __init__(self):
        self.opened = 0
        self.connect_failed = 0
        self.connect_errors = {}
        self.open_now = 0
        self.max_open = 0
        self.closed = {}
        self.lifetimes = []
        self.open_at_end = 0
        self.bytes_sent = 0


async def slot(index, args, deadline, stats, rng):
    await asyncio.sleep(index * args.ramp / max(1, args.connections))  # open them over --ramp seconds
    while time.monotonic() < deadline and stats.opened < args.max_opens:
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, args.port), 5)
        except (OSError, asyncio.TimeoutError) as error:
            stats.connect_failed += 1
            name = type(error).__name__
            stats.connect_errors[name] = stats.connect_errors.get(name, 0) + 1
            await asyncio.sleep(1)
            continue
        stats.opened += 1
        stats.open_now += 1
        stats.max_open = max(stats.max_open, stats.open_now)
        started = time.monotonic()
        outcome = None
        read_task = asyncio.ensure_future(reader.read(4096))
        pos = 0
        try:
            while time.monotonic() < deadline:
                writer.write(payload_byte(pos))
                pos += 1
                stats.bytes_sent += 1
                await writer.drain()
                wait = min(rng.uniform(1.0, 2.0), max(0.0, deadline - time.monotonic()))
                done, _ = await asyncio.wait({read_task}, timeout=wait)
                if done:
                    data = read_task.result()
                    if data.startswith(b"HTTP/"):
                        parts = data.split(b" ", 2)
                        outcome = parts[1].decode("ascii", "replace") if len(parts) > 1 else "garbled"
                    else:
                        outcome = "no-response" if not data else "garbled"
                    break
        except (ConnectionResetError, BrokenPipeError):
            outcome = "reset"
        except OSError as error:
            outcome = type(error).__name__
        finally:
            stats.open_now -= 1
            if not read_task.done():
                read_task.cancel()
            elif not read_task.cancelled():
                read_task.exception()  # retrieved, so asyncio does not log it
            writer.close()
        if outcome is None:
            stats.open_at_end += 1
            return
        stats.closed[outcome] = stats.closed.get(outcome, 0) + 1
        stats.lifetimes.append(time.monotonic() - started)
        await asyncio.sleep(1)  # then reconnect


async def main_async(args):
    stats = Stats()
    deadline = time.monotonic() + args.duration
    rng = random.Random(1)
    tasks = [asyncio.ensure_future(slot(i, args, deadline, stats, rng)) for i in range(args.connections)]
    try:
        await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), args.duration + 15)
    except asyncio.TimeoutError:
        pass
    lifetimes = sorted(stats.lifetimes)
    return {
        "connections": args.connections,
        "duration_s": args.duration,
        "opened": stats.opened,
        "connect_failed": stats.connect_failed,
        "connect_errors": stats.connect_errors,
        "max_open": stats.max_open,
        "open_at_end": stats.open_at_end,
        "closed_by_server": sum(stats.closed.values()),
        "closed_how": stats.closed,
        "lifetime_median_s": round(statistics.median(lifetimes), 2) if lifetimes else None,
        "lifetime_max_s": round(lifetimes[-1], 2) if lifetimes else None,
        "bytes_sent": stats.bytes_sent,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--connections", type=int, default=500)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--ramp", type=float, default=2.0, help="seconds over which to open them")
    parser.add_argument("--max-opens", type=int, default=20000, help="connections opened in all, at most")
    args = parser.parse_args()
    print(json.dumps(asyncio.run(main_async(args))), flush=True)


if __name__ == "__main__":
    main()
