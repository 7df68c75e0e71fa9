"""Kubernetes Events as the detail and the overview read them: one timeline for a rollout and
everything it owns, warnings first-class, repeats folded.

core/v1 Events carry `count` and first/lastTimestamp; events.k8s.io/v1 emitters fill
`series.count`/`series.lastObservedTime` and `eventTime` instead; controllers (the rollouts
controller among them) often create a new Event for every repeat. All of these become one
`EventInfo` per (object, type, reason, message) with the counts summed. Pure and clock-free.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from rollout_tui.model.fields import as_dict, as_int, as_str, dig, parse_time

WARNING = "Warning"


@dataclass(frozen=True, slots=True)
class EventInfo:
    type: str  # "Normal" or "Warning" (what the emitter wrote)
    reason: str
    message: str
    count: int  # at least 1
    first_seen: datetime | None
    last_seen: datetime | None
    kind: str  # involvedObject (or events.k8s.io `regarding`) kind
    name: str
    uid: str
    field_path: str  # e.g. spec.containers{app}
    source: str  # the reporting component: kubelet, default-scheduler, rollouts-controller...

    @property
    def warning(self) -> bool:
        return self.type == WARNING

    @property
    def fold_key(self) -> tuple[str, str, str, str, str]:
        return (self.kind, self.name, self.type, self.reason, self.message)


def _when(event: Mapping[str, Any], *paths: tuple[str, ...]) -> datetime | None:
    for path in paths:
        found = parse_time(dig(event, *path))
        if found is not None:
            return found
    return None


def event_info(event: Any) -> EventInfo | None:
    """One Event object (core/v1 or events.k8s.io/v1) as an EventInfo; None when it is no object."""
    if not isinstance(event, Mapping):
        return None
    involved = as_dict(event.get("involvedObject") or event.get("regarding"))
    last = _when(
        event,
        ("series", "lastObservedTime"),
        ("lastTimestamp",),
        ("eventTime",),
        ("firstTimestamp",),
        ("metadata", "creationTimestamp"),
    )
    first = _when(event, ("firstTimestamp",), ("eventTime",), ("metadata", "creationTimestamp")) or last
    source = as_str(dig(event, "source", "component")) or as_str(event.get("reportingComponent"))
    return EventInfo(
        type=as_str(event.get("type")) or "Normal",
        reason=as_str(event.get("reason")),
        message=as_str(event.get("message")) or as_str(event.get("note")),
        count=max(as_int(dig(event, "series", "count")), as_int(event.get("count")), 1),
        first_seen=first,
        last_seen=last,
        kind=as_str(involved.get("kind")),
        name=as_str(involved.get("name")),
        uid=as_str(involved.get("uid")),
        field_path=as_str(involved.get("fieldPath")),
        source=source,
    )


def _stamp(when: datetime | None) -> float:
    return when.timestamp() if when is not None else float("-inf")


def fold(events: Iterable[EventInfo]) -> tuple[EventInfo, ...]:
    """Repeats of one event (same object, type, reason and message) as one, counts summed,
    first and last seen widened; newest first."""
    folded: dict[tuple[str, str, str, str, str], EventInfo] = {}
    for event in events:
        seen = folded.get(event.fold_key)
        if seen is None:
            folded[event.fold_key] = event
            continue
        firsts = [t for t in (seen.first_seen, event.first_seen) if t is not None]
        lasts = [t for t in (seen.last_seen, event.last_seen) if t is not None]
        folded[event.fold_key] = replace(
            seen,
            count=seen.count + event.count,
            first_seen=min(firsts) if firsts else None,
            last_seen=max(lasts) if lasts else None,
            uid=seen.uid or event.uid,
        )
    ordered = list(folded.values())
    # Newest first; events of one second in a fixed order (not the order the watches delivered).
    ordered.sort(key=lambda e: (-_stamp(e.last_seen), -_stamp(e.first_seen), e.fold_key))
    return tuple(ordered)


def timeline(raw: Iterable[Any]) -> tuple[EventInfo, ...]:
    """Event objects (malformed ones skipped) folded and newest first."""
    return fold(info for info in (event_info(e) for e in raw) if info is not None)


def shown(events: tuple[EventInfo, ...], limit: int) -> tuple[EventInfo, ...]:
    """At most `limit` events, newest first; warnings are never cut to make room for normal
    events (the newest warnings fill the list first, then the newest normal ones)."""
    if len(events) <= limit:
        return events
    warnings = [e for e in events if e.warning][:limit]
    normal = [e for e in events if not e.warning][: limit - len(warnings)]
    keep = {id(e) for e in (*warnings, *normal)}
    return tuple(e for e in events if id(e) in keep)


def warning_count(events: Iterable[EventInfo], since: datetime | None = None) -> int:
    """Distinct (folded) warnings, last seen at or after `since` when given."""
    return sum(
        1
        for e in events
        if e.warning and (since is None or (e.last_seen is not None and e.last_seen >= since))
    )


def as_timeline(items: Iterable[EventInfo | Mapping[str, Any]]) -> tuple[EventInfo, ...]:
    """EventInfos as they are (already a timeline), or Event objects made into one."""
    items = tuple(items)
    if all(isinstance(item, EventInfo) for item in items):
        return items  # type: ignore[return-value]
    return timeline(e for e in items if not isinstance(e, EventInfo))


def latest_warnings(events: Iterable[EventInfo], kind: str = "Pod") -> dict[str, EventInfo]:
    """The newest Warning of each object of `kind`, by object name (events newest first)."""
    latest: dict[str, EventInfo] = {}
    for event in events:
        if event.warning and event.kind == kind and event.name not in latest:
            latest[event.name] = event
    return latest
