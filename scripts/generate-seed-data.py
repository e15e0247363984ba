#!/usr/bin/env python3
"""Generate the GatewayMock seed data.

Writes three deterministic JSON files that the mock server loads at start-up:

    seed-data/openrouter/workspaces.json   120 OpenRouter workspaces
    seed-data/portkey/workspaces.json      60 Portkey workspaces
    seed-data/keys.json                    the mock API keys per vendor and role

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
    portkey = portkey_workspaces()
    check(openrouter, portkey)
    dump(SEED_DIR / "openrouter" / "workspaces.json", openrouter)
    dump(SEED_DIR / "portkey" / "workspaces.json", portkey)
    dump(SEED_DIR / "keys.json", keys())
    print(f"wrote {len(openrouter)} OpenRouter and {len(portkey)} Portkey workspaces "
          f"and keys.json to {SEED_DIR}")


if __name__ == "__main__":
    main()
