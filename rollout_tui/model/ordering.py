"""Sort helpers that reproduce the Go plugin's ordering, including its quirks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

T = TypeVar("T")
EPOCH_ZERO = datetime(1, 1, 1, tzinfo=UTC)  # Go's zero time: a missing timestamp sorts first


def time_key(value: datetime | None) -> datetime:
    return value if value is not None else EPOCH_ZERO


def go_insertion_sort(items: list[T], less: Callable[[T, T], bool]) -> list[T]:
    """Go's sort.Slice on up to 12 elements is this insertion sort; reproducing it keeps the
    plugin's order even when its comparator is not a strict weak ordering (experiments)."""
    result = list(items)
    for i in range(1, len(result)):
        j = i
        while j > 0 and less(result[j], result[j - 1]):
            result[j], result[j - 1] = result[j - 1], result[j]
            j -= 1
    return result
