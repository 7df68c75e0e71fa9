"""What every printer uses: column definitions, nested reads, ages on the simulator's clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from rollout_tui.model.durations import human_duration

Cells = Callable[[dict[str, Any], datetime], list[Any]]

NAME_DOC = (
    "Name must be unique within a namespace. Is required when creating resources, although some "
    "resources may allow a client to request the generation of an appropriate name automatically."
)
AGE_DOC = "CreationTimestamp is a timestamp representing the server time when this object was created."


def col(
    name: str, kind: str = "string", description: str = "", priority: int = 0, fmt: str = ""
) -> dict[str, Any]:
    return {"name": name, "type": kind, "format": fmt, "description": description, "priority": priority}


def get(obj: Any, *path: str, default: Any = None) -> Any:
    for key in path:
        if not isinstance(obj, dict):
            return default
        obj = obj.get(key)
    return default if obj is None else obj


def parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    return _parse_timestamp(value)


@lru_cache(maxsize=65536)  # a fleet shares few distinct timestamps; parsing is 10% of a table
def _parse_timestamp(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def age(value: Any, now: datetime) -> str:
    when = parse_time(value)
    return "<unknown>" if when is None else human_duration((now - when).total_seconds())


def created(obj: dict[str, Any], now: datetime) -> str:
    return age(get(obj, "metadata", "creationTimestamp"), now)


def int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


AGE_STR = col("Age", "string", AGE_DOC)
