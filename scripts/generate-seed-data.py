#!/usr/bin/env python3
"""Generate the GatewayMock seed data.

Writes ten deterministic JSON files for the mock server's seed:

    seed-data/openrouter/workspaces.json             120 OpenRouter workspaces
    seed-data/openrouter/organization-members.json   25 organization members
    seed-data/openrouter/members.json                explicit workspace members
    seed-data/openrouter/budgets.json                workspace budgets
    seed-data/openrouter/settings.json               mock-only facts (the default workspace)
    seed-data/portkey/workspaces.json                60 Portkey workspaces
    seed-data/portkey/users.json                     20 organization users (1 owner, 3 admins)
    seed-data/portkey/members.json                   workspace memberships
    seed-data/portkey/dependents.json                mock-only facts (workspaces holding virtual keys)
    seed-data/keys.json                              the mock API keys per vendor and role

The OpenRouter lifecycle files follow the seed-file contract of issue 13;
check_openrouter_lifecycle() verifies every rule of it (references, unique
ids and pairs, id derivations, key orders, member roles matching organization
roles, budget limits strictly decreasing as the interval narrows, timestamps)
before anything is written, and seed-data/README.md states the rules.

The Portkey users, members and dependents files follow the seed-file
contract of issue 14; check_portkey_lifecycle() verifies every rule of it
(key orders, user ids derived from emails, unique ids, emails and
(workspace, user) pairs, references to workspaces and users, exactly one
owner and three admins, the documented example user, the default
workspace's members being the owner and the admins with role admin, one
workspace with 12 or more members and none with 5 to 11, every member role,
timestamps in YYYY-MM-DDTHH:MM:SS.mmmZ with last_updated_at >= created_at and
a membership never older than its workspace or its user, virtual keys only
on active non-default workspaces) before anything is written.

Run it from the repository root:

    python3 scripts/generate-seed-data.py

The output directory is found from this script's own location
(<repo>/scripts/../seed-data), so the current directory does not matter.

The output is fully deterministic: no clock, no unseeded randomness. Every
"varied" value is picked from a SHA-256 hash of a fixed string, so re-running
the script yields byte-identical files. Do not edit the generated files by
hand; change this script and re-run it.

Only the Python 3 standard library is used.
"""

import datetime as dt
import hashlib
import json
import re
import uuid
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = REPO_ROOT / "seed-data"

OPENROUTER_COUNT = 120
PORTKEY_COUNT = 60

OPENROUTER_NAMESPACE = uuid.UUID("6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f")


# --------------------------------------------------------------------------
# Deterministic helpers
# --------------------------------------------------------------------------

def h(*parts):
    """A stable non-negative integer derived from the given parts."""
    key = "\x1f".join(str(p) for p in parts)
    return int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big")


def pick(options, *parts):
    """Deterministically pick one element of `options`."""
    return options[h(*parts) % len(options)]


def weighted(pairs, *parts):
    """Deterministically pick from [(value, weight), ...]."""
    total = sum(w for _, w in pairs)
    r = h(*parts) % total
    for value, weight in pairs:
        if r < weight:
            return value
        r -= weight
    raise AssertionError("unreachable")


def chosen_indices(n, k, salt, exclude=()):
    """Exactly k indices out of range(n) (minus `exclude`), spread by hash."""
    candidates = [i for i in range(n) if i not in exclude]
    candidates.sort(key=lambda i: (h(salt, i), i))
    return set(candidates[:k])


def one_per_block(n, block, salt, exclude=()):
    """One index out of every `block` consecutive indices (minus `exclude`),
    chosen by hash, so the picks are spread evenly but not regularly."""
    picked = set()
    for start in range(0, n, block):
        candidates = [i for i in range(start, min(start + block, n)) if i not in exclude]
        if candidates:
            picked.add(candidates[h(salt, start) % len(candidates)])
    return picked


def slugify(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def iso_z(moment):
    """2025-01-06T09:15:00Z"""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_ms_z(moment):
    """2024-07-30T13:27:29.000Z"""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (moment.microsecond // 1000)


def dump(path, obj):
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(obj, indent=2, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8", newline="\n")


# --------------------------------------------------------------------------
# OpenRouter
# --------------------------------------------------------------------------

OR_TEAMS = [
    "Production", "Staging", "Research", "Marketing", "Support", "Data Science",
    "Platform", "Mobile", "Billing", "Search", "Growth", "Security",
]
OR_SUFFIXES = [
    "", "EU", "US", "APAC", "Lab 1", "Lab 2", "Lab 3", "Sandbox", "Internal", "Canary",
]
OR_TEAM_PURPOSE = {
    "Production": "customer-facing production traffic",
    "Staging": "pre-release verification",
    "Research": "model evaluation and experiments",
    "Marketing": "campaign copy generation",
    "Support": "the support assistant and ticket triage",
    "Data Science": "notebooks and batch analysis",
    "Platform": "shared platform services",
    "Mobile": "the iOS and Android apps",
    "Billing": "invoice summaries and billing tooling",
    "Search": "query rewriting and search ranking",
    "Growth": "onboarding and activation experiments",
    "Security": "security reviews and red-teaming",
}
OR_SUFFIX_SCOPE = {
    "": "",
    "EU": " in the EU region",
    "US": " in the US region",
    "APAC": " in the APAC region",
    "Lab 1": ", lab 1",
    "Lab 2": ", lab 2",
    "Lab 3": ", lab 3",
    "Sandbox": ", sandboxed for trying things out",
    "Internal": ", internal use only",
    "Canary": ", canary rollout",
}
OR_USERS = [
    "user_abc123", "user_7f3k2m", "user_q9x4lp", "user_m2n8rt", "user_z5c1vd", "user_h6w0ye",
]
OR_TEXT_MODELS = [
    ("openai/gpt-4o", 4),
    ("anthropic/claude-sonnet-4", 4),
    ("google/gemini-2.5-pro", 3),
    ("meta-llama/llama-3.3-70b-instruct", 2),
    (None, 2),
]
OR_IMAGE_MODELS = [("openai/dall-e-3", 3), ("google/imagen-4", 2), (None, 3)]
OR_PROVIDER_SORTS = [
    ("price", 3), ("throughput", 2), ("latency", 2), ("exacto", 1), (None, 2),
]
# The integer 1 is written as `1` in JSON, as in the vendor's example.
OR_SAMPLING_RATES = [(1, 12), (0.5, 3), (0.25, 2), (0.1, 2), (0.01, 1)]


# Budgets go on this many workspaces (about a quarter).
OR_BUDGETED_COUNT = 30


def openrouter_budgeted_indices(n):
    """The indices of the workspaces that have budgets. Workspaces and budgets
    both need it: the BYOK flag is mostly set on budgeted workspaces."""
    return chosen_indices(n, OR_BUDGETED_COUNT, "or-budgeted")


def openrouter_names():
    names = [f"{team} {suffix}".strip() for suffix in OR_SUFFIXES for team in OR_TEAMS]
    assert len(names) == OPENROUTER_COUNT
    # "Production" (the vendor's example) comes first; the rest in hash order
    # so that names sharing a team or suffix are spread across the list.
    rest = sorted((n for n in names if n != "Production"), key=lambda n: (h("or-order", n), n))
    return ["Production"] + rest


def openrouter_workspaces():
    names = openrouter_names()
    n = len(names)
    null_description = chosen_indices(n, round(n / 7), "or-null-description", exclude={0})
    null_updated = chosen_indices(n, n // 5, "or-null-updated", exclude={0})
    null_created_by = chosen_indices(n, 6, "or-null-created-by", exclude={0})
    # A handful of workspaces count BYOK usage against their budgets: mostly
    # workspaces that have budgets (so GET .../budgets shows `true`), plus two
    # without any. Never the documented example, which says false.
    budgeted = openrouter_budgeted_indices(n)
    not_budgeted = set(range(n)) - budgeted
    byok = (chosen_indices(n, 4, "or-byok", exclude=not_budgeted | {0})
            | chosen_indices(n, 2, "or-byok-unbudgeted", exclude=budgeted | {0}))

    moment = dt.datetime(2025, 1, 6, 9, 0, 0, tzinfo=dt.timezone.utc)
    records = []
    for i, name in enumerate(names):
        if i > 0:
            # 3 hours .. ~2 days later, on a 5-minute grid.
            moment += dt.timedelta(minutes=180 + 5 * (h("or-gap", i) % 541))
        created = moment

        team = next(t for t in sorted(OR_TEAMS, key=len, reverse=True) if name.startswith(t))
        suffix = name[len(team):].strip()
        slug = slugify(name)
        ws_id = str(uuid.uuid5(OPENROUTER_NAMESPACE, "openrouter-workspace:" + slug))

        if i == 0:
            description = "Production environment workspace"
        elif i in null_description:
            description = None
        else:
            description = f"Workspace for {OR_TEAM_PURPOSE[team]}{OR_SUFFIX_SCOPE[suffix]}."

        io_logging = h("or-io", slug) % 5 < 2
        broadcast = h("or-broadcast", slug) % 3 == 0
        discount = h("or-discount", slug) % 4 != 0

        if io_logging and h("or-keyids", slug) % 3 == 0:
            count = 1 + h("or-keyids-count", slug) % 3
            key_ids = sorted({1 + h("or-keyid", slug, j) % 40 for j in range(count)})
        else:
            key_ids = None

        if i in null_updated:
            updated = None
        else:
            updated = iso_z(created + dt.timedelta(minutes=1 + h("or-updated", slug) % (60 * 24 * 45)))

        record = {
            "id": ws_id,
            "name": name,
            "slug": slug,
            "description": description,
            "default_text_model": weighted(OR_TEXT_MODELS, "or-text", slug),
            "default_image_model": weighted(OR_IMAGE_MODELS, "or-image", slug),
            "default_provider_sort": weighted(OR_PROVIDER_SORTS, "or-sort", slug),
            "is_observability_io_logging_enabled": io_logging,
            "is_observability_broadcast_enabled": broadcast,
            "is_data_discount_logging_enabled": discount,
            "io_logging_sampling_rate": weighted(OR_SAMPLING_RATES, "or-rate", slug),
            "io_logging_api_key_ids": key_ids,
            "created_at": iso_z(created),
            "updated_at": updated,
            "created_by": None if i in null_created_by else pick(OR_USERS, "or-user", slug),
            "default_guardrail_id": str(uuid.uuid5(uuid.UUID(ws_id), "default-guardrail")),
            "include_byok_in_budgets": i in byok,
        }
        if i == 0:
            # The vendor's documented example (timestamps stay generated).
            record.update({
                "default_text_model": "openai/gpt-4o",
                "default_image_model": "openai/dall-e-3",
                "default_provider_sort": "price",
                "is_observability_io_logging_enabled": False,
                "is_observability_broadcast_enabled": False,
                "is_data_discount_logging_enabled": True,
                "io_logging_sampling_rate": 1,
                "io_logging_api_key_ids": None,
                "created_by": "user_abc123",
            })
        records.append(record)
    return records


# --------------------------------------------------------------------------
# OpenRouter: organization members, workspace members, budgets, settings
# --------------------------------------------------------------------------

# The organization roster: (first_name, last_name, email local part, id).
# An id of None is replaced by a generated Clerk-style id. The first entry is
# OpenRouter's documented example member; the six short ids are the ones used
# as `created_by` in workspaces.json (they must be organization members).
# Some names are null (first only, last only, both: service accounts).
OR_ROSTER = [
    ("Jane", "Doe", "jane.doe", "user_2dHFtVWx2n56w6HkM0000000000"),
    ("Alex", "Morgan", "alex.morgan", "user_abc123"),
    ("Priya", "Raman", "priya.raman", "user_7f3k2m"),
    ("Tomás", "García", "tomas.garcia", "user_q9x4lp"),
    ("Mei", "Chen", "mei.chen", "user_m2n8rt"),
    ("Jonas", "Becker", "jonas.becker", "user_z5c1vd"),
    ("Aisha", "Bello", "aisha.bello", "user_h6w0ye"),
    ("Zoë", "Müller", "zoe.mueller", None),
    ("Lukas", "Novák", "lukas.novak", None),
    ("Sofia", "Rossi", "sofia.rossi", None),
    ("Daniel", "Kim", "daniel.kim", None),
    ("Fatima", "Haddad", "fatima.haddad", None),
    ("Noah", "Williams", "noah.williams", None),
    ("Hana", "Sato", "hana.sato", None),
    ("Oliver", "Brown", "oliver.brown", None),
    ("Amara", "Okafor", "amara.okafor", None),
    ("Mateo", "Silva", "mateo.silva", None),
    ("Ingrid", "Larsen", "ingrid.larsen", None),
    ("Ravi", "Patel", "ravi.patel", None),
    ("Chloé", "Dubois", "chloe.dubois", None),
    ("Ethan", "Walker", "ethan.walker", None),
    ("Kavya", None, "kavya", None),
    (None, "Schmidt", "r.schmidt", None),
    (None, None, "billing-ops", None),
    (None, None, "ml-platform-bot", None),
]
OR_EMAIL_DOMAIN = "example.com"
# Besides user_abc123 (the creator of the documented example workspace).
OR_EXTRA_ADMINS = 3

OR_ROLE_MAP = {"org:admin": "admin", "org:member": "member"}

# Explicit members of an ordinary (not default, not "big") workspace.
OR_MEMBER_COUNTS = [(0, 3), (1, 3), (2, 3), (3, 2), (4, 2), (5, 1)]
# Workspaces with 12..20 members, so that paging the member list can be tested.
OR_BIG_WORKSPACES = 2

OR_INTERVALS = ["daily", "weekly", "monthly", "lifetime"]  # narrowest first
# The intervals a budgeted workspace has, each set narrowest first (ascending
# limits are handed out in this order). One workspace gets all four anyway.
OR_INTERVAL_SETS = [
    (("monthly",), 5),
    (("daily",), 1),
    (("weekly",), 1),
    (("lifetime",), 2),
    (("daily", "monthly"), 2),
    (("weekly", "monthly"), 1),
    (("monthly", "lifetime"), 2),
    (("daily", "weekly", "monthly"), 1),
    (("daily", "weekly", "monthly", "lifetime"), 1),
]
# Budget amounts in USD. A workspace's limits are distinct values of this
# ladder in ascending order (daily smallest), so they strictly decrease as the
# interval narrows. 250 and 250.5 are both there: adjacent limits can be close.
OR_LIMITS = [5, 10, 12.5, 25, 50, 75, 100, 150, 250, 250.5, 500, 750, 1000, 2500, 5000, 10000]

BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def clerk_user_id(email):
    """user_2 + 26 base62 characters from a hash of the email: 27
    alphanumerics after "user_", like Clerk's ids (which start with a 2)."""
    value = int.from_bytes(hashlib.sha256(("openrouter-org-member:" + email).encode("utf-8")).digest(), "big")
    chars = []
    for _ in range(26):
        value, digit = divmod(value, 62)
        chars.append(BASE62[digit])
    return "user_2" + "".join(chars)


def parse_z(text):
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)


def openrouter_org_members():
    entries = []
    for first, last, local, fixed_id in OR_ROSTER:
        email = f"{local}@{OR_EMAIL_DOMAIN}"
        entries.append((first, last, email, fixed_id or clerk_user_id(email)))
    # The documented example first (as in the documented list response), the
    # rest in hash order.
    rest = sorted(entries[1:], key=lambda e: (h("or-org-order", e[3]), e[3]))
    entries = [entries[0]] + rest

    abc = next(i for i, e in enumerate(entries) if e[3] == "user_abc123")
    admins = chosen_indices(len(entries), OR_EXTRA_ADMINS, "or-org-admin", exclude={0, abc}) | {abc}
    return [
        {
            "id": user_id,
            "email": email,
            "first_name": first,
            "last_name": last,
            "role": "org:admin" if i in admins else "org:member",
        }
        for i, (first, last, email, user_id) in enumerate(entries)
    ]


def member_id(workspace_id, user_id):
    return str(uuid.uuid5(OPENROUTER_NAMESPACE, "openrouter-member:" + workspace_id + ":" + user_id))


def budget_id(workspace_id, interval):
    return str(uuid.uuid5(OPENROUTER_NAMESPACE, "openrouter-budget:" + workspace_id + ":" + interval))


def openrouter_members(workspaces, org_members):
    """Explicit workspace members. The default workspace (index 0) has none:
    it implicitly holds every organization member."""
    n = len(workspaces)
    big = chosen_indices(n, OR_BIG_WORKSPACES, "or-members-big", exclude={0})
    records = []
    for i, ws in enumerate(workspaces):
        if i == 0:
            continue
        slug = ws["slug"]
        if i in big:
            count = 12 + h("or-members-big-count", slug) % 9
        else:
            count = weighted(OR_MEMBER_COUNTS, "or-members-count", slug)
        users = sorted(org_members, key=lambda m: (h("or-member-pick", slug, m["id"]), m["id"]))[:count]
        created = parse_z(ws["created_at"])
        rows = []
        for m in users:
            # 0 .. 60 days after the workspace was created, on a 1-minute grid.
            at = created + dt.timedelta(minutes=h("or-member-at", slug, m["id"]) % (60 * 24 * 60))
            rows.append({
                "id": member_id(ws["id"], m["id"]),
                "workspace_id": ws["id"],
                "user_id": m["id"],
                "role": OR_ROLE_MAP[m["role"]],
                "created_at": iso_z(at),
            })
        rows.sort(key=lambda r: (r["created_at"], r["user_id"]))
        records.extend(rows)
    return records


def openrouter_budgets(workspaces):
    """Budgets on about a quarter of the workspaces, in workspace order and,
    per workspace, daily, weekly, monthly, lifetime (the order served)."""
    budgeted = openrouter_budgeted_indices(len(workspaces))
    full = min(budgeted)  # one workspace gets all four intervals
    records = []
    for i, ws in enumerate(workspaces):
        if i not in budgeted:
            continue
        slug = ws["slug"]
        if i == full:
            intervals = tuple(OR_INTERVALS)
        else:
            intervals = weighted(OR_INTERVAL_SETS, "or-budget-intervals", slug)
        ladder = sorted(OR_LIMITS, key=lambda v: (h("or-budget-limit", slug, v), v))
        limits = sorted(ladder[:len(intervals)])
        created_ws = parse_z(ws["created_at"])
        for interval in OR_INTERVALS:
            if interval not in intervals:
                continue
            limit = limits[intervals.index(interval)]
            # 0 .. 30 days after the workspace, on a 5-minute grid.
            created = created_ws + dt.timedelta(minutes=5 * (h("or-budget-at", slug, interval) % (12 * 24 * 30)))
            if h("or-budget-touched", slug, interval) % 3 == 0:
                updated = created  # never changed
            else:
                updated = created + dt.timedelta(minutes=1 + h("or-budget-updated", slug, interval) % (60 * 24 * 40))
            records.append({
                "id": budget_id(ws["id"], interval),
                "workspace_id": ws["id"],
                "limit_usd": limit,
                "reset_interval": None if interval == "lifetime" else interval,
                "created_at": iso_z(created),
                "updated_at": iso_z(updated),
            })
    return records


def openrouter_settings(workspaces):
    """Facts only the mock knows: the default workspace is the first one."""
    return {"default_workspace_id": workspaces[0]["id"]}


# --------------------------------------------------------------------------
# Portkey
# --------------------------------------------------------------------------

# Hand-picked so that substring filters are interesting: several names share
# "Production", "Staging", "Sandbox"; a few contain lowercase "sandbox" or
# "prod" so that case-sensitive matching gives different results than
# case-insensitive matching would.
PK_NAMES = [
    "Production", "Production EU", "Production US", "Production APAC",
    "Staging", "Staging EU", "Staging US",
    "Development", "Development EU",
    "Research Sandbox", "Research Lab", "Research Archive",
    "Test prod workspace", "Test staging workspace", "Test workspace",
    "ML Platform", "ML Platform EU", "ML Experiments", "ML Evaluation",
    "Shared Sandbox", "Personal sandbox", "Partner sandbox", "QA Sandbox",
    "Data Science", "Data Science EU", "Data Engineering",
    "Marketing", "Marketing Copy", "Marketing EU",
    "Support Bot", "Support Bot EU", "Support Triage",
    "Billing", "Billing Reports",
    "Search", "Search Ranking", "Search prod mirror",
    "Growth", "Growth Experiments",
    "Security", "Security Red Team",
    "Mobile iOS", "Mobile Android",
    "Platform Core", "Platform Tools", "Platform prod canary",
    "Legal Review", "Finance Analytics", "Sales Assist", "Customer Success",
    "Internal Tools", "Internal Tools sandbox", "Docs Assistant",
    "Onboarding", "Localization", "Content Moderation",
    "Voice Agents", "Hackathon 2025", "Legacy Migration", "Demo Workspace",
]

PK_METADATA = [
    {"team": "platform", "env": "prod"},
    {"team": "ml", "env": "prod"},
    {"team": "ml", "env": "staging"},
    {"team": "research"},
    {"env": "dev"},
    {"cost_center": "cc-1042"},
    {"team": "support", "tier": "gold"},
    {"region": "eu"},
]

PK_TOPIC = {
    "Production": "live customer traffic",
    "Staging": "pre-release testing",
    "Development": "day-to-day development",
    "Research": "research projects",
    "Test": "integration tests",
    "ML": "machine-learning workloads",
    "Shared": "work shared across teams",
    "Personal": "individual experiments",
    "Partner": "partner integrations",
    "QA": "quality assurance",
    "Data": "data pipelines and analysis",
    "Marketing": "marketing content",
    "Support": "customer support automation",
    "Billing": "billing and invoicing",
    "Search": "search features",
    "Growth": "growth experiments",
    "Security": "security work",
    "Mobile": "mobile apps",
    "Platform": "platform services",
}


def portkey_id(name):
    slug = slugify(name)
    return f"ws-{slug}-{hashlib.sha256(slug.encode('utf-8')).hexdigest()[:6]}"


def portkey_description(name):
    topic = PK_TOPIC.get(name.split()[0])
    if topic is None:
        return f"Workspace for {name.lower()}."
    return f"Workspace for {topic} ({name})."


def portkey_usage_limits(key):
    if h("pk-usage", key) % 4 != 0:
        return []
    limit_type = pick(["cost", "cost", "tokens"], "pk-usage-type", key)
    if limit_type == "cost":
        credit_limit = pick([10, 50, 100, 250, 500, 1000], "pk-usage-credit", key)
    else:
        credit_limit = pick([100000, 500000, 1000000, 5000000], "pk-usage-credit", key)
    alert_threshold = max(1, credit_limit * pick([50, 75, 80, 90], "pk-usage-alert", key) // 100)
    reset = pick(["monthly", "monthly", "weekly", None], "pk-usage-reset", key)
    if reset == "monthly":
        reset_days = None
        next_reset = dt.datetime(2026, 1 + h("pk-usage-month", key) % 12, 1)
    elif reset == "weekly":
        reset_days = None
        # A Monday in 2026 (2026-01-05 is a Monday).
        next_reset = dt.datetime(2026, 1, 5) + dt.timedelta(weeks=h("pk-usage-week", key) % 52)
    else:
        reset_days = pick([1, 7, 14, 30, 90, 180, 365], "pk-usage-days", key)
        next_reset = dt.datetime(2026, 1, 1) + dt.timedelta(days=h("pk-usage-day", key) % 365)
    return [{
        "credit_limit": credit_limit,
        "type": limit_type,
        "alert_threshold": alert_threshold,
        "periodic_reset": reset,
        "periodic_reset_days": reset_days,
        "next_usage_reset_at": iso_z(next_reset),
    }]


def portkey_rate_limits(key):
    if h("pk-rate", key) % 10 >= 3:
        return []
    limit_type = pick(["requests", "requests", "tokens"], "pk-rate-type", key)
    unit = pick(["rpm", "rph", "rpd"], "pk-rate-unit", key)
    base = {"rpm": 60, "rph": 1000, "rpd": 10000}[unit]
    value = base * pick([1, 2, 5, 10], "pk-rate-mult", key)
    if limit_type == "tokens":
        value *= 100
    return [{"type": limit_type, "unit": unit, "value": value}]


def portkey_workspaces():
    names = list(PK_NAMES)
    assert len(names) == PORTKEY_COUNT
    rest = sorted((n for n in names if n != "Production"), key=lambda n: (h("pk-order", n), n))
    names = ["Production"] + rest
    n = len(names)

    null_description = chosen_indices(n, n // 6, "pk-null-description", exclude={0})
    null_defaults = chosen_indices(n, 2, "pk-null-defaults", exclude={0})
    archived = one_per_block(n, 4, "pk-archived", exclude={0})

    moment = dt.datetime(2024, 7, 30, 13, 27, 29, tzinfo=dt.timezone.utc)
    records = []
    for i, name in enumerate(names):
        if i > 0:
            # 2 hours .. ~5 days later, with a millisecond component.
            moment += dt.timedelta(
                seconds=7200 + h("pk-gap", i) % (5 * 86400),
                milliseconds=h("pk-gap-ms", i) % 1000,
            )
        created = moment
        ws_id = portkey_id(name)

        if h("pk-touched", ws_id) % 4 == 0:
            last_updated = created  # never modified since creation
        else:
            last_updated = created + dt.timedelta(
                seconds=1 + h("pk-updated", ws_id) % (60 * 86400),
                milliseconds=h("pk-updated-ms", ws_id) % 1000,
            )

        if i in null_defaults:
            defaults = None
        else:
            if i == 0:
                metadata = {"team": "platform", "env": "prod"}
            elif h("pk-meta-empty", ws_id) % 3 == 0:
                metadata = {}
            else:
                metadata = dict(pick(PK_METADATA, "pk-meta", ws_id))
            defaults = {
                "metadata": metadata,
                "is_default": 1 if i == 0 else 0,
                "object": "workspace",
            }

        records.append({
            "id": ws_id,
            "slug": ws_id,
            "name": name,
            "description": None if i in null_description else portkey_description(name),
            "created_at": iso_ms_z(created),
            "last_updated_at": iso_ms_z(last_updated),
            "defaults": defaults,
            "usage_limits": portkey_usage_limits(ws_id),
            "rate_limits": portkey_rate_limits(ws_id),
            "object": "workspace",
            "status": "archived" if i in archived else "active",
        })
    return records


# --------------------------------------------------------------------------
# Portkey: organization users, workspace members, dependents
# --------------------------------------------------------------------------

# The ids of Portkey users are uuid5 in the same namespace as the OpenRouter
# ids: uuid5(ns, "portkey-user:" + email).
PORTKEY_NAMESPACE = OPENROUTER_NAMESPACE

# The organization's users: (first_name, last_name, email local part). The
# first entry is the owner (who created the organization, so the earliest
# user); the second is Portkey's documented example user, written exactly as
# the documentation has it (lowercase names, role member). "Sam Lee" and
# "Samira Khan" share a prefix so that an email filter that matched
# substrings would be noticed.
PK_ROSTER = [
    ("Minerva", "Castellanos", "minerva.castellanos"),
    ("horace", "slughorn", "horace.slughorn"),
    ("Arjun", "Mehta", "arjun.mehta"),
    ("Björn", "Lindqvist", "bjorn.lindqvist"),
    ("Léa", "Fontaine", "lea.fontaine"),
    ("Sam", "Lee", "sam.lee"),
    ("Samira", "Khan", "samira.khan"),
    ("Kofi", "Mensah", "kofi.mensah"),
    ("Yuki", "Tanaka", "yuki.tanaka"),
    ("Elena", "Petrova", "elena.petrova"),
    ("Marcus", "Johnson", "marcus.johnson"),
    ("Isabel", "Ortega", "isabel.ortega"),
    ("Wei", "Zhang", "wei.zhang"),
    ("Nadia", "Rahman", "nadia.rahman"),
    ("Tobias", "Weber", "tobias.weber"),
    ("Grace", "O'Neill", "grace.oneill"),
    ("Luca", "Bianchi", "luca.bianchi"),
    ("Ana", "Souza", "ana.souza"),
    ("Pieter", "de Vries", "pieter.devries"),
    ("Olga", "Nowak", "olga.nowak"),
]
PK_EMAIL_DOMAIN = "example.com"
PK_OWNER_INDEX = 0
PK_EXAMPLE_INDEX = 1
PK_ADMIN_COUNT = 3
# The documented example user's timestamps ("2024-01-25 11:35:07" in the
# documentation), in the format of the other timestamps.
PK_EXAMPLE_AT = dt.datetime(2024, 1, 25, 11, 35, 7, tzinfo=dt.timezone.utc)
PK_OWNER_AT = dt.datetime(2024, 1, 8, 10, 12, 45, tzinfo=dt.timezone.utc)

PK_ORG_ROLES = ["owner", "admin", "member"]
PK_MEMBER_ROLES = ["admin", "manager", "member"]
# Members of an ordinary (not default, not "big") workspace.
PK_MEMBER_COUNTS = [(0, 3), (1, 3), (2, 3), (3, 2), (4, 2)]
PK_MEMBER_ROLE_WEIGHTS = [("admin", 1), ("manager", 2), ("member", 4)]
# Active non-default workspaces that hold virtual keys (dependents).
PK_VIRTUAL_KEY_WORKSPACES = 5


def portkey_user_id(email):
    return str(uuid.uuid5(PORTKEY_NAMESPACE, "portkey-user:" + email))


def parse_ms_z(text):
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.timezone.utc)


def portkey_users():
    """The organization's users, in created_at order (the owner first)."""
    n = len(PK_ROSTER)
    admins = chosen_indices(n, PK_ADMIN_COUNT, "pk-user-admin", exclude={PK_OWNER_INDEX, PK_EXAMPLE_INDEX})
    records = []
    for i, (first, last, local) in enumerate(PK_ROSTER):
        email = f"{local}@{PK_EMAIL_DOMAIN}"
        if i == PK_EXAMPLE_INDEX:
            created = updated = PK_EXAMPLE_AT  # as documented: never modified
        else:
            if i == PK_OWNER_INDEX:
                created = PK_OWNER_AT
            else:
                # 2024-01-09 .. 2024-11-24: some users join after some workspaces exist.
                created = dt.datetime(2024, 1, 9, tzinfo=dt.timezone.utc) + dt.timedelta(
                    seconds=h("pk-user-created", email) % (320 * 86400),
                    milliseconds=h("pk-user-created-ms", email) % 1000,
                )
            if h("pk-user-touched", email) % 3 == 0:
                updated = created  # never modified since creation
            else:
                updated = created + dt.timedelta(
                    seconds=1 + h("pk-user-updated", email) % (90 * 86400),
                    milliseconds=h("pk-user-updated-ms", email) % 1000,
                )
        if i == PK_OWNER_INDEX:
            role = "owner"
        elif i in admins:
            role = "admin"
        else:
            role = "member"
        records.append({
            "object": "user",
            "id": portkey_user_id(email),
            "first_name": first,
            "last_name": last,
            "role": role,
            "email": email,
            "created_at": iso_ms_z(created),
            "last_updated_at": iso_ms_z(updated),
        })
    records.sort(key=lambda u: (u["created_at"], u["id"]))
    return records


def portkey_big_member_index(workspaces):
    """The one workspace with 12 or more members (for paging): an active,
    non-default workspace chosen by hash."""
    inactive = {i for i, w in enumerate(workspaces) if w["status"] != "active"}
    (index,) = chosen_indices(len(workspaces), 1, "pk-members-big", exclude={0} | inactive)
    return index


def portkey_members(workspaces, users):
    """Workspace memberships. The default workspace (index 0) holds the owner
    (since the workspace was created) and the admins, all with role admin;
    one active workspace has 12..16 members; every other workspace, archived
    ones included, 0..4. In workspace order, then created_at, then user_id."""
    big = portkey_big_member_index(workspaces)
    records = []
    for i, ws in enumerate(workspaces):
        ws_id = ws["id"]
        if i == 0:
            picked = [u for u in users if u["role"] in ("owner", "admin")]
        else:
            if i == big:
                count = 12 + h("pk-members-big-count", ws_id) % 5
            else:
                count = weighted(PK_MEMBER_COUNTS, "pk-members-count", ws_id)
            picked = sorted(users, key=lambda u: (h("pk-member-pick", ws_id, u["id"]), u["id"]))[:count]
        ws_created = parse_ms_z(ws["created_at"])
        rows = []
        for u in picked:
            if i == 0 and u["role"] == "owner":
                # The owner created the organization and its default workspace.
                created = ws_created
            else:
                # 0 .. 60 days after the later of the workspace and the user.
                start = max(ws_created, parse_ms_z(u["created_at"]))
                created = start + dt.timedelta(
                    seconds=h("pk-member-at", ws_id, u["id"]) % (60 * 86400),
                    milliseconds=h("pk-member-at-ms", ws_id, u["id"]) % 1000,
                )
            if h("pk-member-touched", ws_id, u["id"]) % 3 == 0:
                updated = created  # role never changed
            else:
                updated = created + dt.timedelta(
                    seconds=1 + h("pk-member-updated", ws_id, u["id"]) % (30 * 86400),
                    milliseconds=h("pk-member-updated-ms", ws_id, u["id"]) % 1000,
                )
            if i == 0:
                role = "admin"
            else:
                role = weighted(PK_MEMBER_ROLE_WEIGHTS, "pk-member-role", ws_id, u["id"])
            rows.append({
                "workspace_id": ws_id,
                "user_id": u["id"],
                "role": role,
                "created_at": iso_ms_z(created),
                "last_updated_at": iso_ms_z(updated),
            })
        rows.sort(key=lambda r: (r["created_at"], r["user_id"]))
        records.extend(rows)
    return records


def portkey_dependents(workspaces):
    """Facts only the mock knows, never served: a few active non-default
    workspaces hold virtual keys, so deleting them needs force_delete."""
    inactive = {i for i, w in enumerate(workspaces) if w["status"] != "active"}
    holders = chosen_indices(len(workspaces), PK_VIRTUAL_KEY_WORKSPACES, "pk-virtual-keys",
                             exclude={0} | inactive)
    return {
        "virtual_keys": {
            ws["id"]: 1 + h("pk-virtual-key-count", ws["id"]) % 8
            for i, ws in enumerate(workspaces) if i in holders
        },
    }


# --------------------------------------------------------------------------
# Keys
# --------------------------------------------------------------------------

def keys():
    return {
        "openrouter": {
            "management": ["sk-or-v1-mock-management"],
            "inference": ["sk-or-v1-mock-inference"],
        },
        "portkey": {
            "admin": ["pk-mock-admin"],
            "workspace": ["pk-mock-workspace"],
        },
    }


# --------------------------------------------------------------------------
# Sanity checks and main
# --------------------------------------------------------------------------

OR_WORKSPACE_KEYS = [
    "id", "name", "slug", "description", "default_text_model", "default_image_model",
    "default_provider_sort", "is_observability_io_logging_enabled",
    "is_observability_broadcast_enabled", "is_data_discount_logging_enabled",
    "io_logging_sampling_rate", "io_logging_api_key_ids", "created_at", "updated_at",
    "created_by", "default_guardrail_id", "include_byok_in_budgets",
]
OR_ORG_MEMBER_KEYS = ["id", "email", "first_name", "last_name", "role"]
OR_MEMBER_KEYS = ["id", "workspace_id", "user_id", "role", "created_at"]
OR_BUDGET_KEYS = ["id", "workspace_id", "limit_usd", "reset_interval", "created_at", "updated_at"]
OR_SETTINGS_KEYS = ["default_workspace_id"]

TIMESTAMP_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
CLERK_ID = re.compile(r"^user_[A-Za-z0-9]{27}$")


def is_timestamp_z(value):
    if not isinstance(value, str) or not TIMESTAMP_Z.match(value):
        return False
    try:
        parse_z(value)
    except ValueError:  # an impossible date, e.g. February 30
        return False
    return True


def check_openrouter_lifecycle(workspaces, org_members, members, budgets, settings):
    """Every rule of the seed-file contract for the OpenRouter lifecycle
    files, plus the properties this seed promises (see seed-data/README.md)."""
    by_id = {w["id"]: w for w in workspaces}

    # workspaces.json: include_byok_in_budgets is a bool and the last key.
    for w in workspaces:
        assert list(w) == OR_WORKSPACE_KEYS, f"workspace {w['id']}: keys {list(w)}"
        assert isinstance(w["include_byok_in_budgets"], bool), f"workspace {w['id']}: include_byok_in_budgets"
    assert workspaces[0]["name"] == "Production" and workspaces[0]["created_by"] == "user_abc123"
    assert workspaces[0]["include_byok_in_budgets"] is False
    byok = sum(1 for w in workspaces if w["include_byok_in_budgets"])
    assert 3 <= byok <= 10, f"{byok} workspaces include BYOK (want a handful)"

    # organization-members.json
    created_by = {w["created_by"] for w in workspaces if w["created_by"] is not None}
    org_roles = {}
    emails = set()
    for m in org_members:
        assert list(m) == OR_ORG_MEMBER_KEYS, f"org member {m.get('id')}: keys {list(m)}"
        assert isinstance(m["id"], str)
        assert CLERK_ID.match(m["id"]) or m["id"] in created_by, f"org member id {m['id']}"
        assert m["id"] not in org_roles, f"org member id {m['id']} not unique"
        assert isinstance(m["email"], str) and re.match(r"^[^@\s]+@[^@\s]+$", m["email"]), m["email"]
        assert m["email"] not in emails, f"org member email {m['email']} not unique"
        for field in ("first_name", "last_name"):
            assert m[field] is None or (isinstance(m[field], str) and m[field]), f"{m['id']} {field}"
        assert m["role"] in OR_ROLE_MAP, f"org member {m['id']}: role {m['role']}"
        org_roles[m["id"]] = m["role"]
        emails.add(m["email"])
    missing = created_by - set(org_roles)
    assert not missing, f"created_by not organization members: {sorted(missing)}"
    admins = sum(1 for r in org_roles.values() if r == "org:admin")
    assert 3 <= admins <= 4, f"{admins} organization admins"
    assert any(m["first_name"] is None for m in org_members)
    assert any(m["last_name"] is None for m in org_members)

    # settings.json
    assert isinstance(settings, dict) and list(settings) == OR_SETTINGS_KEYS, f"settings keys {list(settings)}"
    default_id = settings["default_workspace_id"]
    assert default_id is None or default_id in by_id, f"default workspace {default_id} unknown"
    assert default_id == workspaces[0]["id"], "the default workspace is the first record"

    # members.json
    pairs = set()
    ids = set()
    per_workspace = {}
    for r in members:
        assert list(r) == OR_MEMBER_KEYS, f"member {r.get('id')}: keys {list(r)}"
        ws = by_id.get(r["workspace_id"])
        assert ws is not None, f"member {r['id']}: unknown workspace {r['workspace_id']}"
        assert r["workspace_id"] != default_id, f"member {r['id']} of the default workspace"
        assert r["user_id"] in org_roles, f"member {r['id']}: {r['user_id']} not in the organization"
        assert r["role"] == OR_ROLE_MAP[org_roles[r["user_id"]]], f"member {r['id']}: role {r['role']}"
        assert r["id"] == member_id(r["workspace_id"], r["user_id"]), f"member {r['id']}: id"
        assert r["id"] not in ids, f"member id {r['id']} not unique"
        assert (r["workspace_id"], r["user_id"]) not in pairs, f"member {r['id']} listed twice"
        assert is_timestamp_z(r["created_at"]), f"member {r['id']}: created_at {r['created_at']}"
        assert r["created_at"] >= ws["created_at"], f"member {r['id']} older than its workspace"
        ids.add(r["id"])
        pairs.add((r["workspace_id"], r["user_id"]))
        per_workspace[r["workspace_id"]] = per_workspace.get(r["workspace_id"], 0) + 1
    assert max(per_workspace.values()) >= 12, "no workspace with 12 or more members"

    # budgets.json
    limits = {}
    ids = set()
    order = {interval: k for k, interval in enumerate(OR_INTERVALS)}
    for b in budgets:
        assert list(b) == OR_BUDGET_KEYS, f"budget {b.get('id')}: keys {list(b)}"
        ws = by_id.get(b["workspace_id"])
        assert ws is not None, f"budget {b['id']}: unknown workspace {b['workspace_id']}"
        interval = "lifetime" if b["reset_interval"] is None else b["reset_interval"]
        assert interval in OR_INTERVALS and b["reset_interval"] != "lifetime", f"budget {b['id']}: interval"
        assert b["id"] == budget_id(b["workspace_id"], interval), f"budget {b['id']}: id"
        assert b["id"] not in ids, f"budget id {b['id']} not unique"
        assert (b["workspace_id"], interval) not in limits, f"two {interval} budgets on {b['workspace_id']}"
        limit = b["limit_usd"]
        assert isinstance(limit, (int, float)) and not isinstance(limit, bool) and limit > 0, \
            f"budget {b['id']}: limit_usd {limit!r}"
        for field in ("created_at", "updated_at"):
            assert is_timestamp_z(b[field]), f"budget {b['id']}: {field} {b[field]}"
        assert b["updated_at"] >= b["created_at"], f"budget {b['id']} updated before created"
        assert b["created_at"] >= ws["created_at"], f"budget {b['id']} older than its workspace"
        ids.add(b["id"])
        limits[(b["workspace_id"], interval)] = limit
    # File order: workspace order, then daily, weekly, monthly, lifetime.
    position = {w["id"]: k for k, w in enumerate(workspaces)}
    keys = [(position[b["workspace_id"]], order["lifetime" if b["reset_interval"] is None else b["reset_interval"]])
            for b in budgets]
    assert keys == sorted(keys), "budgets not in workspace and interval order"
    # lifetime > monthly > weekly > daily, among the intervals a workspace has.
    for w in workspaces:
        present = [(iv, limits[(w["id"], iv)]) for iv in OR_INTERVALS if (w["id"], iv) in limits]
        for (narrow, low), (wide, high) in zip(present, present[1:]):
            assert high > low, f"{w['slug']}: {wide} {high} is not above {narrow} {low}"
    assert any(iv == "lifetime" for _, iv in limits), "no lifetime budget"
    budgeted = {ws_id for ws_id, _ in limits}
    assert any(sum(1 for ws_id, _ in limits if ws_id == w) >= 2 for w in budgeted)
    assert len(workspaces) // 5 <= len(budgeted) <= len(workspaces) // 3, f"{len(budgeted)} budgeted workspaces"


PK_USER_KEYS = ["object", "id", "first_name", "last_name", "role", "email", "created_at", "last_updated_at"]
PK_MEMBER_KEYS = ["workspace_id", "user_id", "role", "created_at", "last_updated_at"]
PK_DEPENDENTS_KEYS = ["virtual_keys"]

TIMESTAMP_MS_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


def is_timestamp_ms_z(value):
    if not isinstance(value, str) or not TIMESTAMP_MS_Z.match(value):
        return False
    try:
        parse_ms_z(value)
    except ValueError:  # an impossible date or time
        return False
    return True


def check_portkey_lifecycle(workspaces, users, members, dependents):
    """Every rule of the seed-file contract for the Portkey lifecycle files
    (issue 14), plus the properties this seed promises (see
    seed-data/README.md). Timestamps all have the same fixed-width format,
    so comparing the strings compares the instants."""
    by_id = {w["id"]: w for w in workspaces}
    for w in workspaces:
        for field in ("created_at", "last_updated_at"):
            assert is_timestamp_ms_z(w[field]), f"workspace {w['id']}: {field} {w[field]}"
    defaults = [w for w in workspaces if w["defaults"] and w["defaults"]["is_default"] == 1]
    assert [w["id"] for w in defaults] == [workspaces[0]["id"]], "the default workspace is not the first record"
    default_id = workspaces[0]["id"]
    assert workspaces[0]["name"] == "Production" and workspaces[0]["status"] == "active"

    # users.json
    user_by_id = {}
    emails = set()
    for u in users:
        assert list(u) == PK_USER_KEYS, f"user {u.get('id')}: keys {list(u)}"
        assert u["object"] == "user", f"user {u['id']}: object {u['object']!r}"
        assert isinstance(u["email"], str) and re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", u["email"]), u["email"]
        assert u["id"] == portkey_user_id(u["email"]), f"user {u['email']}: id {u['id']}"
        assert u["id"] not in user_by_id, f"user id {u['id']} not unique"
        assert u["email"] not in emails, f"user email {u['email']} not unique"
        for field in ("first_name", "last_name"):
            assert isinstance(u[field], str) and u[field], f"user {u['id']}: {field} {u[field]!r}"
        assert u["role"] in PK_ORG_ROLES, f"user {u['id']}: role {u['role']!r}"
        for field in ("created_at", "last_updated_at"):
            assert is_timestamp_ms_z(u[field]), f"user {u['id']}: {field} {u[field]!r}"
        assert u["last_updated_at"] >= u["created_at"], f"user {u['id']} updated before created"
        user_by_id[u["id"]] = u
        emails.add(u["email"])
    roles = [u["role"] for u in users]
    assert roles.count("owner") == 1, f"{roles.count('owner')} owners (want exactly 1)"
    assert roles.count("admin") == PK_ADMIN_COUNT, f"{roles.count('admin')} admins (want {PK_ADMIN_COUNT})"
    assert 18 <= len(users) <= 22, f"{len(users)} users (want about 20)"
    example = [u for u in users if u["email"] == "horace.slughorn@example.com"]
    assert len(example) == 1 and (example[0]["first_name"], example[0]["last_name"], example[0]["role"]) \
        == ("horace", "slughorn", "member"), "the documented example user is missing or changed"
    created = [u["created_at"] for u in users]
    assert created == sorted(created), "users not in created_at order"
    assert users[0]["role"] == "owner", "the owner is not the first (earliest) user"

    # members.json
    pairs = set()
    per_workspace = {}
    for r in members:
        assert list(r) == PK_MEMBER_KEYS, f"member {r.get('workspace_id')}/{r.get('user_id')}: keys {list(r)}"
        label = f"member {r['workspace_id']}/{r['user_id']}"
        ws = by_id.get(r["workspace_id"])
        assert ws is not None, f"{label}: unknown workspace"
        user = user_by_id.get(r["user_id"])
        assert user is not None, f"{label}: not a user of the organization"
        assert r["role"] in PK_MEMBER_ROLES, f"{label}: role {r['role']!r}"
        assert (r["workspace_id"], r["user_id"]) not in pairs, f"{label} listed twice"
        for field in ("created_at", "last_updated_at"):
            assert is_timestamp_ms_z(r[field]), f"{label}: {field} {r[field]!r}"
        assert r["created_at"] >= ws["created_at"], f"{label} older than its workspace"
        assert r["created_at"] >= user["created_at"], f"{label} older than its user"
        assert r["last_updated_at"] >= r["created_at"], f"{label} updated before created"
        pairs.add((r["workspace_id"], r["user_id"]))
        per_workspace.setdefault(r["workspace_id"], []).append(r)
    # The default workspace: the owner and the admins, each with role admin.
    default_members = per_workspace.get(default_id, [])
    leaders = {u["id"] for u in users if u["role"] in ("owner", "admin")}
    assert {r["user_id"] for r in default_members} == leaders, "the default workspace's members are not the owner and the admins"
    assert all(r["role"] == "admin" for r in default_members), "a member of the default workspace is not an admin"
    # One workspace with 12 or more members (paging), every other one 0..4.
    counts = {w["id"]: len(per_workspace.get(w["id"], [])) for w in workspaces}
    big = [ws_id for ws_id, count in counts.items() if count >= 12]
    assert len(big) == 1 and by_id[big[0]]["status"] == "active", f"workspaces with 12 or more members: {big}"
    assert all(c <= 4 for ws_id, c in counts.items() if ws_id not in big), "a workspace with 5..11 members"
    assert {r["role"] for r in members} == set(PK_MEMBER_ROLES), "not every member role appears"
    assert {r["role"] for r in per_workspace[big[0]]} == set(PK_MEMBER_ROLES), "the big workspace lacks a role"
    assert any(counts[w["id"]] for w in workspaces if w["status"] == "archived"), "no archived workspace has members"
    assert any(counts[w["id"]] == 0 for w in workspaces if w["status"] == "active"), "no active workspace is empty"
    # File order: workspace order, then created_at, then user_id.
    position = {w["id"]: k for k, w in enumerate(workspaces)}
    order = [(position[r["workspace_id"]], r["created_at"], r["user_id"]) for r in members]
    assert order == sorted(order), "members not in workspace and created_at order"

    # dependents.json
    assert isinstance(dependents, dict) and list(dependents) == PK_DEPENDENTS_KEYS, \
        f"dependents keys {list(dependents) if isinstance(dependents, dict) else dependents!r}"
    holders = dependents["virtual_keys"]
    assert isinstance(holders, dict) and 4 <= len(holders) <= 6, f"{len(holders)} workspaces hold virtual keys"
    for ws_id, count in holders.items():
        ws = by_id.get(ws_id)
        assert ws is not None, f"virtual keys on unknown workspace {ws_id}"
        assert ws_id != default_id, "the default workspace holds virtual keys"
        assert ws["status"] == "active", f"virtual keys on {ws['status']} workspace {ws_id}"
        assert isinstance(count, int) and not isinstance(count, bool) and count >= 1, \
            f"virtual keys on {ws_id}: count {count!r}"
    assert list(holders) == sorted(holders, key=position.get), "virtual_keys not in workspace order"


def check(openrouter, portkey):
    assert len(openrouter) == OPENROUTER_COUNT
    assert len(portkey) == PORTKEY_COUNT
    for field in ("id", "slug", "name", "default_guardrail_id"):
        values = [r[field] for r in openrouter]
        assert len(set(values)) == len(values), f"openrouter {field} not unique"
    for field in ("id", "name"):
        values = [r[field] for r in portkey]
        assert len(set(values)) == len(values), f"portkey {field} not unique"
    for records in (openrouter, portkey):
        created = [r["created_at"] for r in records]
        assert all(a < b for a, b in zip(created, created[1:])), "created_at not ascending"
    for r in openrouter:
        assert r["updated_at"] is None or r["updated_at"] > r["created_at"]
        assert 0.0001 <= r["io_logging_sampling_rate"] <= 1
    for r in portkey:
        assert r["last_updated_at"] >= r["created_at"]
        assert r["slug"] == r["id"]
    assert sum(1 for r in portkey if r["defaults"] and r["defaults"]["is_default"] == 1) == 1


def main():
    openrouter = openrouter_workspaces()
    org_members = openrouter_org_members()
    members = openrouter_members(openrouter, org_members)
    budgets = openrouter_budgets(openrouter)
    settings = openrouter_settings(openrouter)
    portkey = portkey_workspaces()
    pk_users = portkey_users()
    pk_members = portkey_members(portkey, pk_users)
    pk_dependents = portkey_dependents(portkey)
    check(openrouter, portkey)
    check_openrouter_lifecycle(openrouter, org_members, members, budgets, settings)
    check_portkey_lifecycle(portkey, pk_users, pk_members, pk_dependents)
    out = SEED_DIR / "openrouter"
    dump(out / "workspaces.json", openrouter)
    dump(out / "organization-members.json", org_members)
    dump(out / "members.json", members)
    dump(out / "budgets.json", budgets)
    dump(out / "settings.json", settings)
    out = SEED_DIR / "portkey"
    dump(out / "workspaces.json", portkey)
    dump(out / "users.json", pk_users)
    dump(out / "members.json", pk_members)
    dump(out / "dependents.json", pk_dependents)
    dump(SEED_DIR / "keys.json", keys())
    print(f"wrote {len(openrouter)} OpenRouter workspaces, {len(org_members)} organization members, "
          f"{len(members)} workspace members, {len(budgets)} budgets and settings.json, "
          f"{len(portkey)} Portkey workspaces, {len(pk_users)} users, {len(pk_members)} workspace members, "
          f"dependents.json ({len(pk_dependents['virtual_keys'])} workspaces with virtual keys) "
          f"and keys.json to {SEED_DIR}")


if __name__ == "__main__":
    main()
