#!/usr/bin/env python3
"""Writes a seed directory with COUNT OpenRouter workspaces for scripts/bench.sh's scaling table.

  mkstore.py SEED_DIR COUNT OUT_DIR

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
"""

import json
import shutil
import sys
import uuid
from pathlib import Path

NAMESPACE = uuid.UUID("6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f")
OPTIONAL_FILES = ("organization-members.json", "members.json", "budgets.json", "settings.json")
PORTKEY_OPTIONAL_FILES = ("users.json", "members.json", "dependents.json")


def main():
    seed, count, out = Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
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
