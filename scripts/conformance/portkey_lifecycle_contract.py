"""What the Portkey lifecycle contract (issue 14, the README's "Portkey: workspaces and workspace users")
lets a test compute without asking the mock. Not a test module.

- The seed collections as `seed-data/portkey/*.json` hold them, read when the tests run (so a regenerated
  seed needs no test change): workspaces, users, memberships (the mock's own layout), dependents.
- A served WorkspaceMember, composed from the user and the membership, keys in the README's order.
- A created workspace's id (`created_id`): `ws-<name as a slug>-<6 hex>`. The README gives the slug rule
  and says the hex digits come from the namespace's create counter; it does not say how. The derivation
  used here, the first three bytes of SHA-1("gateway-mock-portkey-workspace:<n>") for the n-th create of a
  fresh or reset namespace, skipping ids in use, is the one the Swift source documents
  (PortkeyWorkspaceFields.id); the README should state it, as it does for OpenRouter's derived ids.
- The record a create makes (`new_workspace`). Where the README is silent the mock's choice is taken and
  said here: `description` null and `defaults.metadata` `{}` when not sent.
- Timestamps: RFC 3339 with milliseconds, `YYYY-MM-DDTHH:MM:SS.mmmZ`.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from conftest import SEED_DIR

WORKSPACE_KEYS = ("id", "slug", "name", "description", "created_at", "last_updated_at", "defaults",
                  "usage_limits", "rate_limits", "object", "status")
MEMBER_KEYS = ("object", "id", "first_name", "last_name", "email", "org_role", "role", "status",
               "workspace_id", "created_at", "last_updated_at")
USER_KEYS = ("object", "id", "first_name", "last_name", "role", "email", "created_at", "last_updated_at")
WORKSPACE_ROLES = ("admin", "manager", "member")
TIMESTAMP = re.compile(r"\A\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z\Z")

VIRTUAL_KEYS_MESSAGE = "Unable to delete. Please ensure that all Virtual Keys are deleted"
DEFAULT_WORKSPACE_MESSAGE = "The default workspace cannot be deleted"
FORBIDDEN_MESSAGE = "You do not have enough permissions to execute this request"
UNAUTHORISED_MESSAGE = "Unauthorised Request"


def _read(name: str) -> Any:
    with open(SEED_DIR / "portkey" / name, encoding="utf-8") as handle:
        return json.load(handle)


@dataclass(frozen=True)
class Seed:
    workspaces: list[dict[str, Any]]
    users: list[dict[str, Any]]
    memberships: list[dict[str, Any]]
    virtual_keys: dict[str, int]

    def workspace(self, key: str) -> dict[str, Any]:
        [found] = [w for w in self.workspaces if key in (w["id"], w["slug"])]
        return found

    def user(self, user_id: str) -> dict[str, Any]:
        [found] = [u for u in self.users if u["id"] == user_id]
        return found

    @property
    def default_workspace(self) -> dict[str, Any]:
        [found] = [w for w in self.workspaces if is_default(w)]
        return found

    def members_of(self, workspace_id: str) -> list[dict[str, Any]]:
        """The workspace's WorkspaceMembers in members.json order (the order the mock lists them in: an
        assumption, the README does not fix it)."""
        return [member(self.user(m["user_id"]), m) for m in self.memberships if m["workspace_id"] == workspace_id]

    def outsiders(self, workspace_id: str) -> list[dict[str, Any]]:
        """Organization users who are not members of the workspace, in users.json order."""
        inside = {m["user_id"] for m in self.memberships if m["workspace_id"] == workspace_id}
        return [u for u in self.users if u["id"] not in inside]

    def busiest(self, exclude_default: bool = True) -> dict[str, Any]:
        """The seed workspace with the most members (the first of ties), without virtual keys."""
        candidates = [w for w in self.workspaces if w["id"] not in self.virtual_keys
                      and not (exclude_default and is_default(w))]
        return max(candidates, key=lambda w: len(self.members_of(w["id"])))

    def deletable(self) -> dict[str, Any]:
        """A non-default seed workspace without virtual keys that has members."""
        return self.busiest()

    def with_virtual_keys(self) -> dict[str, Any]:
        [first, *_] = [w for w in self.workspaces if w["id"] in self.virtual_keys]
        return first


def is_default(workspace: dict[str, Any]) -> bool:
    return (workspace.get("defaults") or {}).get("is_default") == 1


def load_seed() -> Seed:
    return Seed(workspaces=_read("workspaces.json"), users=_read("users.json"),
                memberships=_read("members.json"), virtual_keys=_read("dependents.json")["virtual_keys"])


def member(user: dict[str, Any], membership: dict[str, Any]) -> dict[str, Any]:
    """The served WorkspaceMember: the user's names, email and organization role, the membership's role
    and timestamps."""
    return {"object": "workspace-user", "id": user["id"], "first_name": user["first_name"],
            "last_name": user["last_name"], "email": user["email"], "org_role": user["role"],
            "role": membership["role"], "status": "active", "workspace_id": membership["workspace_id"],
            "created_at": membership["created_at"], "last_updated_at": membership["last_updated_at"]}


def slug_of(name: str) -> str:
    """The README's rule: lowercased, ASCII letters and digits kept, every other run one `-`, trimmed, at
    most 40 characters, `workspace` when nothing is left."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    slug = slug[:40].rstrip("-")
    return slug or "workspace"


def created_id(name: str, number: int) -> str:
    """The id (and slug) of the `number`-th create in a fresh or reset namespace (no collision)."""
    digest = hashlib.sha1(f"gateway-mock-portkey-workspace:{number}".encode()).hexdigest()
    return f"ws-{slug_of(name)}-{digest[:6]}"


def new_workspace(workspace_id: str, name: str, stamp: str, description: str | None = None,
                  metadata: dict[str, str] | None = None, usage_limits: list[Any] | None = None,
                  rate_limits: list[Any] | None = None) -> dict[str, Any]:
    return {"id": workspace_id, "slug": workspace_id, "name": name, "description": description,
            "created_at": stamp, "last_updated_at": stamp,
            "defaults": {"metadata": metadata or {}, "is_default": 0, "object": "workspace"},
            "usage_limits": usage_limits or [], "rate_limits": rate_limits or [], "object": "workspace",
            "status": "active"}


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def parse_timestamp(text: str) -> datetime:
    assert TIMESTAMP.match(text), f"not RFC 3339 with milliseconds: {text!r}"
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)


def assert_stamped_between(text: str, before: datetime, after: datetime) -> None:
    """`text` is an RFC 3339 millisecond timestamp between the two clock readings (to the millisecond)."""
    stamp = parse_timestamp(text)
    low = before.replace(microsecond=before.microsecond // 1000 * 1000)
    assert low <= stamp <= after, (text, before.isoformat(), after.isoformat())


def error_envelope(message: str, code: str) -> dict[str, Any]:
    return {"success": False, "data": {"message": message, "errorCode": code}}
