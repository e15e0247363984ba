"""The official OpenRouter Python SDK (openrouter 1.3.x) through the whole workspace lifecycle (issue 13):
create, get (by id and by slug), update, delete, the listing, members, budgets and the organization roster.

Every SDK call runs twice, once through the synchronous method and once through its `_async` twin (the
`api` fixture: one event loop per test, so the SDK's async httpx client keeps its pool). Each result is
compared twice: the SDK's parsed model, field by field, and the raw JSON the mock sent (read with httpx),
key order included where the contract fixes it. Expected values come from the seed files (read at test
time) and the contract's derivations (openrouter_lifecycle_contract.py), never from the mock.

SDK behaviours relied on (openrouter 1.3.84):
- it sends only the arguments given, and `null` for an explicit `None` of a nullable field;
- `delete(confirm_default_workspace_deletion=True)` sends `?confirm_default_workspace_deletion=true`;
- the delete responses' models expose the literal as `DELETED` (alias `deleted`) and default it to True, so
  the SDK would accept a 200 without it: the raw JSON is checked for `{"deleted": true}` as well;
- a page's `next()` asks for `offset + len(data)` and stops after a short or empty page;
- typed errors: BadRequestResponseError (400; not for list, get, list_members, list_budgets and the
  organization roster, where a 400 is its OpenRouterDefaultError), UnauthorizedResponseError (401),
  ForbiddenResponseError (403), NotFoundResponseError (404; not for list and create);
- `WorkspaceBudgetInterval` accepts any string, so an unknown interval reaches the mock;
- every 5xx is retried for up to an hour by default: calls here pass retries off.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import re
from typing import Any, Callable, Iterator

import httpx
import pytest
from openrouter import OpenRouter, errors, utils
from openrouter.types import UNSET

from conftest import OPENROUTER_INFERENCE_KEY, OPENROUTER_MANAGEMENT_KEY, MockServer
from openrouter_lifecycle_contract import (
    BUDGET_KEYS,
    COLLECTIONS,
    INTERVALS,
    MEMBER_KEYS,
    ORG_MEMBER_KEYS,
    WORKSPACE_KEYS,
    Seed,
    assert_stamped_between,
    budget_id,
    created_ids,
    guardrail_id,
    load_seed,
    member_id,
    new_budget,
    new_member,
    new_workspace,
    parse_timestamp,
    utc_now,
)

NO_RETRIES = utils.RetryConfig("none", utils.BackoffStrategy(1, 1, 1, 1), False)
UNKNOWN_WORKSPACE = "00000000-0000-4000-8000-000000000000"


# MARK: - The SDK, sync or async


class _Group:
    """`sdk.workspaces` or `sdk.organization`, whose methods run sync or async as the driver says."""

    def __init__(self, driver: "Sdk", group: Any) -> None:
        self._driver, self._group = driver, group

    def __getattr__(self, name: str) -> Callable[..., Any]:
        def call(**kwargs: Any) -> Any:
            kwargs.setdefault("http_headers", self._driver.headers)
            kwargs.setdefault("retries", NO_RETRIES)
            if self._driver.mode == "sync":
                return getattr(self._group, name)(**kwargs)
            return self._driver.wait(getattr(self._group, f"{name}_async")(**kwargs))
        return call


class Sdk:
    """One OpenRouter client for one namespace, driven through its sync or its async methods."""

    def __init__(self, mock_server: MockServer, namespace: str, mode: str,
                 api_key: str | None = OPENROUTER_MANAGEMENT_KEY) -> None:
        self.mode, self.namespace = mode, namespace
        self.headers = {"X-Mock-Namespace": namespace}
        self.client = OpenRouter(api_key=api_key, server_url=mock_server.openrouter_url)
        self.loop = asyncio.new_event_loop() if mode == "async" else None
        self.workspaces = _Group(self, self.client.workspaces)
        self.organization = _Group(self, self.client.organization)

    def wait(self, awaitable: Any) -> Any:
        assert self.loop is not None
        return self.loop.run_until_complete(awaitable)

    def next(self, page: Any) -> Any:
        """The page after `page` (the async SDK's `next()` returns an awaitable)."""
        following = page.next()
        return self.wait(following) if inspect.isawaitable(following) else following

    def walk(self, page: Any) -> tuple[list[Any], list[Any]]:
        """Every record from `page` on, following `next()` until the SDK stops, and the pages."""
        records, pages = [], []
        while page is not None:
            pages.append(page)
            assert len(pages) <= 500, "the SDK's next() never stopped"
            records.extend(page.result.data)
            page = self.next(page)
        return records, pages

    def close(self) -> None:
        if self.loop is not None:
            self.loop.run_until_complete(self.client.__aexit__(None, None, None))
            self.loop.close()
        self.client.__exit__(None, None, None)


@pytest.fixture
def make_sdk(mock_server: MockServer, namespace: str) -> Iterator[Callable[..., Sdk]]:
    made: list[Sdk] = []

    def make(mode: str, api_key: str | None = OPENROUTER_MANAGEMENT_KEY, ns: str | None = None) -> Sdk:
        made.append(Sdk(mock_server, ns or namespace, mode, api_key))
        return made[-1]

    yield make
    for sdk in made:
        sdk.close()


@pytest.fixture(params=["sync", "async"])
def api(request: pytest.FixtureRequest, make_sdk: Callable[..., Sdk]) -> Sdk:
    return make_sdk(request.param)


@pytest.fixture(scope="session")
def seed() -> Seed:
    return load_seed()


# MARK: - Raw HTTP and comparisons


class Raw:
    """The same namespace through plain httpx, to read exactly what the mock sends."""

    def __init__(self, mock_server: MockServer, namespace: str) -> None:
        self.mock_server, self.namespace = mock_server, namespace

    def request(self, method: str, path: str, *, key: str | None = OPENROUTER_MANAGEMENT_KEY,
                headers: dict[str, str] | None = None, **kwargs: Any) -> httpx.Response:
        sent = {"X-Mock-Namespace": self.namespace, **(headers or {})}
        if key is not None:
            sent["Authorization"] = f"Bearer {key}"
        return httpx.request(method, f"{self.mock_server.openrouter_url}{path}", headers=sent, timeout=10, **kwargs)

    def json(self, method: str, path: str, status: int = 200, **kwargs: Any) -> Any:
        response = self.request(method, path, **kwargs)
        assert response.status_code == status, f"{method} {path}: {response.status_code} {response.text}"
        assert response.headers["content-type"] == "application/json"
        return response.json()

    def error(self, method: str, path: str, status: int, *fragments: str, **kwargs: Any) -> str:
        """Asserts the vendor's error envelope for `status`; returns its message."""
        body = self.json(method, path, status, **kwargs)
        assert set(body) <= {"error", "openrouter_metadata", "user_id"}, body
        assert set(body["error"]) <= {"code", "message", "metadata"}, body
        assert body["error"]["code"] == status, body
        message = body["error"]["message"]
        assert isinstance(message, str) and message
        for fragment in fragments:
            assert fragment in message, f"{fragment!r} not in {message!r}"
        return message

    def listing(self, path: str, limit: int = 100) -> tuple[list[dict[str, Any]], int]:
        """Every record of a paged listing, read page by page, and its total_count."""
        records: list[dict[str, Any]] = []
        offset = 0
        while True:
            page = self.json("GET", path, params={"offset": offset, "limit": limit})
            assert list(page) == ["data", "total_count"], page.keys()
            records.extend(page["data"])
            if len(page["data"]) < limit:
                return records, page["total_count"]
            offset += limit

    def seed_collection(self, name: str) -> Any:
        return self.mock_server.admin("GET", f"seed/openrouter/{name}", self.namespace).json()


@pytest.fixture
def raw(mock_server: MockServer, namespace: str) -> Raw:
    return Raw(mock_server, namespace)


def fields_of(model: Any, expected: dict[str, Any]) -> dict[str, Any]:
    """The typed model's values for the keys of `expected`."""
    return {key: getattr(model, key) for key in expected}


def assert_model(model: Any, expected: dict[str, Any]) -> None:
    assert fields_of(model, expected) == expected


def assert_models(models: list[Any], expected: list[dict[str, Any]]) -> None:
    assert len(models) == len(expected), (len(models), len(expected))
    for model, record in zip(models, expected):
        assert_model(model, record)


def assert_record(record: dict[str, Any], expected: dict[str, Any], keys: tuple[str, ...] | None = None) -> None:
    """A raw record equals `expected`, with exactly its keys (in `keys` order when given)."""
    assert record == expected
    if keys is not None:
        assert list(record) == [k for k in keys if k in expected] + [k for k in expected if k not in keys]


class expect_error:
    """`with expect_error(errors.X, 400, "slug"):` — the call raises the SDK's typed error X with that
    status, the vendor's envelope in its body, and each fragment in the message."""

    def __init__(self, error_type: type, status: int, *fragments: str) -> None:
        self.error_type, self.status, self.fragments = error_type, status, fragments
        self._raises = pytest.raises(error_type)
        self.error: Any = None

    def __enter__(self) -> "expect_error":
        self._info = self._raises.__enter__()
        return self

    def __exit__(self, *exc: Any) -> bool:
        if not self._raises.__exit__(*exc):
            return False  # another exception: let it through
        error = self.error = self._info.value
        assert type(error) is self.error_type, type(error)
        assert error.status_code == self.status, (error.status_code, error.body)
        assert error.headers["content-type"] == "application/json"
        body = json.loads(error.body)
        assert set(body) <= {"error", "openrouter_metadata", "user_id"}, body
        assert body["error"]["code"] == self.status, body
        if self.error_type is not errors.OpenRouterDefaultError:
            assert error.data.error.code == self.status
            assert error.data.error.message == body["error"]["message"] == error.message
        for fragment in self.fragments:
            assert fragment in body["error"]["message"], f"{fragment!r} not in {body['error']['message']!r}"
        return True


def amount_named(message: str, amount: float) -> bool:
    """The message shows `amount` (as 80, 80.0, 80.00 or $80)."""
    text = f"{amount:g}"
    return re.search(rf"(?<![\d.]){re.escape(text)}(?:\.0+)?(?![\d])", message) is not None


def query_of(entry: dict[str, Any]) -> dict[str, str]:
    return {name: values[-1] for name, values in entry["query"].items()}


def journal_for(mock_server: MockServer, namespace: str, method: str, path: str) -> list[dict[str, Any]]:
    return [e for e in mock_server.journal(namespace, "openrouter") if e["method"] == method and e["path"] == path]


def expected_offsets(total: int, limit: int) -> list[int]:
    """The offsets the SDK asks for walking `total` records `limit` at a time: it stops after a short
    page, and after an empty one when the total divides evenly."""
    return list(range(0, total, limit)) + ([total] if total % limit == 0 else [])


# MARK: - Seed picks


def default_workspace(seed: Seed) -> dict[str, Any]:
    assert seed.default_workspace_id, "seed-data/openrouter/settings.json names no default workspace"
    return seed.workspace(seed.default_workspace_id)


def busiest_workspace(seed: Seed) -> dict[str, Any]:
    """The non-default seed workspace with the most members."""
    candidates = [w for w in seed.workspaces if w["id"] != seed.default_workspace_id]
    best = max(candidates, key=lambda w: len(seed.members_of(w["id"])))
    assert len(seed.members_of(best["id"])) >= 4, "the seed needs a workspace with at least 4 members"
    return best


def budgeted_workspace(seed: Seed) -> dict[str, Any]:
    """The non-default seed workspace with the most budgets (ties: the first)."""
    candidates = [w for w in seed.workspaces if w["id"] != seed.default_workspace_id]
    best = max(candidates, key=lambda w: len(seed.budgets_of(w["id"])))
    assert seed.budgets_of(best["id"]), "the seed has no budgets"
    return best


def outsiders(seed: Seed, workspace_id: str, count: int) -> list[dict[str, Any]]:
    """`count` organization members who are not members of the workspace, admins first when there are."""
    inside = {m["user_id"] for m in seed.members_of(workspace_id)}
    people = [m for m in seed.organization_members if m["id"] not in inside]
    people.sort(key=lambda m: m["role"] != "org:admin")
    assert len(people) >= count, "the seed has too few organization members"
    return people[:count]


# MARK: - Create, get, update, delete


FULL_CREATE = {
    "description": "Conformance workspace with every field",
    "default_text_model": "openai/gpt-4o",
    "default_image_model": "openai/dall-e-3",
    "default_provider_sort": "latency",
    "io_logging_api_key_ids": [11, 12],
    "io_logging_sampling_rate": 0.25,
    "is_data_discount_logging_enabled": False,
    "is_observability_broadcast_enabled": True,
    "is_observability_io_logging_enabled": True,
    "disabled_server_tools": ["openrouter:web_search"],
}


def test_create_makes_the_contract_record_and_get_finds_it_by_id_and_by_slug(api, raw, seed):
    first_id, second_id = created_ids(2, (w["id"] for w in seed.workspaces))
    before = utc_now()
    full = api.workspaces.create(name="Conformance Full", slug="conformance-full", **FULL_CREATE).data
    minimal = api.workspaces.create(name="Conformance Minimal", slug="conformance-minimal").data
    after = utc_now()

    assert_stamped_between(full.created_at, before, after)
    assert_stamped_between(minimal.created_at, before, after)
    expected_full = new_workspace(first_id, "Conformance Full", "conformance-full", full.created_at, **FULL_CREATE)
    expected_minimal = new_workspace(second_id, "Conformance Minimal", "conformance-minimal", minimal.created_at)
    assert expected_full["default_guardrail_id"] == guardrail_id(first_id)
    assert_model(full, expected_full)
    assert_model(minimal, expected_minimal)
    assert isinstance(minimal.disabled_server_tools, type(UNSET))  # not sent, so not on the record

    for expected in (expected_full, expected_minimal):
        for ref in (expected["id"], expected["slug"]):
            assert_model(api.workspaces.get(id=ref).data, expected)
            body = raw.json("GET", f"/workspaces/{ref}")
            assert list(body) == ["data"]
            assert_record(body["data"], expected, WORKSPACE_KEYS)


def test_create_answers_201_with_the_record_in_data(raw, seed):
    [workspace_id] = created_ids(1, (w["id"] for w in seed.workspaces))
    before = utc_now()
    response = raw.request("POST", "/workspaces", json={"name": "Raw", "slug": "raw", "unknown_field": 1})
    after = utc_now()

    assert response.status_code == 201, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert list(body) == ["data"]
    assert_stamped_between(body["data"]["created_at"], before, after)
    assert_record(body["data"], new_workspace(workspace_id, "Raw", "raw", body["data"]["created_at"]), WORKSPACE_KEYS)


def test_update_moves_the_slug_clears_an_explicit_none_and_keeps_the_rest(api, raw, seed):
    created = api.workspaces.create(name="Before", slug="before-update", **FULL_CREATE).data
    expected = new_workspace(created.id, "Before", "before-update", created.created_at, **FULL_CREATE)

    before = utc_now()
    updated = api.workspaces.update(
        id=created.id, name="After", slug="after-update", description=None, default_image_model=None,
        io_logging_api_key_ids=None, io_logging_sampling_rate=0.5, is_data_discount_logging_enabled=True,
    ).data
    after = utc_now()

    assert_stamped_between(updated.updated_at, before, after)
    assert parse_timestamp(updated.updated_at) >= parse_timestamp(created.created_at)
    expected.update(name="After", slug="after-update", description=None, default_image_model=None,
                    io_logging_api_key_ids=None, io_logging_sampling_rate=0.5,
                    is_data_discount_logging_enabled=True, updated_at=updated.updated_at)
    assert_model(updated, expected)
    assert_model(api.workspaces.get(id="after-update").data, expected)
    assert_record(raw.json("GET", f"/workspaces/{created.id}")["data"], expected, WORKSPACE_KEYS)

    # The old slug names nothing any more.
    with expect_error(errors.NotFoundResponseError, 404):
        api.workspaces.get(id="before-update")

    # An update with no field (the SDK sends {}) only moves updated_at; the slug works as the id.
    again = api.workspaces.update(id="after-update").data
    assert parse_timestamp(again.updated_at) >= parse_timestamp(updated.updated_at)
    expected["updated_at"] = again.updated_at
    assert_model(again, expected)
    assert_record(raw.json("GET", "/workspaces/after-update")["data"], expected, WORKSPACE_KEYS)

    journal = journal_for(raw.mock_server, raw.namespace, "PATCH", f"/api/v1/workspaces/{created.id}")
    assert [e["status"] for e in journal] == [200]


def test_update_of_a_seeded_workspace_changes_only_what_was_sent(api, raw, seed):
    record = dict(next(w for w in seed.workspaces[1:] if w["default_image_model"] is not None
                       and w["id"] != seed.default_workspace_id))
    updated = api.workspaces.update(id=record["slug"], default_image_model=None, default_provider_sort="price").data

    record.update(default_image_model=None, default_provider_sort="price", updated_at=updated.updated_at)
    assert_model(updated, record)
    assert_record(raw.json("GET", f"/workspaces/{record['id']}")["data"], record)


def test_delete_answers_deleted_true_and_then_get_raises_the_typed_404(api, raw, seed):
    first = api.workspaces.create(name="Doomed", slug="doomed").data
    second = api.workspaces.create(name="Doomed Too", slug="doomed-too").data

    deleted = api.workspaces.delete(id=first.id)
    assert deleted.DELETED is True
    with expect_error(errors.NotFoundResponseError, 404) as caught:
        api.workspaces.get(id=first.id)
    assert caught.error.data.error.code == 404
    with expect_error(errors.NotFoundResponseError, 404):
        api.workspaces.get(id="doomed")
    with expect_error(errors.NotFoundResponseError, 404):
        api.workspaces.delete(id=first.id)
    with expect_error(errors.NotFoundResponseError, 404):
        api.workspaces.update(id=first.id, name="Back")

    # By slug, read raw: exactly {"deleted":true}.
    assert raw.json("DELETE", "/workspaces/doomed-too") == {"deleted": True}
    raw.error("GET", f"/workspaces/{second.id}", 404)
    statuses = [(e["method"], e["status"]) for e in journal_for(raw.mock_server, raw.namespace, "DELETE",
                                                                 f"/api/v1/workspaces/{first.id}")]
    assert statuses == [("DELETE", 200), ("DELETE", 404)]


def test_deleting_a_workspace_removes_its_members_and_budgets(api, raw, seed):
    victim = budgeted_workspace(seed)
    extra = api.workspaces.create(name="Short Lived", slug="short-lived").data
    [person] = outsiders(seed, extra.id, 1)
    api.workspaces.bulk_add_members(id=extra.id, user_ids=[person["id"]])
    api.workspaces.set_budget(workspace_ref=extra.id, interval="monthly", limit_usd=10)

    for workspace_id in (victim["id"], extra.id):
        assert api.workspaces.delete(id=workspace_id).DELETED is True
        with expect_error(errors.NotFoundResponseError, 404):
            api.workspaces.list_budgets(workspace_ref=workspace_id)
        with expect_error(errors.NotFoundResponseError, 404):
            api.workspaces.list_members(id=workspace_id)

    gone = {victim["id"], extra.id}
    assert raw.seed_collection("members") == [m for m in seed.members if m["workspace_id"] not in gone]
    assert raw.seed_collection("budgets") == [b for b in seed.budgets if b["workspace_id"] not in gone]


# MARK: - The listing reflects every write


def test_list_reflects_creates_updates_and_deletes_in_order(api, raw, seed):
    created = [api.workspaces.create(name=f"Listed {i}", slug=f"listed-{i}").data for i in range(3)]
    expected = [dict(w) for w in seed.workspaces] + [
        new_workspace(w.id, w.name, w.slug, w.created_at) for w in created]
    assert [w["id"] for w in expected[-3:]] == created_ids(3, (w["id"] for w in seed.workspaces))

    records, pages = api.walk(api.workspaces.list(limit=100))
    assert_models(records, expected)
    assert {page.result.total_count for page in pages} == {len(seed.workspaces) + 3}

    # An update keeps the record's place; deletes close the gap; creates still go last.
    ordinary = [w for w in expected[:len(seed.workspaces)] if w["id"] != seed.default_workspace_id]
    renamed = ordinary[2]
    updated = api.workspaces.update(id=renamed["id"], name="Renamed In Place").data
    renamed.update(name="Renamed In Place", updated_at=updated.updated_at)
    removed = [ordinary[4]["id"], created[1].id]
    for workspace_id in removed:
        api.workspaces.delete(id=workspace_id)
    latest = api.workspaces.create(name="Listed Last", slug="listed-last").data
    expected = [w for w in expected if w["id"] not in removed]
    expected.append(new_workspace(latest.id, "Listed Last", "listed-last", latest.created_at))

    records, pages = api.walk(api.workspaces.list(limit=100))
    assert_models(records, expected)
    assert {page.result.total_count for page in pages} == {len(expected)}
    listed, total = raw.listing("/workspaces", limit=50)
    assert total == len(expected)
    assert listed == expected


# MARK: - Members


def test_list_members_next_walks_every_page_of_a_seeded_workspace(api, mock_server, namespace, seed):
    workspace = busiest_workspace(seed)
    expected = seed.members_of(workspace["id"])
    limit = 3

    records, pages = api.walk(api.workspaces.list_members(id=workspace["id"], limit=limit))

    assert_models(records, expected)
    assert {page.result.total_count for page in pages} == {len(expected)}
    journal = journal_for(mock_server, namespace, "GET", f"/api/v1/workspaces/{workspace['id']}/members")
    assert [query_of(e) for e in journal] == [
        {"offset": str(o), "limit": str(limit)} for o in expected_offsets(len(expected), limit)]
    assert {e["status"] for e in journal} == {200}

    # By slug, the same members; read raw, the same records.
    by_slug, _ = api.walk(api.workspaces.list_members(id=workspace["slug"], limit=100))
    assert_models(by_slug, expected)
    raw_records, total = Raw(mock_server, namespace).listing(f"/workspaces/{workspace['slug']}/members", limit=4)
    assert total == len(expected)
    assert raw_records == expected


def test_the_default_workspace_lists_every_organization_member(api, raw, seed):
    workspace = default_workspace(seed)
    expected = seed.members_of(workspace["id"])
    assert len(expected) == len(seed.organization_members) > 0

    records, pages = api.walk(api.workspaces.list_members(id=workspace["id"], limit=7))

    assert_models(records, expected)
    assert {page.result.total_count for page in pages} == {len(expected)}
    listed, total = raw.listing(f"/workspaces/{workspace['id']}/members", limit=10)
    assert (listed, total) == (expected, len(expected))
    for record in listed:
        assert set(record) == set(MEMBER_KEYS)


def test_bulk_add_and_remove_members(api, raw, seed):
    workspace = api.workspaces.create(name="Team", slug="team").data
    first, second, third = outsiders(seed, workspace.id, 3)

    before = utc_now()
    added = api.workspaces.bulk_add_members(id=workspace.id, user_ids=[first["id"], second["id"], first["id"]])
    after = utc_now()
    assert added.added_count == 2
    stamp = added.data[0].created_at
    assert_stamped_between(stamp, before, after)
    expected = [new_member(workspace.id, first, added.data[0].created_at),
                new_member(workspace.id, second, added.data[1].created_at)]
    assert_models(added.data, expected)
    assert expected[0]["id"] == member_id(workspace.id, first["id"])
    listed, _ = api.walk(api.workspaces.list_members(id="team"))
    assert_models(listed, expected)

    # Already a member: not counted again; the new one is.
    again = api.workspaces.bulk_add_members(id="team", user_ids=[second["id"], third["id"]])
    assert again.added_count == 1
    expected.append(new_member(workspace.id, third, again.data[-1].created_at))
    by_user = {m["user_id"]: m for m in expected}
    assert third["id"] in [m.user_id for m in again.data]
    for model in again.data:
        assert_model(model, by_user[model.user_id])

    # A non-member anywhere in the list: 400 naming it, and nothing is added.
    with expect_error(errors.BadRequestResponseError, 400, "user_nobody_at_all"):
        api.workspaces.bulk_add_members(id=workspace.id, user_ids=[first["id"], "user_nobody_at_all"])
    # Removing someone who is not a member: 400 naming them, and nobody is removed.
    outsider = outsiders(seed, workspace.id, 4)[3]
    with expect_error(errors.BadRequestResponseError, 400, outsider["id"]):
        api.workspaces.bulk_remove_members(id=workspace.id, user_ids=[first["id"], outsider["id"]])
    listed, _ = api.walk(api.workspaces.list_members(id=workspace.id))
    assert_models(listed, expected)

    removed = api.workspaces.bulk_remove_members(id=workspace.id, user_ids=[first["id"], third["id"]])
    assert removed.removed_count == 2
    assert raw.json("GET", f"/workspaces/{workspace.id}/members") == {"data": [expected[1]], "total_count": 1}
    with expect_error(errors.BadRequestResponseError, 400, first["id"]):
        api.workspaces.bulk_remove_members(id=workspace.id, user_ids=[first["id"]])

    # Raw: the exact bodies of both answers.
    body = raw.json("POST", f"/workspaces/{workspace.id}/members/add", json={"user_ids": [first["id"]]})
    assert list(body) in (["added_count", "data"], ["data", "added_count"])
    assert body["added_count"] == 1
    [record] = body["data"]
    assert_record(record, new_member(workspace.id, first, record["created_at"]))
    assert raw.json("POST", f"/workspaces/{workspace.id}/members/remove",
                    json={"user_ids": [first["id"]]}) == {"removed_count": 1}


def test_member_lists_of_bad_size_are_refused(api, raw, seed):
    workspace = busiest_workspace(seed)
    people = [m["id"] for m in seed.organization_members]
    too_many = (people * (101 // len(people) + 1))[:101]
    for call in (api.workspaces.bulk_add_members, api.workspaces.bulk_remove_members):
        with expect_error(errors.BadRequestResponseError, 400, "user_ids"):
            call(id=workspace["id"], user_ids=[])
        with expect_error(errors.BadRequestResponseError, 400, "user_ids"):
            call(id=workspace["id"], user_ids=too_many)
    for body in ({}, {"user_ids": "user_abc123"}, {"user_ids": [1]}, []):
        raw.error("POST", f"/workspaces/{workspace['id']}/members/add", 400, json=body)
    raw.error("POST", f"/workspaces/{workspace['id']}/members/add", 400, content=b'{"user_ids": [',
              headers={"Content-Type": "application/json"})
    assert raw.listing(f"/workspaces/{workspace['id']}/members")[0] == seed.members_of(workspace["id"])


def test_the_default_workspace_already_holds_everyone_and_keeps_them(api, raw, seed):
    workspace = default_workspace(seed)
    person = seed.organization_members[0]

    added = api.workspaces.bulk_add_members(id=workspace["id"], user_ids=[person["id"]])
    assert added.added_count == 0
    with expect_error(errors.BadRequestResponseError, 400):
        api.workspaces.bulk_remove_members(id=workspace["slug"], user_ids=[person["id"]])
    assert raw.listing(f"/workspaces/{workspace['id']}/members")[0] == seed.members_of(workspace["id"])


def test_organization_list_members_pages_to_the_end(api, mock_server, namespace, seed):
    expected = seed.organization_members
    assert expected, "seed-data/openrouter/organization-members.json is missing or empty"
    limit = 4

    records, pages = api.walk(api.organization.list_members(limit=limit))

    assert_models(records, expected)
    assert {page.result.total_count for page in pages} == {len(expected)}
    journal = journal_for(mock_server, namespace, "GET", "/api/v1/organization/members")
    assert [query_of(e) for e in journal] == [
        {"offset": str(o), "limit": str(limit)} for o in expected_offsets(len(expected), limit)]

    first = api.organization.list_members()
    assert_models(first.result.data, expected[:50])
    listed, total = Raw(mock_server, namespace).listing("/organization/members", limit=6)
    assert (listed, total) == (expected, len(expected))
    for record in listed:
        assert set(record) == set(ORG_MEMBER_KEYS)


# MARK: - Budgets


def test_budgets_set_get_list_and_delete(api, raw, seed):
    workspace = api.workspaces.create(name="Budgeted", slug="budgeted").data
    ws = workspace.id

    empty = api.workspaces.list_budgets(workspace_ref=ws)
    assert (empty.data, empty.include_byok_in_budgets) == ([], False)
    assert raw.json("GET", f"/workspaces/{ws}/budgets") == {"data": [], "include_byok_in_budgets": False}

    before = utc_now()
    monthly = api.workspaces.set_budget(workspace_ref=ws, interval="monthly", limit_usd=100)
    after = utc_now()
    assert_stamped_between(monthly.data.created_at, before, after)
    expected = {"monthly": new_budget(ws, "monthly", 100, monthly.data.created_at)}
    assert_model(monthly.data, expected["monthly"])
    assert monthly.include_byok_in_budgets is False

    lifetime = api.workspaces.set_budget(workspace_ref="budgeted", interval="lifetime", limit_usd=500,
                                         include_byok_in_budgets=True)
    expected["lifetime"] = new_budget(ws, "lifetime", 500, lifetime.data.created_at)
    assert_model(lifetime.data, expected["lifetime"])
    assert lifetime.data.reset_interval is None
    assert lifetime.include_byok_in_budgets is True
    assert api.workspaces.get(id=ws).data.include_byok_in_budgets is True  # workspace-wide

    for interval, limit in (("weekly", 50), ("daily", 12.5)):
        answer = api.workspaces.set_budget(workspace_ref=ws, interval=interval, limit_usd=limit)
        assert answer.include_byok_in_budgets is True  # not sent: unchanged
        expected[interval] = new_budget(ws, interval, limit, answer.data.created_at)
        assert_model(answer.data, expected[interval])

    in_order = [expected[i] for i in INTERVALS]
    listed = api.workspaces.list_budgets(workspace_ref=ws)
    assert_models(listed.data, in_order)
    assert listed.include_byok_in_budgets is True
    body = raw.json("GET", f"/workspaces/{ws}/budgets")
    assert body == {"data": in_order, "include_byok_in_budgets": True}
    for record in body["data"]:
        assert set(record) == set(BUDGET_KEYS)
    for interval in INTERVALS:
        got = api.workspaces.get_budget(workspace_ref=ws, interval=interval)
        assert_model(got.data, expected[interval])
        assert got.include_byok_in_budgets is True
        assert raw.json("GET", f"/workspaces/budgeted/budgets/{interval}") == {
            "data": expected[interval], "include_byok_in_budgets": True}

    # An update keeps the id and created_at and moves updated_at.
    updated = api.workspaces.set_budget(workspace_ref=ws, interval="monthly", limit_usd=80,
                                        include_byok_in_budgets=False)
    assert updated.data.id == budget_id(ws, "monthly")
    assert updated.data.created_at == expected["monthly"]["created_at"]
    assert parse_timestamp(updated.data.updated_at) >= parse_timestamp(updated.data.created_at)
    expected["monthly"].update(limit_usd=80, updated_at=updated.data.updated_at)
    assert_model(updated.data, expected["monthly"])
    assert updated.include_byok_in_budgets is False

    # Delete: {"deleted":true}, then 404 on get, and deleting again is still {"deleted":true}.
    assert api.workspaces.delete_budget(workspace_ref=ws, interval="daily").DELETED is True
    with expect_error(errors.NotFoundResponseError, 404):
        api.workspaces.get_budget(workspace_ref=ws, interval="daily")
    assert api.workspaces.delete_budget(workspace_ref=ws, interval="daily").DELETED is True
    assert raw.json("DELETE", f"/workspaces/{ws}/budgets/daily") == {"deleted": True}
    del expected["daily"]
    assert raw.json("GET", f"/workspaces/{ws}/budgets") == {
        "data": [expected[i] for i in INTERVALS if i in expected], "include_byok_in_budgets": False}


def test_budgets_must_strictly_decrease_as_the_interval_narrows(api, raw, seed):
    ws = api.workspaces.create(name="Strict", slug="strict").data.id
    for interval, limit in (("lifetime", 1000), ("monthly", 80), ("weekly", 50)):
        api.workspaces.set_budget(workspace_ref=ws, interval=interval, limit_usd=limit)
    before = raw.json("GET", f"/workspaces/{ws}/budgets")

    refused = [
        ("weekly", 90, "monthly", 80),     # wider than the next wider one
        ("weekly", 80, "monthly", 80),     # equal is not strictly less
        ("monthly", 40, "weekly", 50),     # narrower than the next narrower one
        ("lifetime", 70, "monthly", 80),
        ("daily", 60, "weekly", 50),       # a new budget above an existing wider one
    ]
    for interval, limit, other, other_limit in refused:
        with expect_error(errors.BadRequestResponseError, 400, interval, other) as caught:
            api.workspaces.set_budget(workspace_ref=ws, interval=interval, limit_usd=limit)
        message = caught.error.data.error.message
        assert amount_named(message, limit) and amount_named(message, other_limit), message

    # Across a gap: with weekly gone, daily is held against monthly.
    api.workspaces.delete_budget(workspace_ref=ws, interval="weekly")
    with expect_error(errors.BadRequestResponseError, 400, "daily", "monthly") as caught:
        api.workspaces.set_budget(workspace_ref=ws, interval="daily", limit_usd=85)
    assert amount_named(caught.error.data.error.message, 85) and amount_named(caught.error.data.error.message, 80)
    assert api.workspaces.set_budget(workspace_ref=ws, interval="daily", limit_usd=79).data.limit_usd == 79

    after = raw.json("GET", f"/workspaces/{ws}/budgets")
    assert [b for b in after["data"] if b["reset_interval"] != "daily"] == [
        b for b in before["data"] if b["reset_interval"] != "weekly"]


def test_bad_budget_requests_are_refused(api, raw, seed):
    ws = api.workspaces.create(name="Bad Budgets", slug="bad-budgets").data.id
    for limit in (0, -5):
        with expect_error(errors.BadRequestResponseError, 400, "limit_usd"):
            api.workspaces.set_budget(workspace_ref=ws, interval="monthly", limit_usd=limit)
    with expect_error(errors.BadRequestResponseError, 400):
        api.workspaces.set_budget(workspace_ref=ws, interval="hourly", limit_usd=10)
    with expect_error(errors.BadRequestResponseError, 400):
        api.workspaces.get_budget(workspace_ref=ws, interval="hourly")
    with expect_error(errors.BadRequestResponseError, 400):
        api.workspaces.delete_budget(workspace_ref=ws, interval="hourly")
    for body in ({}, {"limit_usd": "10"}, {"limit_usd": None}, {"limit_usd": 10, "include_byok_in_budgets": "yes"},
                 [10]):
        raw.error("PUT", f"/workspaces/{ws}/budgets/monthly", 400, json=body)
    raw.error("PUT", f"/workspaces/{ws}/budgets/monthly", 400, content=b"{limit_usd: 10}",
              headers={"Content-Type": "application/json"})
    assert raw.json("GET", f"/workspaces/{ws}/budgets") == {"data": [], "include_byok_in_budgets": False}
    assert raw.json("GET", f"/workspaces/{ws}")["data"]["include_byok_in_budgets"] is False


def test_a_seeded_workspaces_budgets_are_listed_from_the_seed(api, raw, seed):
    workspace = budgeted_workspace(seed)
    expected = seed.budgets_of(workspace["id"])

    listed = api.workspaces.list_budgets(workspace_ref=workspace["slug"])
    assert_models(listed.data, expected)
    body = raw.json("GET", f"/workspaces/{workspace['id']}/budgets")
    assert body["data"] == expected
    if "include_byok_in_budgets" in workspace:
        assert listed.include_byok_in_budgets is workspace["include_byok_in_budgets"]
        assert list(body) == ["data", "include_byok_in_budgets"]
        assert body["include_byok_in_budgets"] is workspace["include_byok_in_budgets"]
    else:
        assert listed.include_byok_in_budgets is None
        assert list(body) == ["data"]
    for budget in expected:
        interval = budget["reset_interval"] or "lifetime"
        assert budget["id"] == budget_id(workspace["id"], interval)
        assert_model(api.workspaces.get_budget(workspace_ref=workspace["id"], interval=interval).data, budget)


# MARK: - Bad input on create and update


def test_create_refuses_bad_input_with_the_typed_400_and_creates_nothing(api, raw, seed):
    taken = seed.workspaces[0]["slug"]
    cases = [
        ({"name": "Bad", "slug": "Bad_Slug"}, "slug"),
        ({"name": "Bad", "slug": "-leading"}, "slug"),
        ({"name": "Bad", "slug": "double--dash"}, "slug"),
        ({"name": "Bad", "slug": "a" * 51}, "slug"),
        ({"name": "Bad", "slug": ""}, "slug"),
        ({"name": "Duplicate", "slug": taken}, "slug"),
        ({"name": "", "slug": "empty-name"}, "name"),
        ({"name": "n" * 101, "slug": "long-name"}, "name"),
        ({"name": "Long", "slug": "long-description", "description": "d" * 501}, "description"),
        ({"name": "Rate", "slug": "rate-zero", "io_logging_sampling_rate": 0}, "io_logging_sampling_rate"),
        ({"name": "Rate", "slug": "rate-high", "io_logging_sampling_rate": 1.5}, "io_logging_sampling_rate"),
        ({"name": "Rate", "slug": "rate-low", "io_logging_sampling_rate": 0.00005}, "io_logging_sampling_rate"),
    ]
    for arguments, field in cases:
        with expect_error(errors.BadRequestResponseError, 400, field):
            api.workspaces.create(**arguments)
    # The edges are allowed.
    edge = api.workspaces.create(name="n" * 100, slug="a" * 50, description="d" * 500,
                                 io_logging_sampling_rate=0.0001).data
    assert (edge.name, edge.slug, edge.io_logging_sampling_rate) == ("n" * 100, "a" * 50, 0.0001)
    listed, total = raw.listing("/workspaces")
    assert total == len(seed.workspaces) + 1
    assert [w["id"] for w in listed[:-1]] == [w["id"] for w in seed.workspaces]
    journal = journal_for(raw.mock_server, raw.namespace, "POST", "/api/v1/workspaces")
    assert [e["status"] for e in journal] == [400] * len(cases) + [201]


def test_lengths_count_characters_as_the_document_does(api, raw, seed):
    # The document's maxLength (JSON Schema) counts characters (code points), so 100 characters outside the
    # Basic Multilingual Plane are a valid name although they take 200 UTF-16 code units.
    wide = "\U0001F600"
    created = api.workspaces.create(name=wide * 100, slug="wide-name", description=wide * 500).data
    assert (created.name, created.description) == (wide * 100, wide * 500)
    assert raw.json("GET", "/workspaces/wide-name")["data"]["name"] == wide * 100
    with expect_error(errors.BadRequestResponseError, 400, "name"):
        api.workspaces.create(name=wide * 101, slug="wider-name")
    with expect_error(errors.BadRequestResponseError, 400, "description"):
        api.workspaces.update(id="wide-name", description=wide * 501)


MALFORMED_CREATES = [
    (b'{"name": "Broken", "slug": ', None),
    (b"[]", None),
    (b'"workspace"', None),
    (b"", None),
    (b'{"slug": "no-name"}', "name"),
    (b'{"name": "No Slug"}', "slug"),
    (b'{"name": null, "slug": "null-name"}', "name"),
    (b'{"name": 7, "slug": "number-name"}', "name"),
    (b'{"name": "Ok", "slug": "bad-flag", "is_data_discount_logging_enabled": "yes"}',
     "is_data_discount_logging_enabled"),
    (b'{"name": "Ok", "slug": "bad-ids", "io_logging_api_key_ids": ["a"]}', "io_logging_api_key_ids"),
    (b'{"name": "Ok", "slug": "bad-tools", "disabled_server_tools": "openrouter:bash"}', "disabled_server_tools"),
]


@pytest.mark.parametrize("body, field", MALFORMED_CREATES, ids=[
    "truncated-json", "array", "string", "empty-body", "no-name", "no-slug", "null-name", "number-name",
    "string-flag", "string-key-ids", "string-tools"])
def test_create_refuses_a_malformed_body(raw, seed, body, field):
    message = raw.error("POST", "/workspaces", 400, content=body, headers={"Content-Type": "application/json"})
    if field:
        assert field in message
    assert raw.listing("/workspaces")[1] == len(seed.workspaces)


def test_update_refuses_bad_input_with_the_typed_400_and_changes_nothing(api, raw, seed):
    record = seed.workspaces[1]
    other = seed.workspaces[2]
    cases = [
        ({"slug": other["slug"]}, "slug"),
        ({"slug": "Not A Slug"}, "slug"),
        ({"name": "n" * 101}, "name"),
        ({"name": ""}, "name"),
        ({"description": "d" * 501}, "description"),
        ({"io_logging_sampling_rate": 2}, "io_logging_sampling_rate"),
    ]
    for arguments, field in cases:
        with expect_error(errors.BadRequestResponseError, 400, field):
            api.workspaces.update(id=record["id"], **arguments)
    for body, field in ((b'{"name": null}', "name"), (b'{"slug": null}', "slug"), (b'{"slug": 5}', "slug"),
                        (b"[1]", None), (b'{"name": "x"', None)):
        message = raw.error("PATCH", f"/workspaces/{record['id']}", 400, content=body,
                            headers={"Content-Type": "application/json"})
        if field:
            assert field in message
    assert raw.json("GET", f"/workspaces/{record['id']}")["data"] == record
    # Moving onto its own slug is no conflict.
    same = api.workspaces.update(id=record["id"], slug=record["slug"]).data
    assert same.slug == record["slug"]


# MARK: - Keys and unknown workspaces


def every_call(workspace: str, user: str) -> list[tuple[str, str, dict[str, Any]]]:
    """One call of every SDK method the lifecycle covers, aimed at `workspace`."""
    return [
        ("workspaces", "list", {}),
        ("workspaces", "create", {"name": "Keyed", "slug": "keyed"}),
        ("workspaces", "get", {"id": workspace}),
        ("workspaces", "update", {"id": workspace, "name": "Keyed"}),
        ("workspaces", "delete", {"id": workspace}),
        ("workspaces", "list_members", {"id": workspace}),
        ("workspaces", "bulk_add_members", {"id": workspace, "user_ids": [user]}),
        ("workspaces", "bulk_remove_members", {"id": workspace, "user_ids": [user]}),
        ("workspaces", "list_budgets", {"workspace_ref": workspace}),
        ("workspaces", "get_budget", {"workspace_ref": workspace, "interval": "monthly"}),
        ("workspaces", "set_budget", {"workspace_ref": workspace, "interval": "monthly", "limit_usd": 5}),
        ("workspaces", "delete_budget", {"workspace_ref": workspace, "interval": "monthly"}),
        ("organization", "list_members", {}),
    ]


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_every_method_needs_the_management_key(make_sdk, raw, seed, mode):
    workspace = busiest_workspace(seed)
    user = seed.members_of(workspace["id"])[0]["user_id"]
    keyless = make_sdk(mode, api_key=None)
    wrong = make_sdk(mode, api_key="sk-or-v1-not-a-real-key")
    inference = make_sdk(mode, api_key=OPENROUTER_INFERENCE_KEY)
    calls = every_call(workspace["id"], user)
    for group, method, arguments in calls:
        with expect_error(errors.UnauthorizedResponseError, 401, "Missing Authentication header"):
            getattr(getattr(keyless, group), method)(**arguments)
        with expect_error(errors.UnauthorizedResponseError, 401, "Invalid credentials"):
            getattr(getattr(wrong, group), method)(**arguments)
        with expect_error(errors.ForbiddenResponseError, 403, "Only management keys can perform this operation"):
            getattr(getattr(inference, group), method)(**arguments)
    # Nothing changed, and every refusal is in the journal.
    assert raw.json("GET", f"/workspaces/{workspace['id']}")["data"] == workspace
    assert raw.listing(f"/workspaces/{workspace['id']}/members")[0] == seed.members_of(workspace["id"])
    statuses = [e["status"] for e in raw.mock_server.journal(raw.namespace, "openrouter")]
    assert statuses[:3 * len(calls)] == [401, 401, 403] * len(calls)


def test_an_unknown_workspace_raises_the_typed_404_everywhere(api, raw, seed):
    user = seed.organization_members[0]["id"]
    for ref in (UNKNOWN_WORKSPACE, "no-such-workspace"):
        for group, method, arguments in every_call(ref, user):
            if method in ("list", "create") or group == "organization":
                continue
            with expect_error(errors.NotFoundResponseError, 404):
                getattr(getattr(api, group), method)(**arguments)
    raw.error("GET", "/workspaces/no-such-workspace/budgets/monthly", 404)


def test_limits_outside_1_to_100_on_member_lists_are_the_sdks_default_400(api, seed):
    workspace = busiest_workspace(seed)
    for limit in (0, 101):
        with expect_error(errors.OpenRouterDefaultError, 400):
            api.workspaces.list_members(id=workspace["id"], limit=limit)
        with expect_error(errors.OpenRouterDefaultError, 400):
            api.organization.list_members(limit=limit)
    with expect_error(errors.OpenRouterDefaultError, 400):
        api.workspaces.list_members(id=workspace["id"], offset=-1)


# MARK: - The default workspace


def test_deleting_the_default_workspace_needs_the_sdks_confirmation(api, raw, seed):
    workspace = default_workspace(seed)

    with expect_error(errors.ForbiddenResponseError, 403):
        api.workspaces.delete(id=workspace["id"])
    with expect_error(errors.ForbiddenResponseError, 403):
        api.workspaces.delete(id=workspace["slug"], confirm_default_workspace_deletion=False)
    assert raw.json("GET", f"/workspaces/{workspace['id']}")["data"] == workspace

    assert api.workspaces.delete(id=workspace["slug"], confirm_default_workspace_deletion=True).DELETED is True
    [entry] = [e for e in journal_for(raw.mock_server, raw.namespace, "DELETE", f"/api/v1/workspaces/{workspace['slug']}")
               if e["status"] == 200]
    assert query_of(entry) == {"confirm_default_workspace_deletion": "true"}
    with expect_error(errors.NotFoundResponseError, 404):
        api.workspaces.get(id=workspace["id"])
    assert raw.seed_collection("settings") == {"default_workspace_id": None}
    listed, total = raw.listing("/workspaces")
    assert total == len(seed.workspaces) - 1
    assert workspace["id"] not in [w["id"] for w in listed]
    # The organization is untouched.
    assert raw.listing("/organization/members")[0] == seed.organization_members


def test_deleting_the_default_workspace_accepts_the_other_spelling(raw, seed):
    workspace = default_workspace(seed)
    raw.error("DELETE", f"/workspaces/{workspace['id']}", 403, params={"confirm_default_settings_deletion": "false"})
    raw.error("DELETE", f"/workspaces/{workspace['id']}", 403, params={"confirm": "true"})
    assert raw.json("DELETE", f"/workspaces/{workspace['id']}", params={"confirm_default_settings_deletion": "true"}) \
        == {"deleted": True}
    raw.error("GET", f"/workspaces/{workspace['id']}", 404)
    assert raw.seed_collection("settings") == {"default_workspace_id": None}


# MARK: - Determinism and the control plane


def test_the_same_creates_give_the_same_ids_in_fresh_namespaces_and_after_reset(mock_server, make_sdk, namespace, seed):
    seeded = [w["id"] for w in seed.workspaces]
    expected = created_ids(3, seeded)
    names = [f"{namespace}-a", f"{namespace}-b"]

    def create_three(ns: str) -> list[Any]:
        sdk = make_sdk("sync", ns=ns)
        return [sdk.workspaces.create(name=f"Same {i}", slug=f"same-{i}").data for i in range(3)]

    runs = [create_three(ns) for ns in names]
    for run in runs:
        assert [w.id for w in run] == expected
        assert [w.default_guardrail_id for w in run] == [guardrail_id(i) for i in expected]

    mock_server.admin("POST", "reset", names[0])
    assert [w.id for w in create_three(names[0])] == expected

    # An id already in use (here put there through the control plane) is skipped.
    third = f"{namespace}-c"
    squatter = new_workspace(expected[0], "Squatter", "squatter", "2025-01-01T00:00:00Z")
    mock_server.admin("PUT", "seed/openrouter/workspaces", third, json=seed.workspaces + [squatter])
    created = make_sdk("sync", ns=third).workspaces.create(name="After Squatter", slug="after-squatter").data
    assert created.id == created_ids(1, seeded + [expected[0]])[0] == expected[1]


def test_control_plane_snapshot_and_restore_undo_every_write(make_sdk, raw, seed):
    sdk = make_sdk("sync")
    snapshot = {name: raw.seed_collection(name) for name in COLLECTIONS}
    for name in COLLECTIONS:
        assert snapshot[name] == seed.collection(name), name

    # Writes of every kind.
    default = default_workspace(seed)
    busy = busiest_workspace(seed)
    budgeted = budgeted_workspace(seed)
    fresh = sdk.workspaces.create(name="Scratch", slug="scratch").data
    people = outsiders(seed, fresh.id, 2)
    sdk.workspaces.bulk_add_members(id=fresh.id, user_ids=[p["id"] for p in people])
    sdk.workspaces.set_budget(workspace_ref=fresh.id, interval="daily", limit_usd=3, include_byok_in_budgets=True)
    sdk.workspaces.update(id=busy["id"], name="Changed", slug="changed", description=None)
    sdk.workspaces.bulk_remove_members(id=busy["id"], user_ids=[seed.members_of(busy["id"])[0]["user_id"]])
    lowest = seed.budgets_of(budgeted["id"])[0]
    sdk.workspaces.delete_budget(workspace_ref=budgeted["id"], interval=lowest["reset_interval"] or "lifetime")
    sdk.workspaces.delete(id=default["id"], confirm_default_workspace_deletion=True)
    assert raw.seed_collection("settings") == {"default_workspace_id": None}
    assert raw.seed_collection("workspaces") != snapshot["workspaces"]

    for name in COLLECTIONS:
        raw.mock_server.admin("PUT", f"seed/openrouter/{name}", raw.namespace, json=snapshot[name])

    for name in COLLECTIONS:
        assert raw.seed_collection(name) == snapshot[name], name
    records, pages = sdk.walk(sdk.workspaces.list(limit=100))
    assert_models(records, snapshot["workspaces"])
    assert raw.listing("/workspaces") == (snapshot["workspaces"], len(snapshot["workspaces"]))
    for workspace in (default, busy, budgeted):
        assert raw.listing(f"/workspaces/{workspace['id']}/members")[0] == seed.members_of(workspace["id"])
        assert raw.json("GET", f"/workspaces/{workspace['id']}/budgets")["data"] == seed.budgets_of(workspace["id"])
    raw.error("GET", "/workspaces/scratch", 404)
    assert sdk.workspaces.get(id=busy["slug"]).data.name == busy["name"]


def test_a_workspace_seeded_without_the_byok_flag_serves_none_until_a_budget_sets_it(make_sdk, raw, seed):
    # In a user's seed the key is optional: absent means not set, and then neither the record nor the
    # budget answers carry it.
    sdk = make_sdk("sync")
    records = [dict(w) for w in seed.workspaces]
    bare = next(w for w in records if w["id"] != seed.default_workspace_id and not seed.budgets_of(w["id"]))
    bare.pop("include_byok_in_budgets", None)
    raw.mock_server.admin("PUT", "seed/openrouter/workspaces", raw.namespace, json=records)

    body = raw.json("GET", f"/workspaces/{bare['id']}")
    assert body == {"data": bare}
    assert "include_byok_in_budgets" not in body["data"]
    assert sdk.workspaces.get(id=bare["id"]).data.include_byok_in_budgets is None
    assert raw.json("GET", f"/workspaces/{bare['id']}/budgets") == {"data": []}
    assert sdk.workspaces.list_budgets(workspace_ref=bare["id"]).include_byok_in_budgets is None

    answer = raw.json("PUT", f"/workspaces/{bare['id']}/budgets/weekly", json={"limit_usd": 7})
    assert list(answer) == ["data"]  # still not set
    answer = raw.json("PUT", f"/workspaces/{bare['id']}/budgets/weekly", json={"limit_usd": 7,
                                                                               "include_byok_in_budgets": True})
    assert answer["include_byok_in_budgets"] is True
    assert raw.json("GET", f"/workspaces/{bare['id']}")["data"]["include_byok_in_budgets"] is True


def test_control_plane_replacements_are_validated_and_drop_what_no_longer_resolves(raw, seed):
    admin = raw.mock_server.admin
    busy = busiest_workspace(seed)
    budgeted = budgeted_workspace(seed)

    # A member naming a user outside the organization, or a budget of an unknown workspace: 400, nothing changes.
    stranger = dict(seed.members_of(busy["id"])[0], user_id="user_not_in_the_organization")
    response = httpx.put(f"{raw.mock_server.base_url}/__admin/seed/openrouter/members",
                         headers={"X-Mock-Namespace": raw.namespace}, json=seed.members + [stranger], timeout=10)
    assert response.status_code == 400, response.text
    orphan = dict(seed.budgets[0], workspace_id=UNKNOWN_WORKSPACE)
    response = httpx.put(f"{raw.mock_server.base_url}/__admin/seed/openrouter/budgets",
                         headers={"X-Mock-Namespace": raw.namespace}, json=[orphan], timeout=10)
    assert response.status_code == 400, response.text
    for name in COLLECTIONS:
        assert raw.seed_collection(name) == seed.collection(name), name

    # Workspaces without the default, the busiest and the most budgeted one: their members, budgets and
    # the default go too.
    gone = {seed.default_workspace_id, busy["id"], budgeted["id"]}
    admin("PUT", "seed/openrouter/workspaces", raw.namespace, json=[w for w in seed.workspaces if w["id"] not in gone])
    assert raw.seed_collection("settings") == {"default_workspace_id": None}
    assert raw.seed_collection("members") == [m for m in seed.members if m["workspace_id"] not in gone]
    assert raw.seed_collection("budgets") == [b for b in seed.budgets if b["workspace_id"] not in gone]
    raw.error("GET", f"/workspaces/{busy['id']}/members", 404)
