"""The official OpenRouter Python SDK (openrouter 1.3.x) against the mock's GET /api/v1/workspaces.

Every call carries the test's X-Mock-Namespace through the SDK's own per-call `http_headers`, which
its next() passes on to every following page. Calls that expect a 5xx turn the SDK's retries off:
by default it retries every 5xx with backoff for up to an hour.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from openrouter import OpenRouter, errors, utils

from conftest import (
    OPENROUTER_INFERENCE_KEY,
    OPENROUTER_MANAGEMENT_KEY,
    MockServer,
    load_seed,
)

SEED = load_seed("openrouter")
NO_RETRIES = utils.RetryConfig("none", utils.BackoffStrategy(1, 1, 1, 1), False)
FAST_RETRIES = utils.RetryConfig("backoff", utils.BackoffStrategy(10, 50, 1.5, 5000), False)


def client(mock_server: MockServer, api_key: str | None = OPENROUTER_MANAGEMENT_KEY) -> OpenRouter:
    return OpenRouter(api_key=api_key, server_url=mock_server.openrouter_url)


def headers(namespace: str, **extra: str) -> dict[str, str]:
    return {"X-Mock-Namespace": namespace, **extra}


def assert_matches_seed(workspaces: list[Any], seed: list[dict[str, Any]]) -> None:
    """Each typed Workspace carries exactly the seed record's values, in the seed's order."""
    assert [w.id for w in workspaces] == [record["id"] for record in seed]
    for workspace, record in zip(workspaces, seed):
        assert {key: getattr(workspace, key) for key in record} == record


def query_of(entry: dict[str, Any]) -> dict[str, str]:
    return {name: values[-1] for name, values in entry["query"].items()}


# MARK: - Listing and pagination


def test_default_list_returns_first_50_seed_workspaces_and_total_count_120(mock_server, namespace):
    page = client(mock_server).workspaces.list(http_headers=headers(namespace))

    assert page is not None
    assert page.result.total_count == len(SEED) == 120
    assert_matches_seed(page.result.data, SEED[:50])
    [entry] = mock_server.journal(namespace, "openrouter")
    assert query_of(entry) == {"offset": "0", "limit": "50"}
    assert entry["status"] == 200


def test_explicit_offset_and_limit_return_that_slice_of_the_seed_store(mock_server, namespace):
    page = client(mock_server).workspaces.list(offset=10, limit=5, http_headers=headers(namespace))

    assert page.result.total_count == 120
    assert_matches_seed(page.result.data, SEED[10:15])
    assert [query_of(e) for e in mock_server.journal(namespace, "openrouter")] == [{"offset": "10", "limit": "5"}]


def test_offset_none_is_omitted_by_the_sdk_and_starts_at_zero(mock_server, namespace):
    page = client(mock_server).workspaces.list(offset=None, limit=3, http_headers=headers(namespace))

    assert_matches_seed(page.result.data, SEED[:3])
    assert [query_of(e) for e in mock_server.journal(namespace, "openrouter")] == [{"limit": "3"}]


def test_limit_none_is_omitted_by_the_sdk_and_gives_50(mock_server, namespace):
    page = client(mock_server).workspaces.list(offset=100, limit=None, http_headers=headers(namespace))

    assert_matches_seed(page.result.data, SEED[100:])
    assert [query_of(e) for e in mock_server.journal(namespace, "openrouter")] == [{"offset": "100"}]


def test_offset_past_the_end_gives_an_empty_page_and_next_returns_none(mock_server, namespace):
    page = client(mock_server).workspaces.list(offset=120, limit=10, http_headers=headers(namespace))

    assert page.result.data == []
    assert page.result.total_count == 120
    assert page.next() is None


@pytest.mark.parametrize("limit", [1, 7, 40, 50, 100])
def test_sdk_next_walks_every_page_and_the_union_is_the_seed_store_in_order(mock_server, namespace, limit):
    collected: list[Any] = []
    page = client(mock_server).workspaces.list(offset=0, limit=limit, http_headers=headers(namespace))
    pages = 0
    while page is not None:
        pages += 1
        assert pages <= 200, "the SDK's next() never stopped"
        assert page.result.total_count == 120
        collected.extend(page.result.data)
        page = page.next()

    assert_matches_seed(collected, SEED)
    # The SDK stops after a short page; when the store divides evenly it needs one more, empty page.
    expected_offsets = list(range(0, 120, limit)) + ([120] if 120 % limit == 0 else [])
    journal = mock_server.journal(namespace, "openrouter")
    assert [query_of(e) for e in journal] == [{"offset": str(o), "limit": str(limit)} for o in expected_offsets]
    assert {e["status"] for e in journal} == {200}


# MARK: - Typed errors


def test_missing_key_raises_unauthorized_with_missing_authentication_header(mock_server, namespace):
    with pytest.raises(errors.UnauthorizedResponseError) as caught:
        client(mock_server, api_key=None).workspaces.list(http_headers=headers(namespace), retries=NO_RETRIES)

    error = caught.value
    assert error.status_code == 401
    assert error.message == "Missing Authentication header"
    assert error.data.error.code == 401
    assert error.data.error.message == "Missing Authentication header"
    assert error.headers["content-type"] == "application/json"
    assert json.loads(error.body) == {"error": {"code": 401, "message": "Missing Authentication header"}}
    [entry] = mock_server.journal(namespace, "openrouter")
    assert "authorization" not in {h["name"].lower() for h in entry["headers"]}


def test_wrong_key_raises_unauthorized_with_invalid_credentials(mock_server, namespace):
    with pytest.raises(errors.UnauthorizedResponseError) as caught:
        client(mock_server, api_key="sk-or-v1-not-a-real-key").workspaces.list(
            http_headers=headers(namespace), retries=NO_RETRIES)

    error = caught.value
    assert error.status_code == 401
    assert error.message == "Invalid credentials"
    assert error.data.error.code == 401
    assert json.loads(error.body) == {"error": {"code": 401, "message": "Invalid credentials"}}


def test_inference_key_raises_forbidden_with_management_keys_message(mock_server, namespace):
    with pytest.raises(errors.ForbiddenResponseError) as caught:
        client(mock_server, api_key=OPENROUTER_INFERENCE_KEY).workspaces.list(
            http_headers=headers(namespace), retries=NO_RETRIES)

    error = caught.value
    assert error.status_code == 403
    assert error.message == "Only management keys can perform this operation"
    assert error.data.error.code == 403
    assert json.loads(error.body) == {
        "error": {"code": 403, "message": "Only management keys can perform this operation"}}


def test_prefer_code_500_raises_internal_server_error_once_with_retries_off(mock_server, namespace):
    with pytest.raises(errors.InternalServerResponseError) as caught:
        client(mock_server).workspaces.list(
            http_headers=headers(namespace, Prefer="code=500"), retries=NO_RETRIES)

    error = caught.value
    assert error.status_code == 500
    assert error.message == "Internal Server Error"
    assert error.data.error.code == 500
    assert json.loads(error.body) == {"error": {"code": 500, "message": "Internal Server Error"}}
    assert [e["status"] for e in mock_server.journal(namespace, "openrouter")] == [500]


def test_fault_rule_500_raises_internal_server_error_then_the_rule_is_used_up(mock_server, namespace):
    mock_server.add_fault(namespace, vendor="openrouter", status=500, times=1)
    sdk = client(mock_server)

    with pytest.raises(errors.InternalServerResponseError) as caught:
        sdk.workspaces.list(http_headers=headers(namespace), retries=NO_RETRIES)
    assert caught.value.message == "Internal Server Error"
    assert caught.value.data.error.code == 500

    page = sdk.workspaces.list(limit=2, http_headers=headers(namespace), retries=NO_RETRIES)
    assert_matches_seed(page.result.data, SEED[:2])
    assert [e["status"] for e in mock_server.journal(namespace, "openrouter")] == [500, 200]


def test_prefer_code_429_raises_the_default_error_with_the_rate_limit_body_and_is_not_retried(
        mock_server, namespace):
    # OpenRouter's SDK has no typed error for 429 on this operation, and retries only 5XX.
    with pytest.raises(errors.OpenRouterDefaultError) as caught:
        client(mock_server).workspaces.list(http_headers=headers(namespace, Prefer="code=429"), retries=FAST_RETRIES)

    error = caught.value
    assert error.status_code == 429
    assert json.loads(error.body) == {"error": {"code": 429, "message": "Rate limit exceeded"}}
    assert error.message == (
        'API error occurred: Status 429. Body: {"error":{"code":429,"message":"Rate limit exceeded"}}')
    assert len(mock_server.journal(namespace, "openrouter")) == 1


def test_limit_outside_1_to_100_gets_a_400_the_sdk_reports_as_its_default_error(mock_server, namespace):
    # The SDK does no client-side validation: limit=0 reaches the server.
    with pytest.raises(errors.OpenRouterDefaultError) as caught:
        client(mock_server).workspaces.list(limit=0, http_headers=headers(namespace), retries=NO_RETRIES)

    error = caught.value
    assert error.status_code == 400
    assert error.headers["content-type"] == "application/json"
    assert json.loads(error.body) == {"error": {
        "code": 400, "message": "Invalid request parameters",
        "metadata": {"parameter": "limit", "value": "0", "reason": "must be an integer from 1 to 100"}}}


# MARK: - Retries


def test_sdk_retries_a_single_500_and_succeeds_with_two_requests_in_the_journal(mock_server, namespace):
    mock_server.add_fault(namespace, vendor="openrouter", status=500, times=1)

    page = client(mock_server).workspaces.list(limit=5, http_headers=headers(namespace), retries=FAST_RETRIES)

    assert_matches_seed(page.result.data, SEED[:5])
    journal = mock_server.journal(namespace, "openrouter")
    assert [e["status"] for e in journal] == [500, 200]
    assert [query_of(e) for e in journal] == [{"offset": "0", "limit": "5"}] * 2


def test_sdk_default_retry_policy_recovers_from_a_single_500(mock_server, namespace):
    # No retries argument at all: the SDK's own default (backoff from 0.5 s, all 5XX).
    mock_server.add_fault(namespace, vendor="openrouter", status=500, times=1)

    page = client(mock_server).workspaces.list(limit=3, http_headers=headers(namespace))

    assert_matches_seed(page.result.data, SEED[:3])
    assert [e["status"] for e in mock_server.journal(namespace, "openrouter")] == [500, 200]


# MARK: - Simulated network faults


def test_connection_reset_reaches_the_sdk_as_a_read_error_with_retries_off(mock_server, namespace):
    mock_server.add_fault(namespace, vendor="openrouter", fault="connection_reset", times=1)

    with pytest.raises(httpx.ReadError):
        client(mock_server).workspaces.list(http_headers=headers(namespace), retries=NO_RETRIES)
    assert [e["fault"] for e in mock_server.journal(namespace, "openrouter")] == ["connection_reset"]


def test_sdk_retries_a_connection_reset_when_told_to_retry_connection_errors(mock_server, namespace):
    mock_server.add_fault(namespace, vendor="openrouter", fault="connection_reset", times=1)
    retries = utils.RetryConfig("backoff", utils.BackoffStrategy(10, 50, 1.5, 5000), True)

    page = client(mock_server).workspaces.list(limit=2, http_headers=headers(namespace), retries=retries)

    assert_matches_seed(page.result.data, SEED[:2])
    journal = mock_server.journal(namespace, "openrouter")
    assert [(e["status"], e["fault"]) for e in journal] == [(None, "connection_reset"), (200, None)]


def test_empty_response_is_a_server_disconnect_the_sdk_does_not_retry(mock_server, namespace):
    # Speakeasy retries network errors, not protocol errors: a closed connection without a status line.
    mock_server.add_fault(namespace, vendor="openrouter", fault="empty_response", times=1)
    retries = utils.RetryConfig("backoff", utils.BackoffStrategy(10, 50, 1.5, 5000), True)

    with pytest.raises(httpx.RemoteProtocolError, match="Server disconnected without sending a response"):
        client(mock_server).workspaces.list(http_headers=headers(namespace), retries=retries)
    assert [e["fault"] for e in mock_server.journal(namespace, "openrouter")] == ["empty_response"]


def test_malformed_json_fails_the_sdks_response_validation(mock_server, namespace):
    mock_server.add_fault(namespace, vendor="openrouter", fault="malformed_json", times=1)

    with pytest.raises(errors.ResponseValidationError) as caught:
        client(mock_server).workspaces.list(http_headers=headers(namespace), retries=NO_RETRIES)
    assert caught.value.status_code == 200


# The README's claim, with the SDK's default retry policy (no `retries` argument: backoff from 0.5 s,
# connection errors retried): a rule for two requests per fault, and the journal counts what reached the
# mock. A reset is an httpx.ReadError, a NetworkError, which the SDK retries; a close without a response
# is a RemoteProtocolError and a cut-off 200 fails validation after the response, neither retried.
@pytest.mark.parametrize(("fault", "journaled", "rules_left"), [
    ("connection_reset", [(None, "connection_reset"), (None, "connection_reset"), (200, None)], []),
    ("empty_response", [(None, "empty_response")], [1]),
    ("malformed_json", [(200, "malformed_json")], [1]),
])
def test_sdk_default_retries_a_connection_reset_but_not_an_empty_response_or_malformed_json(
        mock_server, namespace, fault, journaled, rules_left):
    mock_server.add_fault(namespace, vendor="openrouter", fault=fault, times=2)
    sdk = client(mock_server)

    if fault == "connection_reset":
        page = sdk.workspaces.list(limit=2, http_headers=headers(namespace))
        assert_matches_seed(page.result.data, SEED[:2])
    else:
        expected = httpx.RemoteProtocolError if fault == "empty_response" else errors.ResponseValidationError
        with pytest.raises(expected):
            sdk.workspaces.list(limit=2, http_headers=headers(namespace))

    journal = mock_server.journal(namespace, "openrouter")
    assert [(e["status"], e["fault"]) for e in journal] == journaled
    assert [rule["times"] for rule in mock_server.admin("GET", "faults", namespace).json()["faults"]] == rules_left
