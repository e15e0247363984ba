"""Schemathesis against the vendors' own OpenAPI documents (scripts/conformance/spec/*.openapi.yaml, unedited).

Each operation runs three times: with the valid admin key, with no key at all (so Schemathesis'
own generated, never-valid credentials or none reach the server), and with the vendor's
lower-privileged key. Schemathesis runs its examples, coverage and fuzzing phases, positive and
negative data (Hypothesis: at most MAX_EXAMPLES fuzzed cases per operation, no deadline).

Checks that run on every response (see scripts/conformance/README.md for the ones left off and why):
- not_a_server_error: nothing the generator sends may produce a 5xx (errors are only forced with
  `Prefer: code=`/fault rules, which Schemathesis never sends);
- response_schema_conformance: a documented status must carry a body valid against its schema
  (formats such as uuid and date-time included);
- content_type_conformance: a documented status must carry a documented media type;
- response_headers_conformance: documented response headers (Portkey's Content-Type on 200) must be
  present and valid;
- unsupported_method and allow_header_conformance (a method the document does not list gets 405 with
  an `Allow` header, OPTIONS advertises the documented methods) are in CHECKS for the tampering tests
  but not in the runs (LIST_CHECKS): the mock now also serves POST on both paths (the lifecycles);
- ignored_auth: a 2xx with the key must turn into an error when the key is removed or invalid;
- two of our own, because the vendors' pages document only some statuses and the built-in checks
  skip undocumented ones: `vendor_error_envelope` (every error response, documented or not, is the
  vendor's JSON error envelope with the right code) and `key_decides_access` (GET without a valid
  admin key is always 401/403, with it never).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    content_type_conformance,
    ignored_auth,
    response_headers_conformance,
    response_schema_conformance,
    unsupported_method,
)

from conftest import (
    OPENROUTER_INFERENCE_KEY,
    OPENROUTER_MANAGEMENT_KEY,
    PORTKEY_ADMIN_KEY,
    PORTKEY_WORKSPACE_KEY,
    SPEC_DIR,
    MockServer,
)

MAX_EXAMPLES = int(os.environ.get("CONFORMANCE_MAX_EXAMPLES", "100"))

OPENROUTER_SCHEMA = schemathesis.openapi.from_path(SPEC_DIR / "openrouter-list-workspaces.openapi.yaml")
PORTKEY_SCHEMA = schemathesis.openapi.from_path(SPEC_DIR / "portkey-list-workspaces.openapi.yaml")

# Status counts per run, printed at the end of the session (conftest.pytest_terminal_summary).
OBSERVED: dict[str, Counter] = {}

# MARK: - Our checks


# Portkey's admin-API error codes (its documented table), plus the mock's choice for 405.
PORTKEY_ERROR_CODES = {400: "AB01", 401: "AB05", 403: "AB03", 404: "AB08", 405: "AB01", 429: "AB06", 500: "AB04"}

# Answered by the HTTP layer before any routing or key check (README, "HTTP"): a request line over
# 8 KiB, a head over 32 KiB, a body over 1 MiB. Their body is the server's own JSON error
# `{"error":{"code":N,"message":…}}`, whichever vendor's path was asked for. The fuzzer reaches 414
# now and then with a long list of repeated parameters.
HTTP_LAYER_STATUSES = {413, 414, 431}


def _vendor(case: schemathesis.Case) -> str:
    return "portkey" if case.operation.path == "/admin/workspaces" else "openrouter"


def _has_body(response: schemathesis.Response) -> bool:
    return response.request.method != "HEAD" and response.status_code not in (204, 304)


def vendor_error_envelope(ctx: Any, response: schemathesis.Response, case: schemathesis.Case) -> None:
    """Every 4xx/5xx response is `application/json` and the vendor's error envelope for its status."""
    status = response.status_code
    if status < 400 or not _has_body(response):
        return None
    content_type = (response.headers.get("content-type") or [""])[0]
    assert content_type == "application/json", f"{status} answered with Content-Type {content_type!r}"
    body = json.loads(response.content)
    if status in HTTP_LAYER_STATUSES:
        assert body == {"error": {"code": status, "message": body["error"]["message"]}}, body
        assert isinstance(body["error"]["message"], str) and body["error"]["message"], body
    elif _vendor(case) == "openrouter":
        assert isinstance(body, dict) and set(body) <= {"error", "openrouter_metadata", "user_id"}, body
        error = body.get("error")
        assert isinstance(error, dict) and set(error) <= {"code", "message", "metadata"}, body
        assert error.get("code") == status, f"error.code {error.get('code')!r} on a {status}"
        assert isinstance(error.get("message"), str) and error["message"], body
        assert isinstance(error.get("metadata", {}), (dict, type(None))), body
    else:
        assert isinstance(body, dict) and body.get("success") is False and set(body) == {"success", "data"}, body
        data = body["data"]
        assert isinstance(data, dict) and set(data) == {"message", "errorCode"}, body
        assert isinstance(data["message"], str) and data["message"], body
        assert data["errorCode"] == PORTKEY_ERROR_CODES.get(status), f"errorCode {data['errorCode']!r} on a {status}"
    return None


def key_decides_access(ctx: Any, response: schemathesis.Response, case: schemathesis.Case) -> None:
    """A GET (or HEAD) with the admin key is never refused for its key; without one it always is."""
    method = response.request.method
    if method not in ("GET", "HEAD") or response.status_code in HTTP_LAYER_STATUSES:
        return None
    headers = response.request.headers
    if _vendor(case) == "openrouter":
        scheme, _, credential = (headers.get("Authorization") or "").partition(" ")
        key = credential.strip() if scheme.lower() == "bearer" else None
        admin, limited = OPENROUTER_MANAGEMENT_KEY, OPENROUTER_INFERENCE_KEY
    else:
        key = headers.get("x-portkey-api-key")
        admin, limited = PORTKEY_ADMIN_KEY, PORTKEY_WORKSPACE_KEY
    status = response.status_code
    if key == admin:
        assert status not in (401, 403), f"the admin key was refused with {status}"
    elif key == limited:
        assert status == 403, f"the lower-privileged key got {status}, expected 403"
    else:
        assert status == 401, f"key {key!r} got {status}, expected 401"
    return None


CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    content_type_conformance,
    response_headers_conformance,
    unsupported_method,
    allow_header_conformance,
    ignored_auth,
    vendor_error_envelope,
    key_decides_access,
]

# Each list document names only GET on its path, but the mock now serves the vendors' lifecycles (issues 13
# and 14): POST /workspaces and POST /admin/workspaces create, so a POST is no longer a 405 and `Allow`
# names it. Those two checks belong to the lifecycle documents, which name both methods (OpenRouter's runs
# in test_schemathesis_lifecycle.py).
LIST_CHECKS = [check for check in CHECKS if check not in (unsupported_method, allow_header_conformance)]

# MARK: - The runs

OPENROUTER_KEYS = {
    "management-key": {"Authorization": f"Bearer {OPENROUTER_MANAGEMENT_KEY}"},
    "no-key": {},
    "inference-key": {"Authorization": f"Bearer {OPENROUTER_INFERENCE_KEY}"},
}
PORTKEY_KEYS = {
    "admin-key": {"x-portkey-api-key": PORTKEY_ADMIN_KEY},
    "no-key": {},
    "workspace-key": {"x-portkey-api-key": PORTKEY_WORKSPACE_KEY},
}

# No example database: nothing is written to the work tree, and a failure prints the request (as curl)
# to reproduce it. The namespace fixture is meant to be shared by all examples of one run.
RUN_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _run(case: schemathesis.Case, base_url: str, run: str, headers: dict[str, str], namespace: str) -> None:
    response = case.call(base_url=base_url, headers={**headers, "X-Mock-Namespace": namespace})
    OBSERVED.setdefault(run, Counter())[f"{response.request.method} {response.status_code}"] += 1
    case.validate_response(response, checks=LIST_CHECKS, headers=headers)


@pytest.mark.parametrize("key", list(OPENROUTER_KEYS))
@OPENROUTER_SCHEMA.parametrize()
@RUN_SETTINGS
def test_openrouter_responses_conform_to_the_published_document(case, key, mock_server: MockServer, namespace):
    _run(case, mock_server.openrouter_url, f"openrouter {key}", OPENROUTER_KEYS[key], namespace)


@pytest.mark.parametrize("key", list(PORTKEY_KEYS))
@PORTKEY_SCHEMA.parametrize()
@RUN_SETTINGS
def test_portkey_responses_conform_to_the_published_document(case, key, mock_server: MockServer, namespace):
    _run(case, mock_server.portkey_url, f"portkey {key}", PORTKEY_KEYS[key], namespace)


# MARK: - The checks catch what they are meant to catch
#
# Each test below takes a real answer from the mock, alters one thing a careless server could get
# wrong, and expects the run's checks to reject it: proof that a green run above means something.


def _tampered(response: schemathesis.Response, *, status: int | None = None, body: Any = None,
              content_type: str | None = "keep") -> schemathesis.Response:
    headers = {name: list(values) for name, values in response.headers.items()}
    if content_type is None:
        headers.pop("content-type", None)
    elif content_type != "keep":
        headers["content-type"] = [content_type]
    content = response.content if body is None else json.dumps(body).encode()
    return schemathesis.Response(
        status_code=status or response.status_code, headers=headers, content=content,
        request=response.request, elapsed=response.elapsed, verify=response.verify)


def _answer(schema: Any, path: str, base_url: str, headers: dict[str, str]) -> tuple[Any, schemathesis.Response]:
    case = schema[path]["GET"].Case(query={})
    return case, case.call(base_url=base_url, headers=headers)


def _assert_rejected(case: Any, response: schemathesis.Response, title: str, headers: dict[str, str]) -> None:
    """Validating `response` fails, and one of the failures has `title` in its title."""
    with pytest.raises(FailureGroup) as caught:
        case.validate_response(response, checks=CHECKS, headers=headers)
    titles = [failure.title for failure in caught.value.exceptions]
    assert any(title in t for t in titles), titles


def _openrouter(mock_server: MockServer, key: str) -> tuple[Any, schemathesis.Response]:
    return _answer(OPENROUTER_SCHEMA, "/workspaces", mock_server.openrouter_url, OPENROUTER_KEYS[key])


def _portkey(mock_server: MockServer, key: str) -> tuple[Any, schemathesis.Response]:
    return _answer(PORTKEY_SCHEMA, "/admin/workspaces", mock_server.portkey_url, PORTKEY_KEYS[key])


def test_untouched_answers_pass_every_check(mock_server):
    for fetch, keys in ((_openrouter, OPENROUTER_KEYS), (_portkey, PORTKEY_KEYS)):
        for key in keys:
            case, response = fetch(mock_server, key)
            case.validate_response(response, checks=CHECKS, headers=keys[key])


def test_an_over_long_request_line_gets_the_http_layers_414_and_passes_every_check(mock_server):
    for schema, path, base_url, query, keys in (
        (OPENROUTER_SCHEMA, "/workspaces", mock_server.openrouter_url, {"offset": "9" * 9000}, OPENROUTER_KEYS),
        (PORTKEY_SCHEMA, "/admin/workspaces", mock_server.portkey_url, {"name": "n" * 9000}, PORTKEY_KEYS),
    ):
        for headers in keys.values():
            case = schema[path]["GET"].Case(query=query)
            response = case.call(base_url=base_url, headers=headers)
            assert response.status_code == 414
            case.validate_response(response, checks=CHECKS, headers=headers)


def test_checks_reject_a_workspace_missing_a_required_key(mock_server):
    case, response = _openrouter(mock_server, "management-key")
    body = json.loads(response.content)
    del body["data"][0]["created_by"]
    _assert_rejected(case, _tampered(response, body=body), "Response violates schema", OPENROUTER_KEYS["management-key"])


def test_checks_reject_an_id_that_is_not_a_uuid(mock_server):
    case, response = _openrouter(mock_server, "management-key")
    body = json.loads(response.content)
    body["data"][0]["id"] = "ws-1"
    _assert_rejected(case, _tampered(response, body=body), "Response violates schema", OPENROUTER_KEYS["management-key"])


def test_checks_reject_a_documented_status_with_another_content_type(mock_server):
    case, response = _openrouter(mock_server, "management-key")
    _assert_rejected(case, _tampered(response, content_type="text/plain"), "Undocumented Content-Type",
                     OPENROUTER_KEYS["management-key"])


def test_checks_reject_a_401_whose_code_is_a_string(mock_server):
    case, response = _openrouter(mock_server, "no-key")
    body = {"error": {"code": "401", "message": "Missing Authentication header"}}
    _assert_rejected(case, _tampered(response, body=body), "Response violates schema", OPENROUTER_KEYS["no-key"])


def test_checks_reject_an_undocumented_403_outside_the_error_envelope(mock_server):
    case, response = _openrouter(mock_server, "inference-key")
    _assert_rejected(case, _tampered(response, body={"message": "Forbidden"}), "vendor_error_envelope",
                     OPENROUTER_KEYS["inference-key"])


def test_checks_reject_a_server_error(mock_server):
    case, response = _openrouter(mock_server, "management-key")
    body = {"error": {"code": 503, "message": "Service Unavailable"}}
    _assert_rejected(case, _tampered(response, status=503, body=body), "Server error", OPENROUTER_KEYS["management-key"])


def test_checks_reject_data_served_without_a_key(mock_server):
    case, response = _openrouter(mock_server, "no-key")
    body = {"data": [], "total_count": 0}
    _assert_rejected(case, _tampered(response, status=200, body=body), "key_decides_access", OPENROUTER_KEYS["no-key"])


def test_checks_reject_a_portkey_total_that_is_a_string(mock_server):
    case, response = _portkey(mock_server, "admin-key")
    body = json.loads(response.content)
    body["total"] = str(body["total"])
    _assert_rejected(case, _tampered(response, body=body), "Response violates schema", PORTKEY_KEYS["admin-key"])


def test_checks_reject_a_portkey_200_without_content_type(mock_server):
    case, response = _portkey(mock_server, "admin-key")
    _assert_rejected(case, _tampered(response, content_type=None), "Missing Content-Type", PORTKEY_KEYS["admin-key"])


def test_checks_reject_a_portkey_401_with_the_wrong_error_code(mock_server):
    case, response = _portkey(mock_server, "no-key")
    body = {"success": False, "data": {"message": "Unauthorised Request", "errorCode": "AB01"}}
    _assert_rejected(case, _tampered(response, body=body), "vendor_error_envelope", PORTKEY_KEYS["no-key"])
