#!/usr/bin/env python3
"""Writes a seed directory with COUNT OpenRouter (or Portkey) workspaces for scripts/bench.sh's scaling
table and write workload.

  mkstore.py SEED_DIR COUNT OUT_DIR              COUNT OpenRouter workspaces, the seed's Portkey files
  mkstore.py --portkey SEED_DIR COUNT OUT_DIR    COUNT Portkey workspaces, the seed's OpenRouter files

The records are the seed's own, replicated in order: copy k >= 1 of a record gets the slug
`<slug>-r<k>`, the name `<name> #<k>`, the id uuid5(<the generator's namespace>,
"openrouter-workspace:" + slug) and default_guardrail_id uuid5(id, "default-guardrail"), as
scripts/generate-seed-data.py derives them, so ids and slugs stay unique. keys.json and the Portkey
files (workspaces.json, and users.json, members.json, dependents.json when the seed has them) are copied
as they are. Written with the seed's layout (indent 2).

The optional OpenRouter files next to workspaces.json (organization-members.json, members.json,
budgets.json, settings.json) are copied when the seed has them: the roster and settings as they are,
members and budgets as they are too, since they name the seed's own workspaces and copy 0 of each record
keeps its id. Only a store smaller than the seed (COUNT < 120) lacks some of those workspaces: the members
and budgets of the missing ones are left out (the server refuses references to unknown workspaces), and
settings.json's default workspace, the seed's first record, is always there.

With --portkey it is the Portkey workspaces (portkey/workspaces.json) that are replicated, in order, and
the OpenRouter files that are copied as they are: copy k >= 1 of a record gets the name `<name> #<k>` and
the id and slug `ws-<name as slug>-<6 hex>`, the hex digits the start of the slug's sha256, as
scripts/generate-seed-data.py derives them (so `Production #3` is `ws-production-3-<hex>`); only the
seed's own default workspace (its first record, copy 0) keeps `defaults.is_default: 1`, copies get 0.
users.json is copied as it is; members.json and dependents.json keep the entries of the workspaces the
store has (all of them once COUNT >= 60, the seed's size, since copy 0 of each record keeps its id).
Prints the size in bytes of the replicated workspaces.json.
"""

import hashlib
import json
import re
import shutil
import sys
import uuid
from pathlib import Path

NAMESPACE = uuid.UUID("6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f")
OPTIONAL_FILES = ("organization-members.json", "members.json", "budgets.json", "settings.json")
PORTKEY_OPTIONAL_FILES = ("users.json", "members.json", "dependents.json")


def portkey_id(name):
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return f"ws-{slug}-{hashlib.sha256(slug.encode('utf-8')).hexdigest()[:6]}"


def write_json(path, value):
    text = json.dumps(value, indent=2, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8")
    return len(text.encode("utf-8"))


def portkey_store(seed, count, out):
    base = json.loads((seed / "portkey" / "workspaces.json").read_text(encoding="utf-8"))
    records = []
    for i in range(count):
        record = json.loads(json.dumps(base[i % len(base)]))  # a deep copy: defaults is changed below
        k = i // len(base)
        if k:
            record["name"] = f"{record['name']} #{k}"
            record["id"] = record["slug"] = portkey_id(record["name"])
            if isinstance(record.get("defaults"), dict) and record["defaults"].get("is_default"):
                record["defaults"]["is_default"] = 0
        records.append(record)
    for key in ("id", "slug"):
        values = {record[key] for record in records}
        if len(values) != len(records):
            sys.exit(f"mkstore.py: {len(records) - len(values)} duplicate Portkey {key}s")
    (out / "portkey").mkdir(parents=True, exist_ok=True)
    size = write_json(out / "portkey" / "workspaces.json", records)
    kept = {record["id"] for record in records}
    if (seed / "portkey" / "users.json").exists():
        shutil.copyfile(seed / "portkey" / "users.json", out / "portkey" / "users.json")
    if (seed / "portkey" / "members.json").exists():
        entries = json.loads((seed / "portkey" / "members.json").read_text(encoding="utf-8"))
        write_json(out / "portkey" / "members.json", [entry for entry in entries if entry["workspace_id"] in kept])
    if (seed / "portkey" / "dependents.json").exists():
        document = json.loads((seed / "portkey" / "dependents.json").read_text(encoding="utf-8"))
        document = {kind: {ws: n for ws, n in by_workspace.items() if ws in kept}
                    for kind, by_workspace in document.items()}
        write_json(out / "portkey" / "dependents.json", document)
    # The OpenRouter side as the seed has it.
    (out / "openrouter").mkdir(parents=True, exist_ok=True)
    for name in ("workspaces.json",) + OPTIONAL_FILES:
        if (seed / "openrouter" / name).exists():
            shutil.copyfile(seed / "openrouter" / name, out / "openrouter" / name)
    shutil.copyfile(seed / "keys.json", out / "keys.json")
    print(size)


def main():
    args = sys.argv[1:]
    if args[:1] == ["--portkey"]:
        portkey_store(Path(args[1]), int(args[2]), Path(args[3]))
        return
    seed, count, out = Path(args[0]), int(args[1]), Path(args[2])
    base = json.loads((seed / "openrouter" / "workspaces.json").read_text(encoding="utf-8"))
    records = []
    for i in range(count):
        record = dict(base[i % len(base)])
        k = i // len(base)
        if k:
            record["slug"] = f"{record['slug']}-r{k}"
            record["name"] = f"{record['name']} #{k}"
            record["id"] = str(uuid.uuid5(NAMESPACE, "openrouter-workspace:" + record["slug"]))
            if "default_guardrail_id" in record:
                record["default_guardrail_id"] = str(uuid.uuid5(uuid.UUID(record["id"]), "default-guardrail"))
        records.append(record)
    (out / "openrouter").mkdir(parents=True, exist_ok=True)
    (out / "portkey").mkdir(parents=True, exist_ok=True)
    text = json.dumps(records, indent=2, ensure_ascii=False) + "\n"
    (out / "openrouter" / "workspaces.json").write_text(text, encoding="utf-8")
    kept = {record["id"] for record in records}
    for name in OPTIONAL_FILES:
        source = seed / "openrouter" / name
        if not source.exists():
            continue
        target = out / "openrouter" / name
        if name in ("members.json", "budgets.json") and count < len(base):
            entries = json.loads(source.read_text(encoding="utf-8"))
            entries = [entry for entry in entries if entry["workspace_id"] in kept]
            target.write_text(json.dumps(entries, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        else:
            shutil.copyfile(source, target)
    for name in ("workspaces.json",) + PORTKEY_OPTIONAL_FILES:
        if name == "workspaces.json" or (seed / "portkey" / name).exists():
            shutil.copyfile(seed / "portkey" / name, out / "portkey" / name)
    shutil.copyfile(seed / "keys.json", out / "keys.json")
    print(len(text.encode("utf-8")))


if __name__ == "__main__":
    main()
