"""What every object row of the revision tree has: identity, creation time and a status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rollout_tui.model.fields import as_str, dig, parse_time


@dataclass(frozen=True, slots=True)
class ObjectInfo:
    name: str
    namespace: str
    uid: str
    created: datetime | None  # ages are computed from it when shown (model.durations.age_at)
    status: str
    icon_kind: str  # semantic status kind for glyphs and colours (model.icons)


def identity(obj: Any) -> dict[str, Any]:
    """name, namespace, uid and created of an object, as keyword arguments for an ObjectInfo."""
    meta = dig(obj, "metadata")
    return {
        "name": as_str(dig(meta, "name")),
        "namespace": as_str(dig(meta, "namespace")),
        "uid": as_str(dig(meta, "uid")),
        "created": parse_time(dig(meta, "creationTimestamp")),
    }
