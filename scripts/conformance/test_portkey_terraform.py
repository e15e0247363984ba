"""Portkey's Terraform provider's request sequences, replayed over httpx (the provider itself, a Go plugin,
cannot run here).

Source: Portkey-AI/terraform-provider-portkey at commit e72588100a13, `internal/client/client.go`. What the
replay copies from it:
- `doRequest`: every request carries `Content-Type: application/json` and `x-portkey-api-key`, a GET or a
  member DELETE included (no body then); a body is Go's `json.Marshal` of the request struct (compact, the
  struct's field order, `omitempty` fields left out); any status outside 2xx is an `APIError`, and a read
  treats 404 and 403 as "the resource is gone" (`IsNotFound`) so that Terraform can drop it from state;
- `CreateWorkspace`: POST `/admin/workspaces` with `CreateWorkspaceRequest` (name, icon, description,
  defaults.metadata, rate_limits, usage_limits), the answer decoded into `Workspace`;
- `UpdateWorkspace`: PUT with `UpdateWorkspaceRequest` (the answer is ignored; "update returns empty
  response"), then `GetWorkspace`; `usage_limits: null` (client.JSONNull) clears the limits;
- `DeleteWorkspace`: DELETE with `{"name": …, "force_delete": true}` (the provider cascades to virtual keys);
- `AddWorkspaceMember`: POST `…/users` with `{"users":[{"id","role"}]}`, then `GetWorkspaceMember`;
  `UpdateWorkspaceMember`: PUT `{"role"}`, then the same read; `RemoveWorkspaceMember`: DELETE, no body.
Every answer the provider decodes is checked as Go's `json.Unmarshal` into its structs would check it: a
string field gets a string or null, an `*int` an integral number, a `time.Time` an RFC 3339 string (null
leaves it zero), and the values are those sent (what Terraform compares its plan against).
"""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest

from conftest import PORTKEY_ADMIN_KEY, MockServer
from portkey_lifecycle_contract import Seed, created_id, load_seed

RFC3339 = re.compile(r"\A\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})\Z")


class Provider:
    """The provider's `Client` for one namespace."""

    def __init__(self, mock_server: MockServer, namespace: str) -> None:
        self.base_url, self.namespace = mock_server.portkey_url, namespace
        self.sent: list[tuple[str, str, bytes]] = []

    def do(self, method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, bytes]:
        content = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode() if body is not None else None
        headers = {"Content-Type": "application/json", "x-portkey-api-key": PORTKEY_ADMIN_KEY,
                   "User-Agent": "Go-http-client/1.1", "Accept-Encoding": "gzip",
                   "X-Mock-Namespace": self.namespace}
        response = httpx.request(method, self.base_url + path, headers=headers, content=content, timeout=10)
        self.sent.append((method, path, content or b""))
        return response.status_code, response.content

    def ok(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        status, content = self.do(method, path, body)
        assert 200 <= status < 300, f"APIError: {method} {path}: {status} {content!r}"
        return json.loads(content)

    def error(self, method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, dict[str, Any]]:
        status, content = self.do(method, path, body)
        assert not 200 <= status < 300, f"{method} {path}: {status} {content!r}"
        return status, json.loads(content)

    # The client's methods, as the provider's resources call them.

    def create_workspace(self, request: dict[str, Any]) -> dict[str, Any]:
        return go_workspace(self.ok("POST", "/admin/workspaces", request))

    def get_workspace(self, workspace_id: str) -> dict[str, Any]:
        return go_workspace(self.ok("GET", f"/admin/workspaces/{workspace_id}"))

    def list_workspaces(self) -> list[dict[str, Any]]:
        body = self.ok("GET", "/admin/workspaces")
        assert isinstance(body.get("data"), list)
        return [go_workspace(w) for w in body["data"]]

    def update_workspace(self, workspace_id: str, request: dict[str, Any]) -> dict[str, Any]:
        self.ok("PUT", f"/admin/workspaces/{workspace_id}", request)
        return self.get_workspace(workspace_id)

    def delete_workspace(self, workspace_id: str, name: str) -> None:
        self.ok("DELETE", f"/admin/workspaces/{workspace_id}", {"name": name, "force_delete": True})

    def add_member(self, workspace_id: str, user_id: str, role: str) -> dict[str, Any]:
        self.ok("POST", f"/admin/workspaces/{workspace_id}/users", {"users": [{"id": user_id, "role": role}]})
        return self.get_member(workspace_id, user_id)

    def get_member(self, workspace_id: str, user_id: str) -> dict[str, Any]:
        decoded = go_member(self.ok("GET", f"/admin/workspaces/{workspace_id}/users/{user_id}"))
        decoded["id"] = decoded["id"] or user_id  # "API getMember endpoint doesn't return id field"
        decoded["role"] = decoded["role"].removeprefix("ws-")
        return decoded

    def update_member(self, workspace_id: str, user_id: str, role: str) -> dict[str, Any]:
        self.ok("PUT", f"/admin/workspaces/{workspace_id}/users/{user_id}", {"role": role})
        return self.get_member(workspace_id, user_id)

    def remove_member(self, workspace_id: str, user_id: str) -> None:
        self.ok("DELETE", f"/admin/workspaces/{workspace_id}/users/{user_id}")


@pytest.fixture
def provider(mock_server: MockServer, namespace: str) -> Provider:
    return Provider(mock_server, namespace)


@pytest.fixture(scope="session")
def seed() -> Seed:
    return load_seed()


# MARK: - Go's json.Unmarshal into the provider's structs


def go_string(value: Any, where: str) -> str:
    assert value is None or isinstance(value, str), f"{where}: cannot unmarshal {value!r} into a Go string"
    return value or ""


def go_int(value: Any, where: str) -> int | None:
    assert value is None or (isinstance(value, int) and not isinstance(value, bool)), \
        f"{where}: cannot unmarshal {value!r} into a Go int"
    return value


def go_time(value: Any, where: str) -> str | None:
    assert value is None or (isinstance(value, str) and RFC3339.match(value)), \
        f"{where}: parsing time {value!r} as RFC 3339"
    return value


def go_workspace(body: Any) -> dict[str, Any]:
    """`Workspace`: id, slug, name, icon, description, defaults.metadata, rate_limits, usage_limits,
    created_at, last_updated_at."""
    assert isinstance(body, dict), body
    defaults = body.get("defaults")
    assert defaults is None or isinstance(defaults, dict)
    metadata = (defaults or {}).get("metadata")
    assert metadata is None or (isinstance(metadata, dict) and all(isinstance(v, str) for v in metadata.values()))
    limits: dict[str, list[dict[str, Any]]] = {}
    for key, fields in (("rate_limits", {"type": go_string, "unit": go_string, "value": go_int}),
                        ("usage_limits", {"type": go_string, "credit_limit": go_int, "alert_threshold": go_int,
                                          "periodic_reset": go_string})):
        items = body.get(key)
        assert items is None or isinstance(items, list), f"{key}: {items!r}"
        limits[key] = [{name: decode(item.get(name), f"{key}.{name}") for name, decode in fields.items()}
                       for item in items or []]
    return {"id": go_string(body.get("id"), "id"), "slug": go_string(body.get("slug"), "slug"),
            "name": go_string(body.get("name"), "name"), "icon": go_string(body.get("icon"), "icon"),
            "description": go_string(body.get("description"), "description"), "metadata": metadata or {},
            **limits, "created_at": go_time(body.get("created_at"), "created_at"),
            "last_updated_at": go_time(body.get("last_updated_at"), "last_updated_at")}


def go_member(body: Any) -> dict[str, Any]:
    """`WorkspaceMember`: id, user_id, workspace_id, role, email, first_name, last_name, created_at."""
    assert isinstance(body, dict), body
    decoded = {key: go_string(body.get(key), key)
               for key in ("id", "user_id", "workspace_id", "role", "email", "first_name", "last_name")}
    decoded["created_at"] = go_time(body.get("created_at"), "created_at")
    if not decoded["id"] and decoded["user_id"]:
        decoded["id"] = decoded["user_id"]
    return decoded


# MARK: - The sequences


CREATE = {"name": "tf-demo", "description": "Managed by Terraform", "defaults": {"metadata": {"env": "dev"}},
          "rate_limits": [{"type": "requests", "unit": "rpm", "value": 100}],
          "usage_limits": [{"type": "cost", "credit_limit": 50, "alert_threshold": 80, "periodic_reset": "monthly"}]}


def planned(request: dict[str, Any]) -> dict[str, Any]:
    """What Terraform expects to read back: the values it sent."""
    return {"name": request["name"], "description": request.get("description", ""),
            "metadata": request.get("defaults", {}).get("metadata", {}),
            "rate_limits": request.get("rate_limits", []), "usage_limits": request.get("usage_limits", [])}


def state(workspace: dict[str, Any]) -> dict[str, Any]:
    return {key: workspace[key] for key in ("name", "description", "metadata", "rate_limits", "usage_limits")}


def test_create_then_read_gives_back_what_was_planned(provider, seed):
    created = provider.create_workspace(CREATE)
    assert created["id"] == created["slug"] == created_id("tf-demo", 1)
    assert state(created) == planned(CREATE)
    assert created["created_at"] and created["last_updated_at"]

    read = provider.get_workspace(created["id"])
    assert read == created
    # ListWorkspaces sends no paging: the first page, 50 of the 61 (the provider reads no further).
    assert provider.list_workspaces() == [go_workspace(w) for w in seed.workspaces[:50]]
    # With only a name (Go leaves the omitempty fields out), and with the icon the mock does not model.
    bare = provider.create_workspace({"name": "tf-bare", "icon": "🚪"})
    assert state(bare) == planned({"name": "tf-bare"})
    assert provider.get_workspace(bare["id"]) == bare


def test_update_then_read_and_clearing_limits_with_null(provider):
    created = provider.create_workspace(CREATE)
    change = {"name": "tf-demo-renamed", "description": "Changed by Terraform", "defaults": {"metadata": {"env": "prod"}},
              "rate_limits": [{"type": "tokens", "unit": "rph", "value": 5000}]}
    updated = provider.update_workspace(created["id"], change)
    assert state(updated) == {**planned(change), "usage_limits": CREATE["usage_limits"]}
    assert updated["id"] == updated["slug"] == created["id"] and updated["created_at"] == created["created_at"]
    assert updated["last_updated_at"] >= created["last_updated_at"]

    cleared = provider.update_workspace(created["id"], {"usage_limits": None, "icon": ""})
    assert state(cleared) == {**state(updated), "usage_limits": []}
    assert [s[2] for s in provider.sent if s[0] == "PUT"][-1] == b'{"usage_limits":null,"icon":""}'


def test_add_a_member_then_read_update_and_remove_it(provider, seed):
    created = provider.create_workspace({"name": "tf-members"})
    user = seed.users[1]
    added = provider.add_member(created["id"], user["id"], "member")
    assert added["created_at"]
    assert added == {"id": user["id"], "user_id": "", "workspace_id": created["id"], "role": "member",
                     "email": user["email"], "first_name": user["first_name"], "last_name": user["last_name"],
                     "created_at": added["created_at"]}
    updated = provider.update_member(created["id"], user["id"], "manager")
    assert updated == {**added, "role": "manager"}
    provider.remove_member(created["id"], user["id"])
    status, body = provider.error("GET", f"/admin/workspaces/{created['id']}/users/{user['id']}")
    assert status == 404 and body["data"]["errorCode"] == "AB08"
    # A seeded workspace and member, read as the provider's import would.
    workspace = seed.busiest()
    first = seed.members_of(workspace["id"])[0]
    assert provider.get_member(workspace["id"], first["id"])["role"] == first["role"]


def test_delete_sends_name_and_force_delete_and_cascades_past_virtual_keys(provider, seed):
    created = provider.create_workspace(CREATE)
    provider.delete_workspace(created["id"], created["name"])
    guarded = seed.with_virtual_keys()
    provider.delete_workspace(guarded["id"], guarded["name"])
    assert [s[2] for s in provider.sent if s[0] == "DELETE"] == [
        b'{"name":"tf-demo","force_delete":true}',
        json.dumps({"name": guarded["name"], "force_delete": True}, separators=(",", ":")).encode()]
    ids = [w["id"] for w in provider.list_workspaces()]
    assert created["id"] not in ids and guarded["id"] not in ids
    # The default workspace stays: the provider sees an APIError (403 AB03).
    default = seed.default_workspace
    status, body = provider.error("DELETE", f"/admin/workspaces/{default['id']}",
                                  {"name": default["name"], "force_delete": True})
    assert status == 403 and body["data"]["errorCode"] == "AB03"


def test_a_workspace_deleted_behind_the_providers_back_reads_as_gone(provider, mock_server, namespace):
    created = provider.create_workspace(CREATE)
    member_user = load_seed().users[2]["id"]
    provider.add_member(created["id"], member_user, "admin")
    # Someone else deletes it (the SDK's way: no force_delete, the workspace holds no virtual keys).
    response = httpx.delete(f"{mock_server.portkey_url}/admin/workspaces/{created['id']}",
                            headers={"x-portkey-api-key": PORTKEY_ADMIN_KEY, "X-Mock-Namespace": namespace})
    assert response.status_code == 200 and response.json() == {}

    for path in (f"/admin/workspaces/{created['id']}", f"/admin/workspaces/{created['id']}/users/{member_user}"):
        status, body = provider.error("GET", path)
        assert status == 404, (path, status, body)  # IsNotFound: Terraform drops it from state
        assert body == {"success": False, "data": {"message": body["data"]["message"], "errorCode": "AB08"}}
        assert created["id"] in body["data"]["message"]
    status, body = provider.error("DELETE", f"/admin/workspaces/{created['id']}", {"name": "tf-demo", "force_delete": True})
    assert status == 404 and body["data"]["errorCode"] == "AB08"
