"""The official Portkey Python SDK (portkey-ai 2.3.x) through the whole workspace lifecycle (issue 14):
`admin.workspaces.create/retrieve/list/update/delete`, `admin.workspaces.users.create/list/retrieve/update/
delete` and `admin.users.list`.

Every SDK call runs twice, through `Portkey` and through `AsyncPortkey` (the `api` fixture: one event loop
per test). Each answer is compared twice: the SDK's parsed model (`model_dump(exclude_unset=True)`, so the
extras the models allow are compared too) and the raw JSON the mock sent, captured by a response hook on
the httpx client handed to the SDK. The same hook checks the SDK's transport rules on every 2xx
(LIFECYCLE-NOTES.md, "checked" there): `Content-Type: application/json`, a JSON object body, and `data` in
every list; the test fails at teardown if one was broken, and if no 2xx was checked at all. Expected values
come from `seed-data/portkey/*.json` (read at test time) and the README's rules (portkey_lifecycle_contract.
py), never from the mock.

SDK behaviours relied on (portkey-ai 2.3.4, apis/admin.py and base_client.py):
- bodies go through `remove_empty_values`: NOT_GIVEN and "" are dropped, so `create(name="")` sends no name;
- `workspaces.delete` sends `{"workspace_id": …}` (plus `name` when given) as a DELETE body, never
  `force_delete`; `users.create` adds `workspace_id` and `users.update` adds `user_id` to the body;
- the workspace and user lists send camelCase `pageSize`/`currentPage`, the members list snake_case, and
  `current_page` defaults to 0 (always sent);
- `users.create/update/delete` and `workspaces.delete` cast to GenericResponse; `users.list` does too in
  the sync client (`data` is the raw list of dicts) but to WorkspaceMemberListResponse in the async one;
- typed errors by status: BadRequestError 400, AuthenticationError 401, PermissionDeniedError 403,
  NotFoundError 404, ConflictError 409, InternalServerError 5xx; `body` and `message` are the raw text;
- a 5xx is retried once unless `client.max_retries = 0` (set on every client here).
"""

from __future__ import annotations

import asyncio
import inspect
import json
import re
from typing import Any, Callable, Iterator

import httpx
import pytest
from portkey_ai import AsyncPortkey, Portkey
from portkey_ai.api_resources.exceptions import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
)

from conftest import PORTKEY_ADMIN_KEY, PORTKEY_WORKSPACE_KEY, MockServer
from portkey_lifecycle_contract import (
    DEFAULT_WORKSPACE_MESSAGE,
    FORBIDDEN_MESSAGE,
    MEMBER_KEYS,
    UNAUTHORISED_MESSAGE,
    USER_KEYS,
    VIRTUAL_KEYS_MESSAGE,
    WORKSPACE_KEYS,
    Seed,
    assert_stamped_between,
    created_id,
    error_envelope,
    load_seed,
    member,
    new_workspace,
    utc_now,
)

UNKNOWN_WORKSPACE = "ws-no-such-workspace-000000"
UNKNOWN_USER = "00000000-0000-4000-8000-000000000000"
LIST_PATH = re.compile(r"\A/v1/admin/(workspaces|users|workspaces/[^/]+/users)\Z")


# MARK: - The SDK, sync or async, with the transport rules checked on every answer


class _Resource:
    """`sdk.admin…`: attributes are resources, bound methods run sync or async as the driver says."""

    def __init__(self, driver: "Sdk", target: Any) -> None:
        self._driver, self._target = driver, target

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if not inspect.ismethod(value):
            return _Resource(self._driver, value)

        def call(**kwargs: Any) -> Any:
            result = value(**kwargs)
            return self._driver.wait(result) if inspect.isawaitable(result) else result
        return call


class Sdk:
    """One Portkey client for one namespace. `answers` holds every response (method, path, status, text);
    `violations` every 2xx that breaks the SDK's transport rules."""

    def __init__(self, mock_server: MockServer, namespace: str, mode: str,
                 api_key: str | None = PORTKEY_ADMIN_KEY, headers: dict[str, str] | None = None) -> None:
        self.mode, self.namespace = mode, namespace
        self.answers: list[tuple[str, str, int, str]] = []
        self.violations: list[str] = []
        sent = {"Accept": "application/json", "X-Mock-Namespace": namespace, **(headers or {})}
        options: dict[str, Any] = {"base_url": mock_server.portkey_url, "timeout": 30, "headers": sent}
        self.loop: asyncio.AbstractEventLoop | None = None
        if mode == "sync":
            self.http: Any = httpx.Client(**options, event_hooks={"response": [self._hook]})
            self.client: Any = Portkey(api_key=api_key, base_url=mock_server.portkey_url, http_client=self.http)
        else:
            self.loop = asyncio.new_event_loop()
            self.http = httpx.AsyncClient(**options, event_hooks={"response": [self._async_hook]})
            self.client = AsyncPortkey(api_key=api_key, base_url=mock_server.portkey_url, http_client=self.http)
        self.client.max_retries = 0  # Portkey(max_retries=0) only sends a header
        self.admin = _Resource(self, self.client.admin)

    def wait(self, awaitable: Any) -> Any:
        assert self.loop is not None
        return self.loop.run_until_complete(awaitable)

    def _hook(self, response: httpx.Response) -> None:
        response.read()
        self._record(response)

    async def _async_hook(self, response: httpx.Response) -> None:
        await response.aread()
        self._record(response)

    def _record(self, response: httpx.Response) -> None:
        request, status, text = response.request, response.status_code, response.text
        self.answers.append((request.method, request.url.path, status, text))
        if not 200 <= status < 300:
            return
        where = f"{request.method} {request.url.path} {status}"
        if response.headers.get("content-type") != "application/json":
            self.violations.append(f"{where}: Content-Type {response.headers.get('content-type')!r}")
        try:
            body = json.loads(text)
        except ValueError:
            self.violations.append(f"{where}: not JSON: {text[:80]!r}")
            return
        if not isinstance(body, dict):
            self.violations.append(f"{where}: not an object: {text[:80]!r}")
        elif request.method == "GET" and LIST_PATH.match(request.url.path) and "data" not in body:
            self.violations.append(f"{where}: a list without data")

    def answer(self) -> Any:
        """The raw JSON of the last response."""
        return json.loads(self.answers[-1][3])

    def close(self) -> None:
        if self.loop is not None:
            self.loop.run_until_complete(self.http.aclose())
            self.loop.close()
        else:
            self.http.close()


@pytest.fixture
def make_sdk(mock_server: MockServer, namespace: str) -> Iterator[Callable[..., Sdk]]:
    made: list[Sdk] = []

    def make(mode: str, api_key: str | None = PORTKEY_ADMIN_KEY, ns: str | None = None, **headers: str) -> Sdk:
        made.append(Sdk(mock_server, ns or namespace, mode, api_key, headers))
        return made[-1]

    yield make
    for sdk in made:
        sdk.close()
    assert [v for sdk in made for v in sdk.violations] == [], "the SDK's transport rules were broken"


@pytest.fixture(params=["sync", "async"])
def api(request: pytest.FixtureRequest, make_sdk: Callable[..., Sdk]) -> Iterator[Sdk]:
    sdk = make_sdk(request.param)
    yield sdk
    assert any(200 <= status < 300 for _, _, status, _ in sdk.answers), "no 2xx reached the transport check"


@pytest.fixture(scope="session")
def seed() -> Seed:
    return load_seed()


# MARK: - Raw HTTP and comparisons


class Raw:
    """The same namespace through plain httpx."""

    def __init__(self, mock_server: MockServer, namespace: str) -> None:
        self.mock_server, self.namespace = mock_server, namespace

    def request(self, method: str, path: str, *, key: str | None = PORTKEY_ADMIN_KEY, **kwargs: Any) -> httpx.Response:
        headers = {"X-Mock-Namespace": self.namespace, **kwargs.pop("headers", {})}
        if key is not None:
            headers["x-portkey-api-key"] = key
        return httpx.request(method, f"{self.mock_server.portkey_url}{path}", headers=headers, timeout=10, **kwargs)

    def json(self, method: str, path: str, status: int = 200, **kwargs: Any) -> Any:
        response = self.request(method, path, **kwargs)
        assert response.status_code == status, f"{method} {path}: {response.status_code} {response.text}"
        assert response.headers["content-type"] == "application/json"
        return response.json()

    def error(self, method: str, path: str, status: int, code: str, *fragments: str, **kwargs: Any) -> str:
        body = self.json(method, path, status, **kwargs)
        return envelope_message(body, code, fragments)

    def workspaces(self) -> tuple[list[dict[str, Any]], int]:
        page = self.json("GET", "/admin/workspaces", params={"page_size": 10000})
        assert list(page) == ["total", "object", "data"], list(page)
        assert page["object"] == "list"
        return page["data"], page["total"]

    def members(self, workspace_id: str) -> list[dict[str, Any]]:
        page = self.json("GET", f"/admin/workspaces/{workspace_id}/users", params={"page_size": 10000})
        assert page["total"] == len(page["data"]) and page["object"] == "list"
        return page["data"]


@pytest.fixture
def raw(mock_server: MockServer, namespace: str) -> Raw:
    return Raw(mock_server, namespace)


def envelope_message(body: Any, code: str, fragments: tuple[str, ...] = ()) -> str:
    """Asserts Portkey's error envelope with `code`; returns the message."""
    assert isinstance(body, dict) and list(body) == ["success", "data"], body
    assert body["success"] is False and list(body["data"]) == ["message", "errorCode"], body
    assert body["data"]["errorCode"] == code, body
    message = body["data"]["message"]
    assert isinstance(message, str) and message
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    return message


class expect_error:
    """`with expect_error(NotFoundError, 404, "AB08", "ws-x"):` — the call raises exactly that SDK error
    class with that status, Portkey's envelope (the SDK hands over the raw text as `body` and `message`),
    the error code, and each fragment in the message (or exactly `message=`)."""

    def __init__(self, error_type: type, status: int, code: str, *fragments: str, message: str | None = None) -> None:
        self.error_type, self.status, self.code, self.fragments, self.message = (
            error_type, status, code, fragments, message)
        self._raises = pytest.raises(APIStatusError)

    def __enter__(self) -> "expect_error":
        self._info = self._raises.__enter__()
        return self

    def __exit__(self, *exc: Any) -> bool:
        if not self._raises.__exit__(*exc):
            return False
        error = self._info.value
        assert type(error) is self.error_type, (type(error), error.status_code, error.body)
        assert error.status_code == self.status
        assert error.response.headers["content-type"] == "application/json"
        assert error.body == error.message == error.response.text
        message = envelope_message(json.loads(error.body), self.code, self.fragments)
        if self.message is not None:
            assert message == self.message
        return True


def dump(model: Any) -> dict[str, Any]:
    """A typed model's set fields; a plain dict (GenericResponse's `data` items) as it is."""
    return model if isinstance(model, dict) else model.model_dump(exclude_unset=True)


def assert_keys(record: dict[str, Any], keys: tuple[str, ...]) -> None:
    assert tuple(record) == keys, tuple(record)


def query_of(entry: dict[str, Any]) -> dict[str, str]:
    return {name: values[-1] for name, values in entry["query"].items()}


def with_users(workspace: dict[str, Any], users: list[dict[str, Any]]) -> dict[str, Any]:
    return {**workspace, "users": users}


# MARK: - Create


def test_create_with_every_sdk_field_gives_the_derived_workspace_and_its_members(api, raw, seed):
    name = "Launch Prep: EU/West 2026"
    joining = seed.outsiders(seed.busiest()["id"])[:2]
    before = utc_now()
    created = api.admin.workspaces.create(
        name=name, description="Pre-launch checks", defaults={"metadata": {"team": "ml", "env": "staging"}},
        users=[u["id"] for u in joining])
    after = utc_now()

    body = api.answer()
    assert body["id"] == created_id(name, 1) == "ws-launch-prep-eu-west-2026-" + created_id("x", 1)[-6:]
    assert_stamped_between(body["created_at"], before, after)
    expected = new_workspace(created_id(name, 1), name, body["created_at"], description="Pre-launch checks",
                             metadata={"team": "ml", "env": "staging"})
    assert body == expected
    assert_keys(body, WORKSPACE_KEYS)
    assert dump(created) == expected

    # The users join as `member`, stamped with the create.
    joined = [member(u, {"workspace_id": expected["id"], "role": "member", "created_at": body["created_at"],
                         "last_updated_at": body["created_at"]}) for u in joining]
    retrieved = api.admin.workspaces.retrieve(workspace_id=expected["id"])
    assert api.answer() == with_users(expected, joined)
    assert_keys(api.answer(), (*WORKSPACE_KEYS, "users"))
    assert dump(retrieved) == with_users(expected, joined)
    for record in api.answer()["users"]:
        assert_keys(record, MEMBER_KEYS)

    listed, total = raw.workspaces()
    assert total == len(seed.workspaces) + 1
    assert listed == seed.workspaces + [expected]


def test_create_with_only_a_name_derives_slugs_and_ids_per_the_readme(api, raw, mock_server, seed):
    names = ["Launch Prep", "Launch Prep", "  Ünïcode & Co!! ", "!!!", "\u212a8s Cluster",
             "A" * 39 + " tail that is cut", "x" * 255]
    expected_ids = [created_id(name, n) for n, name in enumerate(names, start=1)]
    assert expected_ids[2].startswith("ws-n-code-co-") and expected_ids[3].startswith("ws-workspace-")
    assert expected_ids[4].startswith("ws-k8s-cluster-") and expected_ids[5].startswith("ws-" + "a" * 39 + "-")
    records = []
    for name, workspace_id in zip(names, expected_ids):
        before = utc_now()
        created = api.admin.workspaces.create(name=name)
        after = utc_now()
        body = api.answer()
        assert_stamped_between(body["created_at"], before, after)
        records.append(new_workspace(workspace_id, name, body["created_at"]))
        assert body == records[-1]
        assert dump(created) == records[-1]
    assert len(set(expected_ids)) == len(names)

    assert raw.workspaces() == (seed.workspaces + records, len(seed.workspaces) + len(names))
    # The same calls give the same ids in a fresh namespace, and again after a reset.
    for other in (f"{api.namespace}-b", api.namespace):
        if other == api.namespace:
            mock_server.admin("POST", "reset", other)
        again = Raw(mock_server, other)
        ids = [again.json("POST", "/admin/workspaces", json={"name": name})["id"] for name in names]
        assert ids == expected_ids


def test_refused_creates_raise_bad_request_and_change_nothing(api, raw, seed):
    with expect_error(BadRequestError, 400, "AB01", message="name is required"):
        api.admin.workspaces.create(description="no name")
    with expect_error(BadRequestError, 400, "AB01", message="name is required"):
        api.admin.workspaces.create(name="")  # the SDK drops "" from the body
    with expect_error(BadRequestError, 400, "AB01", "name"):
        api.admin.workspaces.create(name="x" * 256)
    with expect_error(BadRequestError, 400, "AB01", UNKNOWN_USER):
        api.admin.workspaces.create(name="Nobody", users=[seed.users[0]["id"], UNKNOWN_USER])
    for body, fragment in [([], ""), ({"name": 7}, "name"), ({"name": "A", "users": "u"}, "users"),
                           ({"name": "A", "defaults": {"metadata": {"k": 1}}}, "metadata")]:
        raw.error("POST", "/admin/workspaces", 400, "AB01", fragment, json=body)
    raw.error("POST", "/admin/workspaces", 400, "AB01", content=b"{not json", headers={"Content-Type": "application/json"})

    assert raw.workspaces() == (seed.workspaces, len(seed.workspaces))
    # Nothing was counted either: the next create is the namespace's first.
    assert api.admin.workspaces.create(name="After").id == created_id("After", 1)


# MARK: - Retrieve and list


def test_retrieve_by_id_and_by_slug_adds_the_members(api, seed):
    busiest, default = seed.busiest(), seed.default_workspace
    without_defaults = next(w for w in seed.workspaces if w["defaults"] is None)
    for workspace in (busiest, default, without_defaults):
        expected = with_users(workspace, seed.members_of(workspace["id"]))
        for key in (workspace["id"], workspace["slug"]):
            retrieved = api.admin.workspaces.retrieve(workspace_id=key)
            assert api.answer() == expected
            assert_keys(api.answer(), (*WORKSPACE_KEYS, "users"))
            assert dump(retrieved) == expected
    assert len(seed.members_of(busiest["id"])) >= 10

    with expect_error(NotFoundError, 404, "AB08", UNKNOWN_WORKSPACE):
        api.admin.workspaces.retrieve(workspace_id=UNKNOWN_WORKSPACE)


def test_list_pages_filters_and_shows_created_workspaces_last(api, mock_server, seed):
    walked: list[dict[str, Any]] = []
    for page_number in range(4):
        page = api.admin.workspaces.list(page_size=17, current_page=page_number)
        body = api.answer()
        assert list(body) == ["total", "object", "data"] and body["object"] == "list"
        assert body["total"] == page.total == len(seed.workspaces)
        assert [dump(w) for w in page.data] == body["data"]
        walked.extend(body["data"])
    assert walked == seed.workspaces

    created = [api.admin.workspaces.create(name=f"Sandbox {n}").id for n in (1, 2)]
    page = api.admin.workspaces.list(page_size=100, name="Sandbox", status="active")
    matching = [w for w in seed.workspaces if "Sandbox" in w["name"] and w["status"] == "active"]
    assert [w.id for w in page.data] == [w["id"] for w in matching] + created
    assert page.total == len(matching) + 2
    page = api.admin.workspaces.list(exact_name="Sandbox 2")
    assert [w.id for w in page.data] == created[1:] and page.total == 1
    assert [query_of(e) for e in mock_server.journal(api.namespace, "portkey") if e["method"] == "GET"][-1] == {
        "exact_name": "Sandbox 2", "currentPage": "0"}


# MARK: - Update


def test_update_is_partial_answers_an_empty_object_and_never_moves_the_id(api, raw, seed):
    created = api.admin.workspaces.create(name="Before", description="old",
                                          defaults={"metadata": {"team": "a"}})
    original = api.answer()

    before = utc_now()
    updated = api.admin.workspaces.update(workspace_id=created.id, name="After Rename", description="new",
                                          defaults={"metadata": {"team": "b", "env": "dev"}})
    after = utc_now()
    assert api.answer() == {}
    assert dump(updated) == {}
    current = api.admin.workspaces.retrieve(workspace_id=created.id)
    body = api.answer()
    assert_stamped_between(body["last_updated_at"], before, after)
    expected = {**original, "name": "After Rename", "description": "new", "last_updated_at": body["last_updated_at"],
                "defaults": {**original["defaults"], "metadata": {"team": "b", "env": "dev"}}, "users": []}
    assert body == expected and dump(current) == expected
    assert body["id"] == body["slug"] == created_id("Before", 1)

    # One field: the rest of a seeded workspace stays as it was.
    target = seed.busiest()
    api.admin.workspaces.update(workspace_id=target["slug"], description="Only this")
    assert api.answer() == {}
    body = raw.json("GET", f"/admin/workspaces/{target['id']}")
    assert body == with_users({**target, "description": "Only this", "last_updated_at": body["last_updated_at"]},
                              seed.members_of(target["id"]))
    # Raw: null empties a limit list, `defaults: null` changes nothing, an empty body only stamps.
    limited = next(w for w in seed.workspaces if w["usage_limits"] and w["defaults"])
    assert raw.json("PUT", f"/admin/workspaces/{limited['id']}", json={"usage_limits": None, "defaults": None}) == {}
    body = raw.json("GET", f"/admin/workspaces/{limited['id']}")
    assert body == with_users({**limited, "usage_limits": [], "last_updated_at": body["last_updated_at"]},
                              seed.members_of(limited["id"]))

    with expect_error(NotFoundError, 404, "AB08", UNKNOWN_WORKSPACE):
        api.admin.workspaces.update(workspace_id=UNKNOWN_WORKSPACE, name="x")
    raw.error("PUT", f"/admin/workspaces/{target['id']}", 400, "AB01", "name", json={"name": 5})


# MARK: - Delete


def test_delete_answers_an_empty_object_and_the_workspace_is_gone_everywhere(api, raw, seed):
    target = seed.deletable()
    created = api.admin.workspaces.create(name="Short Lived")

    for key in (target["id"], created.id):
        deleted = api.admin.workspaces.delete(workspace_id=key)
        assert api.answer() == {}
        assert dump(deleted) == {}
        with expect_error(NotFoundError, 404, "AB08", key):
            api.admin.workspaces.retrieve(workspace_id=key)
        with expect_error(NotFoundError, 404, "AB08", key):
            api.admin.workspaces.update(workspace_id=key, name="again")
        with expect_error(NotFoundError, 404, "AB08", key):
            api.admin.workspaces.delete(workspace_id=key)
        with expect_error(NotFoundError, 404, "AB08", key):
            api.admin.workspaces.users.list(workspace_id=key)
    assert raw.workspaces() == ([w for w in seed.workspaces if w["id"] != target["id"]], len(seed.workspaces) - 1)


def test_delete_refusals_default_workspace_virtual_keys_and_force_delete(api, raw, seed):
    default, guarded = seed.default_workspace, seed.with_virtual_keys()
    with expect_error(PermissionDeniedError, 403, "AB03", message=DEFAULT_WORKSPACE_MESSAGE):
        api.admin.workspaces.delete(workspace_id=default["id"])
    # The SDK cannot send force_delete: a workspace holding virtual keys is a 409 through it.
    with expect_error(ConflictError, 409, "AB07", message=VIRTUAL_KEYS_MESSAGE):
        api.admin.workspaces.delete(workspace_id=guarded["id"], name=guarded["name"])
    raw.error("DELETE", f"/admin/workspaces/{guarded['id']}", 409, "AB07", json={"force_delete": False})
    raw.error("DELETE", f"/admin/workspaces/{default['id']}", 403, "AB03", json={"force_delete": True})
    with expect_error(NotFoundError, 404, "AB08", UNKNOWN_WORKSPACE):
        api.admin.workspaces.delete(workspace_id=UNKNOWN_WORKSPACE)
    assert raw.workspaces() == (seed.workspaces, len(seed.workspaces))

    assert raw.json("DELETE", f"/admin/workspaces/{guarded['slug']}", json={"force_delete": True}) == {}
    with expect_error(NotFoundError, 404, "AB08", guarded["id"]):
        api.admin.workspaces.retrieve(workspace_id=guarded["id"])
    page = api.admin.workspaces.list(page_size=100)
    assert [dump(w) for w in page.data] == [w for w in seed.workspaces if w["id"] != guarded["id"]]


# MARK: - Workspace users


def test_members_list_pages_with_snake_case_and_filters(api, mock_server, seed):
    workspace = seed.busiest()
    everyone = seed.members_of(workspace["id"])
    walked: list[dict[str, Any]] = []
    for page_number in range(3):
        page = api.admin.workspaces.users.list(workspace_id=workspace["id"], page_size=6, current_page=page_number)
        body = api.answer()
        assert list(body) == ["total", "object", "data"] and body["object"] == "list"
        assert page.total == body["total"] == len(everyone)
        assert [dump(m) for m in page.data] == body["data"]
        walked.extend(body["data"])
    assert walked == everyone
    for record in walked:
        assert_keys(record, MEMBER_KEYS)
    queries = [query_of(e) for e in mock_server.journal(api.namespace, "portkey")]
    assert queries == [{"page_size": "6", "current_page": str(n)} for n in range(3)]

    for role in ("admin", "manager", "member"):
        page = api.admin.workspaces.users.list(workspace_id=workspace["slug"], role=role)
        assert [dump(m) for m in page.data] == [m for m in everyone if m["role"] == role]
        assert page.total == len(page.data)
    someone = everyone[-1]
    page = api.admin.workspaces.users.list(workspace_id=workspace["id"], email=someone["email"].upper())
    assert [dump(m) for m in page.data] == [someone] and page.total == 1
    with expect_error(NotFoundError, 404, "AB08", UNKNOWN_WORKSPACE):
        api.admin.workspaces.users.list(workspace_id=UNKNOWN_WORKSPACE)


def test_member_add_retrieve_update_delete(api, raw, seed):
    workspace = seed.busiest()
    newcomer = seed.outsiders(workspace["id"])[0]
    before = utc_now()
    added = api.admin.workspaces.users.create(workspace_id=workspace["id"],
                                              users=[{"id": newcomer["id"], "role": "manager"}])
    after = utc_now()
    assert api.answer() == {} and dump(added) == {}

    got = api.admin.workspaces.users.retrieve(workspace_id=workspace["slug"], user_id=newcomer["id"])
    body = api.answer()
    assert_stamped_between(body["created_at"], before, after)
    expected = member(newcomer, {"workspace_id": workspace["id"], "role": "manager",
                                 "created_at": body["created_at"], "last_updated_at": body["created_at"]})
    assert body == expected and dump(got) == expected
    assert_keys(body, MEMBER_KEYS)
    assert raw.members(workspace["id"]) == seed.members_of(workspace["id"]) + [expected]

    before = utc_now()
    updated = api.admin.workspaces.users.update(workspace_id=workspace["id"], user_id=newcomer["id"], role="admin")
    after = utc_now()
    assert api.answer() == {} and dump(updated) == {}
    got = api.admin.workspaces.users.retrieve(workspace_id=workspace["id"], user_id=newcomer["id"])
    assert_stamped_between(api.answer()["last_updated_at"], before, after)
    expected = {**expected, "role": "admin", "last_updated_at": api.answer()["last_updated_at"]}
    assert api.answer() == expected and dump(got) == expected

    # Retrieve of the workspace lists the member too.
    api.admin.workspaces.retrieve(workspace_id=workspace["id"])
    assert api.answer()["users"] == seed.members_of(workspace["id"]) + [expected]

    removed = api.admin.workspaces.users.delete(workspace_id=workspace["id"], user_id=newcomer["id"])
    assert api.answer() == {} and dump(removed) == {}
    for call in (lambda: api.admin.workspaces.users.retrieve(workspace_id=workspace["id"], user_id=newcomer["id"]),
                 lambda: api.admin.workspaces.users.update(workspace_id=workspace["id"], user_id=newcomer["id"],
                                                           role="member"),
                 lambda: api.admin.workspaces.users.delete(workspace_id=workspace["id"], user_id=newcomer["id"])):
        with expect_error(NotFoundError, 404, "AB08"):
            call()
    assert raw.members(workspace["id"]) == seed.members_of(workspace["id"])


def test_adding_an_existing_member_sets_the_role_and_keeps_created_at(api, raw, seed):
    workspace = seed.busiest()
    existing = seed.members_of(workspace["id"])[0]
    role = next(r for r in ("member", "manager", "admin") if r != existing["role"])
    before = utc_now()
    api.admin.workspaces.users.create(workspace_id=workspace["id"], users=[{"id": existing["id"], "role": role}])
    after = utc_now()
    assert api.answer() == {}
    got = api.admin.workspaces.users.retrieve(workspace_id=workspace["id"], user_id=existing["id"])
    assert_stamped_between(api.answer()["last_updated_at"], before, after)
    expected = {**existing, "role": role, "last_updated_at": api.answer()["last_updated_at"]}
    assert api.answer() == expected and dump(got) == expected
    assert [m["id"] for m in raw.members(workspace["id"])] == [m["id"] for m in seed.members_of(workspace["id"])]


def test_member_refusals_are_typed_and_change_nothing(api, raw, seed):
    workspace = seed.busiest()
    inside = seed.members_of(workspace["id"])[0]
    outsider = seed.outsiders(workspace["id"])[0]
    with expect_error(BadRequestError, 400, "AB01", "role"):
        api.admin.workspaces.users.create(workspace_id=workspace["id"], users=[{"id": outsider["id"], "role": "owner"}])
    with expect_error(BadRequestError, 400, "AB01", UNKNOWN_USER):
        api.admin.workspaces.users.create(workspace_id=workspace["id"], users=[
            {"id": outsider["id"], "role": "member"}, {"id": UNKNOWN_USER, "role": "member"}])
    with expect_error(BadRequestError, 400, "AB01", "role"):
        api.admin.workspaces.users.update(workspace_id=workspace["id"], user_id=inside["id"], role="superuser")
    for call in (lambda: api.admin.workspaces.users.retrieve(workspace_id=workspace["id"], user_id=outsider["id"]),
                 lambda: api.admin.workspaces.users.update(workspace_id=workspace["id"], user_id=outsider["id"],
                                                           role="admin"),
                 lambda: api.admin.workspaces.users.delete(workspace_id=workspace["id"], user_id=outsider["id"]),
                 lambda: api.admin.workspaces.users.retrieve(workspace_id=workspace["id"], user_id=UNKNOWN_USER),
                 lambda: api.admin.workspaces.users.create(workspace_id=UNKNOWN_WORKSPACE,
                                                           users=[{"id": outsider["id"], "role": "member"}])):
        with expect_error(NotFoundError, 404, "AB08"):
            call()
    for body in ({}, {"users": "x"}, {"users": [{"id": outsider["id"]}]}, {"users": [{"role": "admin"}]}):
        raw.error("POST", f"/admin/workspaces/{workspace['id']}/users", 400, "AB01", json=body)
    page = api.admin.workspaces.users.list(workspace_id=workspace["id"], page_size=100)
    assert [dump(m) for m in page.data] == seed.members_of(workspace["id"])


# MARK: - The organization's users


def test_users_list_pages_with_camel_case_and_filters(api, mock_server, seed):
    walked: list[dict[str, Any]] = []
    for page_number in range(3):
        page = api.admin.users.list(page_size=8, current_page=page_number)
        body = api.answer()
        assert list(body) == ["total", "object", "data"] and body["object"] == "list"
        assert page.total == body["total"] == len(seed.users)
        assert [dump(u) for u in page.data] == body["data"]
        walked.extend(body["data"])
    assert walked == seed.users
    for record in walked:
        assert_keys(record, USER_KEYS)
    assert [query_of(e) for e in mock_server.journal(api.namespace, "portkey")] == [
        {"pageSize": "8", "currentPage": str(n)} for n in range(3)]
    for role in ("owner", "admin", "member"):
        page = api.admin.users.list(role=role)
        assert [dump(u) for u in page.data] == [u for u in seed.users if u["role"] == role]
    page = api.admin.users.list(email=seed.users[3]["email"].upper())
    assert [dump(u) for u in page.data] == [seed.users[3]] and page.total == 1


# MARK: - Keys and forced failures


def every_method(sdk: Sdk, seed: Seed) -> list[tuple[str, Callable[[], Any]]]:
    workspace = seed.busiest()
    someone = seed.members_of(workspace["id"])[0]
    admin = sdk.admin
    return [
        ("workspaces.create", lambda: admin.workspaces.create(name="Denied")),
        ("workspaces.retrieve", lambda: admin.workspaces.retrieve(workspace_id=workspace["id"])),
        ("workspaces.list", lambda: admin.workspaces.list()),
        ("workspaces.update", lambda: admin.workspaces.update(workspace_id=workspace["id"], name="Denied")),
        ("workspaces.delete", lambda: admin.workspaces.delete(workspace_id=workspace["id"])),
        ("users.create", lambda: admin.workspaces.users.create(
            workspace_id=workspace["id"], users=[{"id": seed.outsiders(workspace["id"])[0]["id"], "role": "member"}])),
        ("users.list", lambda: admin.workspaces.users.list(workspace_id=workspace["id"])),
        ("users.retrieve", lambda: admin.workspaces.users.retrieve(workspace_id=workspace["id"], user_id=someone["id"])),
        ("users.update", lambda: admin.workspaces.users.update(workspace_id=workspace["id"], user_id=someone["id"],
                                                               role="admin")),
        ("users.delete", lambda: admin.workspaces.users.delete(workspace_id=workspace["id"], user_id=someone["id"])),
        ("admin.users.list", lambda: admin.users.list()),
    ]


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_every_method_needs_the_admin_key(make_sdk, raw, seed, mode):
    cases = [(make_sdk(mode, PORTKEY_WORKSPACE_KEY), PermissionDeniedError, 403, "AB03", FORBIDDEN_MESSAGE),
             (make_sdk(mode, "pk-not-a-real-key"), AuthenticationError, 401, "AB05", UNAUTHORISED_MESSAGE),
             (make_sdk(mode, None), AuthenticationError, 401, "AB05", UNAUTHORISED_MESSAGE)]
    for sdk, error_type, status, code, message in cases:
        methods = every_method(sdk, seed)
        assert len(methods) == 11
        for name, call in methods:
            with expect_error(error_type, status, code, message=message):
                call()
    assert raw.workspaces() == (seed.workspaces, len(seed.workspaces))
    assert raw.members(seed.busiest()["id"]) == seed.members_of(seed.busiest()["id"])


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_forced_500_is_the_typed_error_once_with_retries_off(make_sdk, mock_server, namespace, seed, mode):
    sdk = make_sdk(mode, PORTKEY_ADMIN_KEY, None, Prefer="code=500")
    for name, call in every_method(sdk, seed):
        with expect_error(InternalServerError, 500, "AB04", message="Internal Server Error"):
            call()
    assert [e["status"] for e in mock_server.journal(namespace, "portkey")] == [500] * 11
