"""Node's fetch (undici) against a mock with `--idle-timeout 2`: no request fails at the idle boundary.

Issue 15 saw 3-7 of 48 requests fail with "other side closed"/ECONNRESET: undici reused a pooled
connection just as the server closed it. The mock now announces `Keep-Alive: timeout=N` (N the idle
timeout in whole seconds, rounded down) and undici keeps a pooled connection only for N less its
threshold (2 s in Node 20's undici 6, 1 s in older releases; at or below it, not at all).
clients/keep_alive_race.mjs sends 48 requests, 8 clients at once, each pausing between its requests for
the idle timeout plus offsets from -40 to 120 ms, the window in which the server closes an idle
connection. `node` comes from Debian's nodejs (skipped without it, failed under CONFORMANCE_REQUIRE_ALL=1,
as in CI). About 12 s.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from conftest import require_tool, running_mock

CLIENT = Path(__file__).parent / "clients" / "keep_alive_race.mjs"


def test_node_fetch_never_sends_into_the_idle_close_with_idle_timeout_2(tmp_path):
    node = require_tool("node", "nodejs")
    with running_mock(tmp_path, "--idle-timeout", "2", "--quiet") as mock:
        run = subprocess.run(
            [node, str(CLIENT), mock.base_url, "2000", "8", "6"],
            capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr

    assert json.loads(run.stdout) == {
        "requests": 48, "failed": 0, "errors": {}, "statuses": {"200": 48}, "keep_alive": "timeout=2"}
