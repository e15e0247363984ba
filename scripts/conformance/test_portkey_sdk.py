"""The official Portkey Python SDK (portkey-ai 2.3.x) against the mock's GET /v1/admin/workspaces.

The SDK sends pageSize/currentPage (camelCase), name and exact_name, and passes any other keyword
(here `status`) straight into the query. Its own headers come from `Portkey(...)`; the test's
X-Mock-Namespace (and a Prefer header where wanted) ride on the httpx client handed to it.

Portkey's SDK does not parse the admin API's error envelope: `e.body` and `e.message` are the raw
response text, so the tests parse that text and compare the whole envelope. By default the SDK
retries a >=500 once; `Portkey(max_retries=0)` does not change that (it only sends a header), so
tests that expect a single 500 set `client.max_retries = 0` after construction.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from portkey_ai import Portkey
from portkey_ai.api_resources.exceptions import (
    APIConnectionError,
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    InternalServerError,
    PermissionDeniedError,
    RateLimitError,
)

from conftest import PORTKEY_ADMIN_KEY, PORTKEY_WORKSPACE_KEY, MockServer, load_seed

SEED = load_seed("portkey")


def client(mock_server: MockServer, namespace: str, api_key: str | None = PORTKEY_ADMIN_KEY,
           **extra_headers: str) -> Portkey:
    http_client = httpx.Client(
        base_url=mock_server.portkey_url, timeout=30,
        headers={"Accept": "application/json", "X-Mock-Namespace": namespace, **extra_headers})
    return Portkey(api_key=api_key, base_url=mock_server.portkey_url, http_client=http_client)


def expected(name: str | None = None, exact_name: str | None = None, status: str | None = None) -> list[dict]:
    """The seed workspaces the documented filters keep, in seed order."""
    statuses = set(status.split(",")) if status else None
    return [w for w in SEED
            if (name is None or name in w["name"])
            and (exact_name is None or w["name"] == exact_name)
            and (statuses is None or w["status"] in statuses)]


def assert_matches(workspaces: list[Any], records: list[dict[str, Any]]) -> None:
    """The SDK's objects hold exactly the seed records (every key, extras such as status included)."""
    assert [w.id for w in workspaces] == [r["id"] for r in records]
    for workspace, record in zip(workspaces, records):
        assert workspace.model_dump(exclude_unset=True) == record


def query_of(entry: dict[str, Any]) -> dict[str, str]:
    return {name: values[-1] for name, values in entry["query"].items()}


def envelope(error: APIStatusError) -> dict[str, Any]:
    assert error.response.headers["content-type"] == "application/json"
    assert error.body == error.message == error.response.text
    return json.loads(error.body)


# MARK: - Listing, filters and pagination


def test_default_list_sends_current_page_0_and_returns_50_of_60_with_total_and_object(mock_server, namespace):
    result = client(mock_server, namespace).admin.workspaces.list()

    assert result.total == len(SEED) == 60
    assert result.object == "list"
    assert_matches(result.data, SEED[:50])
    [entry] = mock_server.journal(namespace, "portkey")
    assert query_of(entry) == {"currentPage": "0"}
    assert entry["status"] == 200


def test_page_size_and_current_page_select_that_page(mock_server, namespace):
    result = client(mock_server, namespace).admin.workspaces.list(page_size=7, current_page=2)

    assert result.total == 60
    assert_matches(result.data, SEED[14:21])
    assert [query_of(e) for e in mock_server.journal(namespace, "portkey")] == [{"pageSize": "7", "currentPage": "2"}]


def test_a_page_past_the_end_is_empty_with_the_full_total(mock_server, namespace):
    result = client(mock_server, namespace).admin.workspaces.list(page_size=25, current_page=3)

    assert result.total == 60
    assert result.data == []



@pytest.mark.parametrize(
    "arguments, sent, first",
    [({"page_size": 5, "current_page": None}, {"pageSize": "5", "currentPage": "None"}, SEED[:5]),
     ({"page_size": None}, {"pageSize": "None", "currentPage": "0"}, SEED[:50])],
    ids=["current_page=None", "page_size=None"],
)
def test_the_sdks_literal_none_counts_as_an_absent_parameter(mock_server, namespace, arguments, sent, first):
    # urlencode turns None into the text "None"; the SDK sends it as it is.
    result = client(mock_server, namespace).admin.workspaces.list(**arguments)

    assert result.total == 60
    assert_matches(result.data, first)
    assert [query_of(e) for e in mock_server.journal(namespace, "portkey")] == [sent]

@pytest.mark.parametrize(
    "filters",
    [
        {"name": "Sandbox"},
        {"name": "sandbox"},
        {"name": "Internal Tools"},
        {"exact_name": "Staging"},
        {"exact_name": "staging"},
        {"status": "active"},
        {"status": "archived"},
        {"status": "active,archived"},
        {"name": "Sandbox", "status": "active"},
        {"name": "Staging", "exact_name": "Staging US", "status": "active"},
    ],
    ids=lambda filters: "&".join(f"{k}={v}" for k, v in filters.items()),
)
def test_filters_keep_exactly_the_matching_workspaces_and_total_counts_them(mock_server, namespace, filters):
    result = client(mock_server, namespace).admin.workspaces.list(page_size=100, **filters)

    matching = expected(**filters)
    assert result.total == len(matching)
    assert_matches(result.data, matching)
    [entry] = mock_server.journal(namespace, "portkey")
    assert query_of(entry) == {"pageSize": "100", "currentPage": "0", **filters}


@pytest.mark.parametrize(
    "page_size, filters",
    [(1, {}), (7, {}), (25, {}), (60, {}), (10, {"status": "active"}), (4, {"status": "archived"}),
     (2, {"name": "Sandbox"})],
    ids=lambda value: str(value) if isinstance(value, int) else ("&".join(f"{k}={v}" for k, v in value.items())
                                                                 or "no-filter"),
)
def test_walking_pages_until_total_is_reached_yields_every_match_in_seed_order(
        mock_server, namespace, page_size, filters):
    sdk = client(mock_server, namespace)
    collected: list[Any] = []
    current_page = 0
    while True:
        result = sdk.admin.workspaces.list(page_size=page_size, current_page=current_page, **filters)
        assert result.total == len(expected(**filters))
        assert 0 < len(result.data) <= page_size
        collected.extend(result.data)
        current_page += 1
        if len(collected) >= result.total:
            break
        assert current_page <= 100, "total was never reached"

    assert_matches(collected, expected(**filters))
    pages = mock_server.journal(namespace, "portkey")
    assert [query_of(e)["currentPage"] for e in pages] == [str(n) for n in range(current_page)]


# MARK: - Errors


def test_missing_key_raises_authentication_error_with_ab05_envelope(mock_server, namespace):
    # With a custom base_url and no key, the SDK sends `x-portkey-api-key:` empty.
    sdk = client(mock_server, namespace, api_key=None)
    with pytest.raises(AuthenticationError) as caught:
        sdk.admin.workspaces.list()

    assert caught.value.status_code == 401
    assert envelope(caught.value) == {
        "success": False, "data": {"message": "Unauthorised Request", "errorCode": "AB05"}}
    assert len(mock_server.journal(namespace, "portkey")) == 1


def test_unknown_key_raises_authentication_error_with_ab05_envelope(mock_server, namespace):
    with pytest.raises(AuthenticationError) as caught:
        client(mock_server, namespace, api_key="pk-not-a-real-key").admin.workspaces.list()

    assert caught.value.status_code == 401
    assert envelope(caught.value) == {
        "success": False, "data": {"message": "Unauthorised Request", "errorCode": "AB05"}}


def test_workspace_key_raises_permission_denied_with_ab03_envelope(mock_server, namespace):
    with pytest.raises(PermissionDeniedError) as caught:
        client(mock_server, namespace, api_key=PORTKEY_WORKSPACE_KEY).admin.workspaces.list()

    assert caught.value.status_code == 403
    assert envelope(caught.value) == {"success": False, "data": {
        "message": "You do not have enough permissions to execute this request", "errorCode": "AB03"}}


def test_prefer_code_500_raises_internal_server_error_with_ab04_envelope_once_with_retries_off(
        mock_server, namespace):
    sdk = client(mock_server, namespace, Prefer="code=500")
    sdk.max_retries = 0
    with pytest.raises(InternalServerError) as caught:
        sdk.admin.workspaces.list()

    assert caught.value.status_code == 500
    assert envelope(caught.value) == {
        "success": False, "data": {"message": "Internal Server Error", "errorCode": "AB04"}}
    assert [e["status"] for e in mock_server.journal(namespace, "portkey")] == [500]


def test_fault_rule_500_raises_internal_server_error_once_with_retries_off(mock_server, namespace):
    mock_server.add_fault(namespace, vendor="portkey", status=500, times=1)
    sdk = client(mock_server, namespace)
    sdk.max_retries = 0
    with pytest.raises(InternalServerError) as caught:
        sdk.admin.workspaces.list()

    assert envelope(caught.value) == {
        "success": False, "data": {"message": "Internal Server Error", "errorCode": "AB04"}}
    assert [e["status"] for e in mock_server.journal(namespace, "portkey")] == [500]


def test_sdk_default_single_retry_recovers_from_a_one_time_500(mock_server, namespace):
    mock_server.add_fault(namespace, vendor="portkey", status=500, times=1)

    result = client(mock_server, namespace).admin.workspaces.list(page_size=3)

    assert_matches(result.data, SEED[:3])
    assert [e["status"] for e in mock_server.journal(namespace, "portkey")] == [500, 200]


def test_prefer_code_429_raises_rate_limit_error_with_ab06_envelope_and_is_not_retried(mock_server, namespace):
    with pytest.raises(RateLimitError) as caught:
        client(mock_server, namespace, Prefer="code=429").admin.workspaces.list()

    assert caught.value.status_code == 429
    assert envelope(caught.value) == {"success": False, "data": {
        "message": "Too many requests, please try again later", "errorCode": "AB06"}}
    assert len(mock_server.journal(namespace, "portkey")) == 1


def test_page_size_zero_raises_bad_request_with_ab01_envelope_naming_the_parameter(mock_server, namespace):
    with pytest.raises(BadRequestError) as caught:
        client(mock_server, namespace).admin.workspaces.list(page_size=0)

    assert caught.value.status_code == 400
    # The SDK sends pageSize=0; the message names the spelling it sent.
    assert envelope(caught.value) == {"success": False, "data": {
        "message": 'Invalid value for pageSize: must be a positive integer (got "0")', "errorCode": "AB01"}}


# MARK: - Simulated network faults


def test_connection_reset_is_a_connection_error_with_retries_off(mock_server, namespace):
    mock_server.add_fault(namespace, vendor="portkey", fault="connection_reset", times=1)
    sdk = client(mock_server, namespace)
    sdk.max_retries = 0

    with pytest.raises(APIConnectionError):
        sdk.admin.workspaces.list()
    assert [e["fault"] for e in mock_server.journal(namespace, "portkey")] == ["connection_reset"]


def test_sdk_default_single_retry_recovers_from_a_connection_reset(mock_server, namespace):
    mock_server.add_fault(namespace, vendor="portkey", fault="connection_reset", times=1)

    result = client(mock_server, namespace).admin.workspaces.list(page_size=2)

    assert_matches(result.data, SEED[:2])
    journal = mock_server.journal(namespace, "portkey")
    assert [(e["status"], e["fault"]) for e in journal] == [(None, "connection_reset"), (200, None)]


def test_malformed_json_fails_the_sdks_json_decoding(mock_server, namespace):
    mock_server.add_fault(namespace, vendor="portkey", fault="malformed_json", times=1)
    sdk = client(mock_server, namespace)
    sdk.max_retries = 0

    with pytest.raises(json.JSONDecodeError):
        sdk.admin.workspaces.list()
    assert [e["fault"] for e in mock_server.journal(namespace, "portkey")] == ["malformed_json"]
