"""The live request feed (GET /__admin/requests/stream) read by a plain Server-Sent Events client (httpx
streaming) while the official SDKs call the mock: each request the OpenRouter SDK (openrouter 1.3.x) and
the Portkey SDK (portkey-ai 2.3.x) makes arrives as one event, in order, whose data is that request's
journal entry.

Events are read on a thread of their own and handed over through a queue; a test waits up to 30 s for
each (a generous wait on a busy machine) and never asserts how long anything took.
"""

from __future__ import annotations

import json
import queue
import socket
import threading
from typing import Any

import httpx
import pytest
from openrouter import OpenRouter
from portkey_ai import Portkey
from portkey_ai.api_resources.exceptions import AuthenticationError

from conftest import OPENROUTER_MANAGEMENT_KEY, PORTKEY_ADMIN_KEY, MockServer

EVENT_WAIT_SECONDS = 30.0


class FeedReader:
    """Subscribes to the feed and parses its events (`id`, `data`, comments) on a daemon thread."""

    def __init__(self, mock_server: MockServer, **params: str) -> None:
        self.events: queue.Queue[dict[str, Any]] = queue.Queue()
        self.comments: list[str] = []
        self._opened = threading.Event()
        self._socket: socket.socket | None = None
        self.status: int | None = None
        self.headers: httpx.Headers | None = None
        self.error: BaseException | None = None
        url = f"{mock_server.base_url}/__admin/requests/stream"
        self._thread = threading.Thread(target=self._run, args=(url, params), daemon=True)
        self._thread.start()
        assert self._opened.wait(EVENT_WAIT_SECONDS), "the feed did not answer"
        assert self.error is None, self.error

    def _run(self, url: str, params: dict[str, str]) -> None:
        try:
            # No read timeout: the feed is silent between requests (a heartbeat comes every 15 s).
            with httpx.Client(timeout=httpx.Timeout(10, read=None)) as client:
                with client.stream("GET", url, params=params) as response:
                    self.status, self.headers = response.status_code, response.headers
                    self._socket = response.extensions["network_stream"].get_extra_info("socket")
                    self._opened.set()
                    event: dict[str, Any] = {}
                    for line in response.iter_lines():
                        if line == "":
                            if event:
                                self.events.put(event)
                            event = {}
                        elif line.startswith(":"):
                            self.comments.append(line)
                        else:
                            name, _, value = line.partition(":")
                            event[name] = value[1:] if value.startswith(" ") else value
        except (httpx.HTTPError, OSError) as error:  # close() ends the stream from under the read
            self.error = error
        finally:
            self._opened.set()

    def take(self, count: int) -> list[dict[str, Any]]:
        """The next `count` events, each as {"id": int, "data": the parsed JSON}."""
        taken = []
        for _ in range(count):
            try:
                event = self.events.get(timeout=EVENT_WAIT_SECONDS)
            except queue.Empty:
                pytest.fail(f"no event within {EVENT_WAIT_SECONDS:.0f}s (got {len(taken)} of {count})")
            assert set(event) == {"id", "data"}, event
            taken.append({"id": int(event["id"]), "data": json.loads(event["data"])})
        return taken

    def close(self) -> None:
        if self._socket is not None:
            try:
                self._socket.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._thread.join(EVENT_WAIT_SECONDS)


def test_requests_made_by_both_sdks_arrive_as_events_with_their_journal_entries(mock_server, namespace):
    feed = FeedReader(mock_server, namespace=namespace)
    try:
        assert feed.status == 200
        assert feed.headers["content-type"] == "text/event-stream"
        assert feed.headers["cache-control"] == "no-store"
        assert feed.headers["transfer-encoding"] == "chunked"

        openrouter = OpenRouter(api_key=OPENROUTER_MANAGEMENT_KEY, server_url=mock_server.openrouter_url)
        ns = {"X-Mock-Namespace": namespace}
        openrouter.workspaces.list(limit=2, http_headers=ns)
        [listed] = feed.take(1)
        assert listed["data"]["route"] == "GET /api/v1/workspaces"
        assert listed["data"]["query"] == {"offset": ["0"], "limit": ["2"]}

        openrouter.workspaces.create(name="Feed Demo", slug="feed-demo", http_headers=ns)
        openrouter.workspaces.delete(id="feed-demo", http_headers=ns)
        created, deleted = feed.take(2)
        assert (created["data"]["method"], created["data"]["status"]) == ("POST", 201)
        assert json.loads(created["data"]["body"]) == {"name": "Feed Demo", "slug": "feed-demo"}
        assert (deleted["data"]["route"], deleted["data"]["status"]) == ("DELETE /api/v1/workspaces/{id}", 200)

        http_client = httpx.Client(base_url=mock_server.portkey_url, timeout=30, headers=ns)
        portkey = Portkey(api_key=PORTKEY_ADMIN_KEY, base_url=mock_server.portkey_url, http_client=http_client)
        portkey.admin.workspaces.list(page_size=3, current_page=0)
        [portkey_listed] = feed.take(1)
        assert (portkey_listed["data"]["vendor"], portkey_listed["data"]["status"]) == ("portkey", 200)

        events = [listed, created, deleted, portkey_listed]
        assert [e["id"] for e in events] == sorted(e["id"] for e in events)
        assert all(e["data"]["namespace"] == namespace for e in events)
        # Each event's data is the journal's entry, credentials masked the same way.
        assert [e["data"] for e in events] == mock_server.admin("GET", "requests", namespace).json()["requests"]
        assert OPENROUTER_MANAGEMENT_KEY not in json.dumps([e["data"] for e in events])
    finally:
        feed.close()


def test_every_namespace_with_filters_shows_only_what_they_match(mock_server, namespace):
    feed = FeedReader(mock_server, namespace="*", vendor="portkey", status="4xx")
    try:
        ns = {"X-Mock-Namespace": namespace}
        openrouter = OpenRouter(api_key=OPENROUTER_MANAGEMENT_KEY, server_url=mock_server.openrouter_url)
        openrouter.workspaces.list(limit=1, http_headers=ns)  # OpenRouter: not shown

        http_client = httpx.Client(base_url=mock_server.portkey_url, timeout=30, headers=ns)
        refused = Portkey(api_key="pk-not-a-key", base_url=mock_server.portkey_url, http_client=http_client)
        with pytest.raises(AuthenticationError):
            refused.admin.workspaces.list()
        allowed = Portkey(api_key=PORTKEY_ADMIN_KEY, base_url=mock_server.portkey_url, http_client=http_client)
        allowed.admin.workspaces.list(page_size=1, current_page=0)  # 200: not shown
        with pytest.raises(AuthenticationError):
            refused.admin.users.list()

        first, second = feed.take(2)
        assert [(e["data"]["vendor"], e["data"]["status"], e["data"]["path"]) for e in (first, second)] == [
            ("portkey", 401, "/v1/admin/workspaces"),
            ("portkey", 401, "/v1/admin/users"),
        ]
        assert first["data"]["namespace"] == second["data"]["namespace"] == namespace
        assert first["id"] + 2 == second["id"], "the 200 between them was numbered, not sent"
    finally:
        feed.close()


def test_a_bad_filter_is_refused_before_the_stream_starts(mock_server):
    response = httpx.get(f"{mock_server.base_url}/__admin/requests/stream", params={"status": "2xx,7"}, timeout=10)
    assert response.status_code == 400
    assert response.json() == {"error": {"code": 400, "message": (
        'status must be a comma-separated list of status codes (404) and classes (4xx), e.g. 4xx,500; got "2xx,7"')}}
