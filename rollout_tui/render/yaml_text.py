"""An object as YAML for reading: managedFields folded to one line, every line made inert.

`kubectl get -o yaml` order (the object's own key order); strings are never wrapped by the
emitter; each line goes through the one sanitiser (render.safe), so control characters, escape
sequences and bidi overrides in the object reach no terminal."""

from __future__ import annotations

import copy
from typing import Any

import yaml

from rollout_tui.render.safe import clean

MAX_LINE = 2000


def object_yaml(obj: dict[str, Any], fold_managed_fields: bool = True) -> list[str]:
    """The lines of `obj` as YAML."""
    shown = copy.deepcopy(obj)
    meta = shown.get("metadata")
    if fold_managed_fields and isinstance(meta, dict) and isinstance(meta.get("managedFields"), list):
        entries = meta["managedFields"]
        managers = sorted({str(e.get("manager", "?")) for e in entries if isinstance(e, dict)})
        meta["managedFields"] = f"({len(entries)} entries folded: {', '.join(managers)})"
    text = yaml.safe_dump(shown, sort_keys=False, allow_unicode=True, width=10**6, default_flow_style=False)
    return [clean(line, MAX_LINE) for line in text.splitlines()]
