#!/usr/bin/env python3
"""Fills one namespace of a running gateway-mock up to the create limit through the OpenRouter API and
prints the server's resident memory before and after: the figures of the README's "Memory bounds".

  fill-namespace.py PORT PID [--count N] [--no-members] [--no-budgets]

Each created workspace (long name, 40-character slug, 200-character description) gets, unless told
otherwise, every organization member (`members/add`) and four budgets. Uses the namespace `fill`.
"""

import argparse
import http.client
import json
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("pid")
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--no-members", action="store_true")
    parser.add_argument("--no-budgets", action="store_true")
    args = parser.parse_args()

    def rss_mib():
        with open(f"/proc/{args.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS"):
                    return int(line.split()[1]) / 1024

    connection = http.client.HTTPConnection("127.0.0.1", args.port)
    headers = {
        "Authorization": "Bearer sk-or-v1-mock-management",
        "Content-Type": "application/json",
        "X-Mock-Namespace": "fill",
    }

    def call(method, path, body=None):
        connection.request(method, "/api/v1" + path, body=None if body is None else json.dumps(body), headers=headers)
        response = connection.getresponse()
        data = response.read()
        if response.status >= 300:
            raise SystemExit(f"{method} {path}: {response.status} {data[:200]!r}")
        return json.loads(data)

    users = [user["id"] for user in call("GET", "/organization/members?limit=100")["data"]]
    before = rss_mib()
    started = time.time()
    for index in range(args.count):
        slug = f"fill-{index}-" + "x" * 30
        call("POST", "/workspaces", {"name": f"Fill workspace number {index} with a long name", "slug": slug,
                                      "description": "d" * 200})
        if not args.no_members:
            call("POST", f"/workspaces/{slug}/members/add", {"user_ids": users})
        if not args.no_budgets:
            for interval, limit in (("daily", 1), ("weekly", 2), ("monthly", 3), ("lifetime", 4)):
                call("PUT", f"/workspaces/{slug}/budgets/{interval}", {"limit_usd": limit})
    after = rss_mib()
    print(f"workspaces {args.count}, members each {0 if args.no_members else len(users)}, "
          f"budgets each {0 if args.no_budgets else 4}: RSS {before:.0f} MiB -> {after:.0f} MiB "
          f"(+{after - before:.0f} MiB, {(after - before) * 1024 / args.count:.2f} KiB per workspace) "
          f"in {time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
