#!/usr/bin/env python3
"""Subscribers of the live request feed for scripts/soak.sh (loopback only, bounded in time and in
connections).

For --duration seconds, at the same time, against GET /__admin/requests/stream on 127.0.0.1:PORT:
  - --readers subscribers of every namespace (`?namespace=*`) that read every event as fast as they can
    and check it (the chunk framing, one event or heartbeat per chunk, `id`s increasing). Under load
    they fall behind: the server closes them (64 KiB waiting), and they subscribe again at once;
  - --stalled subscribers of every namespace that never read (a 4 KiB receive buffer): the server must
    close each of them. At the end each is drained, and counts as closed when that reaches the server's
    close (else it is still open);
  - --idle subscribers of one namespace nobody uses (`soak-idle`): they must stay open to the end and
    get only heartbeats (one every 15 s).
A subscription refused (503 past the subscriber limit, or a connection refused) is counted and retried
after 1 s. Prints one JSON object on stdout, per group: subscriptions made and refused, events and
heartbeats read, `id`s out of order, chunks that were neither, and how the subscriptions ended:
`closed_by_server` when the reader reached the server's close (what the kernel held for it read first),
`open_at_end` when the duration ended first (for a reader that fell behind, the close may still be
ahead of what it has read).
"""

import argparse
import asyncio
import json
import socket
import time

HOST = "127.0.0.1"


def request(query):
    return f"GET /__admin/requests/stream?{query} HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode()


class Group:
    def __init__(self, slots):
        self.slots = slots
        self.subscribed = 0
        self.refused = {}
        self.events = 0
        self.event_bytes = 0
        self.heartbeats = []
        self.out_of_order = 0
        self.malformed = 0
        self.closed_by_server = 0
        self.open_at_end = 0

    def refuse(self, why):
        self.refused[why] = self.refused.get(why, 0) + 1

    def summary(self):
        beats = sorted(self.heartbeats)
        return {
            "slots": self.slots, "subscribed": self.subscribed, "refused": self.refused, "events": self.events,
            "event_bytes": self.event_bytes, "heartbeats_min": beats[0] if beats else None,
            "heartbeats_max": beats[-1] if beats else None, "out_of_order": self.out_of_order,
            "malformed": self.malformed, "closed_by_server": self.closed_by_server, "open_at_end": self.open_at_end,
        }


async def subscribe(port, query, group, receive_buffer=None):
    """A subscribed socket, its 200 head read (byte by byte: nothing of the stream is read ahead);
    None (counted) when refused."""
    loop = asyncio.get_running_loop()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        if receive_buffer:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
        sock.setblocking(False)
        await asyncio.wait_for(loop.sock_connect(sock, (HOST, port)), 5)
        await loop.sock_sendall(sock, request(query))
        head = b""
        while not head.endswith(b"\r\n\r\n"):
            byte = await asyncio.wait_for(loop.sock_recv(sock, 1), 10)
            if not byte:
                raise ConnectionResetError("closed before the head")
            head += byte
    except (OSError, asyncio.TimeoutError) as error:
        sock.close()
        group.refuse(type(error).__name__)
        return None
    status = head.split(b" ", 2)[1].decode()
    if status != "200":
        sock.close()
        group.refuse(status)
        return None
    group.subscribed += 1
    return sock


async def read_events(reader, group, deadline):
    """Reads chunks until the deadline (True) or until the server ends the stream (False)."""
    last_id, beats = 0, 0
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return True
            try:
                line = await asyncio.wait_for(reader.readuntil(b"\r\n"), remaining)
            except asyncio.TimeoutError:
                return True
            size = int(line[:-2], 16)
            data = await reader.readexactly(size + 2)
            if size == 0:
                return False  # the last chunk: the server is stopping
            if data.startswith(b"id: ") and data.endswith(b"}\n\n\r\n"):
                event_id = int(data[4 : data.index(b"\n")])
                group.out_of_order += event_id <= last_id
                last_id = event_id
                group.events += 1
                group.event_bytes += size
            elif data == b": heartbeat\n\n\r\n":
                beats += 1
            else:
                group.malformed += 1
    except (OSError, ValueError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
        return False
    finally:
        group.heartbeats.append(beats)


async def reading_slot(port, query, group, deadline, again):
    """Subscribes and reads until the deadline; subscribes again after the server closes it if `again`."""
    while time.monotonic() < deadline:
        sock = await subscribe(port, query, group)
        if sock is None:
            await asyncio.sleep(1)
            continue
        reader, writer = await asyncio.open_connection(sock=sock)
        if await read_events(reader, group, deadline):
            group.open_at_end += 1
        else:
            group.closed_by_server += 1
        writer.close()
        if not again:
            return


async def stalled_slot(port, group, deadline):
    loop = asyncio.get_running_loop()
    sock = None
    while sock is None and time.monotonic() < deadline:
        sock = await subscribe(port, "namespace=*", group, receive_buffer=4096)
        if sock is None:
            await asyncio.sleep(1)
    if sock is None:
        return
    await asyncio.sleep(max(0.0, deadline - time.monotonic()))
    try:  # what the kernel held for it, then the server's close (or nothing more for 3 s: still open)
        while await asyncio.wait_for(loop.sock_recv(sock, 1 << 20), 3):
            pass
        group.closed_by_server += 1
    except asyncio.TimeoutError:
        group.open_at_end += 1
    except OSError:
        group.closed_by_server += 1
    sock.close()


async def main(args):
    deadline = time.monotonic() + args.duration
    groups = {"readers": Group(args.readers), "stalled": Group(args.stalled), "idle": Group(args.idle)}
    slots = [reading_slot(args.port, "namespace=*", groups["readers"], deadline, True) for _ in range(args.readers)]
    slots += [stalled_slot(args.port, groups["stalled"], deadline) for _ in range(args.stalled)]
    slots += [reading_slot(args.port, "namespace=soak-idle", groups["idle"], deadline, False) for _ in range(args.idle)]
    await asyncio.gather(*slots)
    print(json.dumps({name: group.summary() for name, group in groups.items()}))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--stalled", type=int, default=4)
    parser.add_argument("--idle", type=int, default=200)
    asyncio.run(main(parser.parse_args()))
