"""Schemathesis over OpenRouter's workspace-lifecycle document (spec/openrouter-workspaces-lifecycle.openapi.yaml,
a byte-for-byte copy of the vendor's document, never edited).

Two parts:
- Every operation on its own (examples, coverage and fuzzing phases; positive and negative data) with the
  management key, each operation in its own X-Mock-Namespace so what one operation's cases write never
  reaches another's.
- The stateful phase. The vendor's document has no `links`, and Schemathesis' own link inference finds none
  from `createWorkspace` to the operations on `/workspaces/{id}`, so the harness adds links (`links()`
  below) to an in-memory copy of the document and turns inference off: the transitions are exactly ours.
  Each scenario starts from a reset namespace and uses positive data, folded by a `map_body` hook into the
  ranges the document states only in prose; `use_after_free` and `ensure_resource_availability` run on
  every response. The mock's own journal (GET /__admin/requests, read at the end of each scenario) must
  then show create → get → update → delete chains on one workspace, each answered 2xx, and reads of what
  was deleted, none answered 2xx: a stateful phase that never got that far would pass without testing
  anything. It runs in rounds until three chains have run.

Checks left off, and why, are in scripts/conformance/README.md.
"""

from __future__ import annotations

import copy
import json
import os
from collections import Counter
from functools import lru_cache
from typing import Any, Callable

import pytest
import schemathesis
import yaml
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.openapi.checks import EnsureResourceAvailability
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    content_type_conformance,
    ensure_resource_availability,
    ignored_auth,
    response_headers_conformance,
    response_schema_conformance,
    unsupported_method,
    use_after_free,
)

from conftest import OPENROUTER_MANAGEMENT_KEY, SPEC_DIR, MockServer
from openrouter_lifecycle_contract import created_ids, load_seed

SPEC_PATH = SPEC_DIR / "openrouter-workspaces-lifecycle.openapi.yaml"
MAX_EXAMPLES = int(os.environ.get("CONFORMANCE_LIFECYCLE_MAX_EXAMPLES", "40"))
# The stateful phase runs in rounds of STATEFUL_SCENARIOS scenarios of up to STATEFUL_STEPS steps, until
# the journal shows WANTED_CHAINS create → get → update → delete chains, at most STATEFUL_ROUNDS rounds.
STATEFUL_SCENARIOS = int(os.environ.get("CONFORMANCE_STATEFUL_SCENARIOS", "30"))
STATEFUL_STEPS = int(os.environ.get("CONFORMANCE_STATEFUL_STEPS", "20"))
STATEFUL_ROUNDS = int(os.environ.get("CONFORMANCE_STATEFUL_ROUNDS", "6"))
WANTED_CHAINS = int(os.environ.get("CONFORMANCE_STATEFUL_CHAINS", "3"))
HEADERS = {"Authorization": f"Bearer {OPENROUTER_MANAGEMENT_KEY}"}
API_PREFIX = "/api/v1"

# The stateful phase: only the document's own links (none) and ours, no inferred transitions; positive data
# only (negative data runs per operation above, and a negative case drops the key, which ends a chain).
CONFIG = {"phases": {"stateful": {"inference": {"algorithms": []}, "generation": {"mode": "positive"}}}}

# Status counts per run, and what the stateful phase achieved, printed at the end of the session
# (conftest.pytest_terminal_summary).
OBSERVED: dict[str, Counter] = {}
SUMMARY: list[str] = []

# MARK: - Checks of our own


def openrouter_error_envelope(ctx: Any, response: schemathesis.Response, case: schemathesis.Case) -> None:
    """Every 4xx/5xx, documented or not, is `application/json` and `{"error":{"code":<status>,"message":…}}`
    (only `metadata` beside them, only `openrouter_metadata` and `user_id` beside `error`)."""
    status = response.status_code
    if status < 400 or response.request.method == "HEAD":
        return None
    content_type = (response.headers.get("content-type") or [""])[0]
    assert content_type == "application/json", f"{status} answered with Content-Type {content_type!r}"
    body = json.loads(response.content)
    assert isinstance(body, dict) and set(body) <= {"error", "openrouter_metadata", "user_id"}, body
    error = body.get("error")
    assert isinstance(error, dict) and set(error) <= {"code", "message", "metadata"}, body
    assert error.get("code") == status, f"error.code {error.get('code')!r} on a {status}"
    assert isinstance(error.get("message"), str) and error["message"], body
    return None


def management_key_accepted(ctx: Any, response: schemathesis.Response, case: schemathesis.Case) -> None:
    """The management key is never refused: no 401, and a 403 only where the contract has one besides the key
    (deleting the default workspace without confirmation). 413/414/431 come from the HTTP layer."""
    status = response.status_code
    if status in (413, 414, 431) or response.request.headers.get("Authorization") != HEADERS["Authorization"]:
        return None
    assert status != 401, "the management key got 401"
    if status == 403:
        assert (response.request.method, case.operation.path) == ("DELETE", "/workspaces/{id}"), \
            f"the management key got 403 on {response.request.method} {case.operation.path}"
        message = json.loads(response.content)["error"]["message"]
        assert "default" in message.lower(), message
    return None


def _data(response: Any) -> dict[str, Any]:
    try:
        data = json.loads(response.content).get("data")
    except (ValueError, AttributeError):
        return {}
    return data if isinstance(data, dict) else {}


def ensure_resource_availability_by_id_or_slug(ctx: Any, response: schemathesis.Response,
                                               case: schemathesis.Case) -> None:
    """Schemathesis' `ensure_resource_availability`, told that a workspace answers to two names. The
    built-in check fails a 404 on a just-created resource unless a DELETE or PATCH of the very same path
    came first: it cannot know that `DELETE /workspaces/<slug>` also removes `/workspaces/<id>/…`, or that
    a PATCH moving the slug frees the old one. Its failure stands unless, earlier in the same scenario, a
    2xx DELETE named the workspace (by its id or any slug it had), or a 2xx PATCH moved its slug and the
    404 was for a slug."""
    try:
        ensure_resource_availability(ctx, response, case)
    except EnsureResourceAvailability:
        parent = ctx.internals.find_parent(case_id=case.id)
        created = _data(ctx.internals.find_response(case_id=parent.id)) if parent is not None else {}
        workspace_id = created.get("id")
        names, moved = {workspace_id, created.get("slug")} - {None}, False
        recorder = ctx.internals.recorder
        for prior in recorder.find_all_cases() if recorder is not None else ():
            prior_response = recorder.find_response(case_id=prior.id)
            if (prior.id == case.id or prior.path != "/workspaces/{id}" or prior_response is None
                    or not 200 <= prior_response.status_code < 300):
                continue
            method, ref = prior.method.upper(), (prior.path_parameters or {}).get("id")
            if method == "DELETE" and ref in names:
                return None
            answer = _data(prior_response)
            if method == "PATCH" and answer.get("id") == workspace_id:
                moved = moved or answer.get("slug") != created.get("slug")
                names.add(answer.get("slug"))
        if moved and case.path_parameters.get("id") != workspace_id:
            return None
        raise
    return None


STATELESS_CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    content_type_conformance,
    response_headers_conformance,
    unsupported_method,
    allow_header_conformance,
    ignored_auth,
    openrouter_error_envelope,
    management_key_accepted,
]
STATEFUL_CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    content_type_conformance,
    use_after_free,
    ensure_resource_availability_by_id_or_slug,
    openrouter_error_envelope,
    management_key_accepted,
]

# MARK: - Every operation on its own

STATELESS_SCHEMA = schemathesis.openapi.from_path(SPEC_PATH)

RUN_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@STATELESS_SCHEMA.parametrize()
@RUN_SETTINGS
def test_lifecycle_operations_conform_to_the_published_document(case, mock_server: MockServer, namespace):
    response = case.call(base_url=mock_server.openrouter_url, headers={**HEADERS, "X-Mock-Namespace": namespace})
    OBSERVED.setdefault(f"lifecycle {case.operation.label}", Counter())[
        f"{response.request.method} {response.status_code}"] += 1
    case.validate_response(response, checks=STATELESS_CHECKS, headers=HEADERS)


# MARK: - The links the vendor's document leaves out


def _link(operation_id: str, body: Any = None, **parameters: str) -> dict[str, Any]:
    link: dict[str, Any] = {"operationId": operation_id, "parameters": parameters}
    if body is not None:
        link["requestBody"] = body
        link["x-schemathesis"] = {"merge_body": False}  # the whole body, not merged into a generated one
    return link


def links(organization_member: str) -> dict[tuple[str, str, str], dict[str, dict[str, Any]]]:
    """(path, method, status) → the links to add to that response. `organization_member` is a user id from
    the seed, so a linked members/add can succeed. A created workspace leads to every kind of operation
    (removing members and reading or deleting one budget follow from adding and setting); later steps lead
    mostly along the lifecycle (get → update → delete → reads of what was deleted), so that within a
    scenario's few steps full chains are common. Budgets and members are always named by the workspace's
    id: `use_after_free` compares paths, so a budget deleted under the slug and set again under the id
    would look like a deleted budget still served."""
    new_id, new_slug = "$response.body#/data/id", "$response.body#/data/slug"
    same_id, same_interval = "$request.path.id", "$request.path.interval"
    return {
        ("/workspaces", "post", "201"): {
            "GetWorkspace": _link("getWorkspace", id=new_id),
            "GetWorkspaceBySlug": _link("getWorkspace", id=new_slug),
            "UpdateWorkspace": _link("updateWorkspace", id=new_id),
            "DeleteWorkspace": _link("deleteWorkspace", id=new_id),
            "ListWorkspaceMembers": _link("listWorkspaceMembers", id=new_id),
            "AddWorkspaceMember": _link("bulkAddWorkspaceMembers", {"user_ids": [organization_member]}, id=new_id),
            "ListWorkspaceBudgets": _link("listWorkspaceBudgets", id=new_id),
            "SetWorkspaceBudget": _link("upsertWorkspaceBudget", id=new_id),
        },
        ("/workspaces/{id}", "get", "200"): {
            "UpdateWorkspace": _link("updateWorkspace", id=new_id),
            "DeleteWorkspace": _link("deleteWorkspace", id=new_id),
            "ListWorkspaceMembers": _link("listWorkspaceMembers", id=new_slug),
            "SetWorkspaceBudget": _link("upsertWorkspaceBudget", id=new_id),
        },
        ("/workspaces/{id}", "patch", "200"): {
            "GetWorkspace": _link("getWorkspace", id=new_id),
            "GetWorkspaceBySlug": _link("getWorkspace", id=new_slug),  # the slug may have moved
            "DeleteWorkspace": _link("deleteWorkspace", id=new_id),
            "DeleteWorkspaceBySlug": _link("deleteWorkspace", id=new_slug),
        },
        # After a delete, everything under the same reference must be gone (use_after_free reads these).
        ("/workspaces/{id}", "delete", "200"): {
            "GetWorkspace": _link("getWorkspace", id=same_id),
            "UpdateWorkspace": _link("updateWorkspace", id=same_id),
            "ListWorkspaceMembers": _link("listWorkspaceMembers", id=same_id),
            "ListWorkspaceBudgets": _link("listWorkspaceBudgets", id=same_id),
        },
        ("/workspaces/{id}/members/add", "post", "200"): {
            "ListWorkspaceMembers": _link("listWorkspaceMembers", id=same_id),
            "RemoveWorkspaceMembers": _link(
                "bulkRemoveWorkspaceMembers", {"user_ids": ["$response.body#/data/0/user_id"]}, id=same_id),
        },
        ("/workspaces/{id}/budgets/{interval}", "put", "200"): {
            "GetWorkspaceBudget": _link("getWorkspaceBudget", id="$response.body#/data/workspace_id",
                                        interval=same_interval),
            "DeleteWorkspaceBudget": _link("deleteWorkspaceBudget", id=same_id, interval=same_interval),
            "ListWorkspaceBudgets": _link("listWorkspaceBudgets", id=same_id),
        },
        ("/workspaces/{id}/budgets/{interval}", "delete", "200"): {
            "GetWorkspaceBudget": _link("getWorkspaceBudget", id=same_id, interval=same_interval),
        },
    }


@lru_cache(maxsize=1)
def vendor_document() -> dict[str, Any]:
    with open(SPEC_PATH, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def linked_document(organization_member: str) -> dict[str, Any]:
    """A copy of the vendor's document with LINKS added (the file itself stays as the vendor wrote it)."""
    document = copy.deepcopy(vendor_document())
    for (path, method, status), added in links(organization_member).items():
        response = document["paths"][path][method]["responses"][status]
        assert "links" not in response, f"the vendor's document now has links on {method} {path} {status}"
        response["links"] = added
    return document


def within_documented_ranges(context: Any, body: Any) -> Any:
    """A `map_body` hook for the stateful phase: the document gives `io_logging_sampling_rate` its range
    (0.0001–1) and `limit_usd` its floor (> 0) only in prose, so most generated values break them and the
    mock rightly answers 400; folded into range they let creates, updates and budgets succeed and chains
    go on. Values the schema itself forbids are left alone."""
    if not isinstance(body, dict):
        return body
    rate = body.get("io_logging_sampling_rate")
    if isinstance(rate, (int, float)) and not isinstance(rate, bool) and not 0.0001 <= rate <= 1:
        body = {**body, "io_logging_sampling_rate": min(1.0, max(0.0001, abs(rate) % 1 or 1.0))}
    limit = body.get("limit_usd")
    if isinstance(limit, (int, float)) and not isinstance(limit, bool) and limit <= 0:
        body = {**body, "limit_usd": abs(limit) + 1}
    return body


def stateful_schema() -> Any:
    schema = schemathesis.openapi.from_dict(linked_document(linkable_user()),
                                            config=SchemathesisConfig.from_dict(CONFIG))
    schema.hook("map_body")(within_documented_ranges)
    return schema


def test_the_vendor_document_alone_gives_the_stateful_phase_nothing_to_chain():
    schema = schemathesis.openapi.from_dict(vendor_document(), config=SchemathesisConfig.from_dict(CONFIG))
    assert schema.statistic.transitions.total == 0


def linkable_user() -> str:
    """An organization member from the seed, for the linked members/add body."""
    seed = load_seed()
    assert seed.organization_members, "seed-data/openrouter/organization-members.json is missing or empty"
    return seed.organization_members[0]["id"]


def test_the_added_links_resolve_to_the_documents_operations():
    machine = stateful_schema().as_state_machine()
    outgoing = {label: len(t.outgoing) for label, t in machine._transitions.operations.items() if t.outgoing}
    assert outgoing == {
        "POST /workspaces": 8, "GET /workspaces/{id}": 4, "PATCH /workspaces/{id}": 4,
        "DELETE /workspaces/{id}": 4, "POST /workspaces/{id}/members/add": 2,
        "PUT /workspaces/{id}/budgets/{interval}": 3, "DELETE /workspaces/{id}/budgets/{interval}": 1,
    }


# MARK: - The stateful phase


def _chains(scenario: list[dict[str, Any]], names: dict[str, set[str]], seeded: list[str]) -> list[str]:
    """The created workspaces on which one scenario's journal shows create, then get, then update, then
    delete, each answered 2xx. The n-th create answered 201 in a reset namespace made the n-th derived id
    (the contract's rule); `names` adds the slugs each workspace had, so a step by slug counts too."""
    creates = [i for i, e in enumerate(scenario)
               if (e["method"], e["path"], e["status"]) == ("POST", f"{API_PREFIX}/workspaces", 201)]
    found = []
    for start, workspace_id in zip(creates, created_ids(len(creates), seeded)):
        paths = {f"{API_PREFIX}/workspaces/{ref}" for ref in names.get(workspace_id, set()) | {workspace_id}}
        position: int | None = start
        for method in ("GET", "PATCH", "DELETE"):
            position = next((i for i in range(position + 1, len(scenario))
                             if scenario[i]["method"] == method and scenario[i]["path"] in paths
                             and 200 <= (scenario[i]["status"] or 0) < 300), None)
            if position is None:
                break
        else:
            found.append(workspace_id)
    return found


def _reads_after_delete(scenario: list[dict[str, Any]]) -> list[tuple[str, int]]:
    """(path, status) of every GET with the key (not answered 401) of a path, or of one under it, after a
    DELETE of that path answered 2xx (and no PUT made it again, nor a POST or PATCH gave another workspace
    the deleted slug: Hypothesis reuses strings it drew before)."""
    deleted: set[str] = set()
    reads = []
    for entry in scenario:
        method, path, status = entry["method"], entry["path"], entry["status"] or 0
        if method == "DELETE" and 200 <= status < 300:
            deleted.add(path)
        elif method == "PUT" and 200 <= status < 300:
            deleted.discard(path)
        elif method in ("POST", "PATCH") and 200 <= status < 300 and (slug := _slug_in(entry.get("body"))):
            deleted.discard(f"/api/v1/workspaces/{slug}")
        elif method == "GET" and status != 401 and any(path == d or path.startswith(d + "/") for d in deleted):
            reads.append((path, status))
    return reads


def _slug_in(body: str | None) -> str | None:
    """The `slug` a JSON request body sets, if any."""
    try:
        value = json.loads(body) if body else None
    except ValueError:
        return None
    slug = value.get("slug") if isinstance(value, dict) else None
    return slug if isinstance(slug, str) else None


Scenario = tuple[list[dict[str, Any]], dict[str, set[str]]]
Tamper = Callable[[schemathesis.Response, schemathesis.Case], schemathesis.Response]


def lifecycle_workflow(mock_server: MockServer, namespace: str, scenarios: list[Scenario],
                       tamper: Tamper | None = None) -> Any:
    """The state machine over the linked document, against `namespace`: reset at the start of each scenario,
    the journal and the slugs each workspace had collected in `scenarios` at its end. `tamper` may alter
    an answer before the checks see it (for the tests that prove the checks catch a faulty server)."""
    observed = OBSERVED.setdefault("lifecycle stateful", Counter()) if tamper is None else Counter()
    call_kwargs = {"base_url": mock_server.openrouter_url, "headers": {**HEADERS, "X-Mock-Namespace": namespace}}

    class LifecycleWorkflow(stateful_schema().as_state_machine()):  # type: ignore[misc]
        def setup(self) -> None:
            mock_server.admin("POST", "reset", namespace)
            self.names: dict[str, set[str]] = {}  # workspace id → the slugs the answers gave it

        def before_call(self, case: schemathesis.Case) -> None:
            # The key as a value of the case itself, not only of the transport: the document declares the
            # security scheme as a header parameter, and `ensure_resource_availability` judges a 404 only
            # when every parameter was fixed (by a link or by us) rather than generated.
            case.headers = {**(case.headers or {}), **HEADERS}

        def call(self, case: schemathesis.Case, **kwargs: Any) -> schemathesis.Response:
            response = super().call(case, **kwargs)
            return tamper(response, case) if tamper is not None else response

        def after_call(self, response: schemathesis.Response, case: schemathesis.Case) -> None:
            super().after_call(response, case)
            if response.status_code in (200, 201) and case.operation.path in ("/workspaces", "/workspaces/{id}"):
                data = json.loads(response.content).get("data")
                if isinstance(data, dict) and "id" in data:
                    self.names.setdefault(data["id"], set()).add(data["slug"])

        def teardown(self) -> None:
            scenarios.append((mock_server.journal(namespace, "openrouter"), self.names))

        def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, Any]:
            return call_kwargs

        def validate_response(self, response, case, additional_checks=None, **kwargs):  # type: ignore[override]
            observed[f"{response.request.method} {case.operation.path} {response.status_code}"] += 1
            case.validate_response(response, checks=STATEFUL_CHECKS, headers=HEADERS,
                                   transport_kwargs=kwargs or None, recorder=self.recorder)

    return LifecycleWorkflow


def stateful_settings(scenarios: int) -> settings:
    return settings(max_examples=scenarios, stateful_step_count=STATEFUL_STEPS, deadline=None, database=None,
                    phases=[Phase.generate], suppress_health_check=list(HealthCheck))


def test_stateful_lifecycle_chains_run_and_pass_the_stateful_checks(mock_server: MockServer, namespace):
    seed = load_seed()
    scenarios: list[Scenario] = []
    workflow = lifecycle_workflow(mock_server, namespace, scenarios)

    # What the server saw: the chains the links exist for, and reads of what was deleted.
    seeded = [w["id"] for w in seed.workspaces]
    chains: list[str] = []
    reads_after_delete: list[tuple[str, int]] = []
    rounds = 0
    while rounds < STATEFUL_ROUNDS and len(chains) < WANTED_CHAINS:
        rounds += 1
        scenarios.clear()
        workflow.run(settings=stateful_settings(STATEFUL_SCENARIOS))
        for journal, names in scenarios:
            chains += _chains(journal, names, seeded)
            reads_after_delete += _reads_after_delete(journal)
        requests = sum(len(journal) for journal, _ in scenarios)
        SUMMARY.append(
            f"stateful round {rounds}: {len(scenarios)} scenarios, {requests} requests in the journal; "
            f"so far {len(chains)} create → get → update → delete chains, {len(reads_after_delete)} reads "
            f"after a delete (statuses {sorted(Counter(status for _, status in reads_after_delete).items())})")

    assert len(chains) >= WANTED_CHAINS, \
        f"only {len(chains)} create → get → update → delete chains in {rounds} rounds"
    assert reads_after_delete, "no read ever followed a delete, so use_after_free had nothing to check"
    statuses = Counter(status for _, status in reads_after_delete)
    assert not [path for path, status in reads_after_delete if status < 400], reads_after_delete
    assert statuses[404] >= len(reads_after_delete) // 2, statuses  # 400 only for a generated bad interval


# MARK: - The stateful checks catch what they are meant to catch
#
# The same workflow against the mock, with answers altered the way a careless server could get them wrong;
# the run must fail with the check meant to catch it (no shrinking: the first failure ends the run).


def _failure_titles(error: BaseException) -> list[str]:
    """Every failure title inside `error` (a FailureGroup, possibly nested in exception groups)."""
    titles, pending = [], [error]
    while pending:
        current = pending.pop()
        titles.append(f"{type(current).__name__}: {getattr(current, 'title', '')}")
        pending.extend(getattr(current, "exceptions", ()) or ())
    return titles


def _envelope(response: schemathesis.Response, status: int, body: Any) -> schemathesis.Response:
    return schemathesis.Response(
        status_code=status, headers={name: list(values) for name, values in response.headers.items()},
        content=json.dumps(body).encode(), request=response.request, elapsed=response.elapsed,
        verify=response.verify)


def test_stateful_checks_catch_a_deleted_workspace_that_is_still_served(mock_server: MockServer, namespace):
    served: dict[str, bytes] = {}  # the last 2xx body of each workspace path

    def still_there(response: schemathesis.Response, case: schemathesis.Case) -> schemathesis.Response:
        path = response.request.url.split("?")[0]
        if case.operation.path == "/workspaces/{id}" and case.method == "GET":
            if response.status_code == 200:
                served[path] = response.content
            elif response.status_code == 404 and path in served:
                return _envelope(response, 200, json.loads(served[path]))
        return response

    workflow = lifecycle_workflow(mock_server, namespace, [], tamper=still_there)
    with pytest.raises(BaseException) as caught:
        workflow.run(settings=stateful_settings(60))
    assert any("UseAfterFree" in title for title in _failure_titles(caught.value)), _failure_titles(caught.value)


def test_stateful_checks_catch_a_created_workspace_that_cannot_be_read(mock_server: MockServer, namespace):
    def lost(response: schemathesis.Response, case: schemathesis.Case) -> schemathesis.Response:
        if case.operation.path == "/workspaces/{id}" and case.method == "GET" and response.status_code == 200:
            return _envelope(response, 404, {"error": {"code": 404, "message": "Resource not found"}})
        return response

    workflow = lifecycle_workflow(mock_server, namespace, [], tamper=lost)
    with pytest.raises(BaseException) as caught:
        workflow.run(settings=stateful_settings(60))
    assert any("EnsureResourceAvailability" in title for title in _failure_titles(caught.value)), \
        _failure_titles(caught.value)
