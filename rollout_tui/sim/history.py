"""The store's bounded change history, which watches from a resourceVersion replay.

kube-apiserver's watch cache keeps a window of recent events; a watch that starts before the
window is refused with 410 Expired (``too old resource version``) and the client relists.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

from rollout_tui.sim.errors import ApiError, bad_request
from rollout_tui.sim.records import Entry


@dataclass
class HistoryItem:
    rv: int
    plural: str
    type: str
    entry: Entry
    prev: Entry | None


class History:
    """Committed changes in resourceVersion order, at most ``limit`` of them (the caller locks)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.compacted_rv = 0  # changes with rv <= this are no longer kept
        self._items: deque[HistoryItem] = deque()

    def append(self, item: HistoryItem) -> None:
        self._items.append(item)
        while len(self._items) > self.limit:
            self.compacted_rv = self._items.popleft().rv

    def since(self, rv: int, plural: str) -> Iterator[HistoryItem]:
        """Changes to ``plural`` after ``rv`` (the caller checked ``rv`` is not compacted)."""
        return (item for item in self._items if item.rv > rv and item.plural == plural)

    def forget(self, up_to: int) -> None:
        """Drop everything; versions up to ``up_to`` now count as compacted."""
        self._items.clear()
        self.compacted_rv = up_to

    def start(self, resource_version: str, current: int) -> int:
        """The version a watch from ``resource_version`` replays after (410 when compacted)."""
        try:
            since = int(resource_version)
        except ValueError:
            raise bad_request(f'invalid resource version "{resource_version}"') from None
        if since < self.compacted_rv:
            raise self.expired(since)
        if since > current:
            raise too_large(since, current)
        return since

    def expired(self, since: int | str) -> ApiError:
        return ApiError(410, "Expired", f"too old resource version: {since} ({self.compacted_rv + 1})")


def too_large(since: int, current: int) -> ApiError:
    """A version this store never handed out (e.g. a client from before a fresh simulator
    process): kube-apiserver's answer, on which client-go relists."""
    return ApiError(
        504,
        "Timeout",
        f"Too large resource version: {since}, current: {current}",
        {
            "causes": [{"reason": "ResourceVersionTooLarge", "message": "Too large resource version"}],
            "retryAfterSeconds": 1,
        },
    )
