"""What the overview table shows: one `TableQuery` (filter text, status filter, sort, namespace,
context) and the pure function from entries to visible rows. The app keeps one query; any change
to it is one refresh.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from .filtering import ATTENTION, QUICK_FILTERS, Subject, Term, matches, parse
from .fleet_view import Entry

SORT_ORDER = ("attention", "context", "namespace", "name", "status", "age", "strategy", "step")


def _name(e: Entry) -> tuple[str, str, str]:
    return (e.state.name, e.state.namespace, e.context)


SORTS: dict[str, Callable[[Entry], Any]] = {
    # needs-me first (failing, stuck, waiting), then what carries on by itself, then healthy
    "attention": lambda e: (e.attention.rank, e.context, e.state.namespace, e.state.name),
    "name": _name,
    "namespace": lambda e: (e.state.namespace, e.state.name, e.context),
    "context": lambda e: (e.context, e.state.namespace, e.state.name),
    "status": lambda e: (e.state.status, e.context, e.state.namespace, e.state.name),
    "age": lambda e: (-(e.state.created.timestamp() if e.state.created else 0.0), *_name(e)),
    "strategy": lambda e: (e.state.strategy, *_name(e)),
    "step": lambda e: (e.state.step_label, *_name(e)),
}


@dataclass(frozen=True, slots=True)
class TableQuery:
    text: str = ""  # the `/` filter
    quick: str = "all"  # one of filtering.QUICK_FILTERS
    sort: str = "attention"
    reverse: bool = False
    namespace: str = ""  # "" = every namespace the fleet watches
    context: str = ""  # "" = every context

    def with_(self, **changes: Any) -> TableQuery:
        return replace(self, **changes)

    def next_quick(self) -> TableQuery:
        return replace(self, quick=QUICK_FILTERS[(QUICK_FILTERS.index(self.quick) + 1) % len(QUICK_FILTERS)])

    def toggle_attention(self) -> TableQuery:
        return replace(self, quick="all" if self.quick == ATTENTION else ATTENTION)

    def next_sort(self, multi_context: bool) -> TableQuery:
        order = [s for s in SORT_ORDER if s != "context" or multi_context]
        index = order.index(self.sort) if self.sort in order else -1
        return replace(self, sort=order[(index + 1) % len(order)])

    def describe(self, default_sort: str) -> str:
        parts = []
        if self.quick == ATTENTION:
            parts.append("only what needs you")
        elif self.quick != "all":
            parts.append(f"status: {self.quick}")
        if self.text:
            parts.append(f"filter: {self.text}")
        if self.sort != default_sort or self.reverse:
            parts.append(f"sort: {self.sort}{' desc' if self.reverse else ''}")
        return ", ".join(parts)


def in_scope(entry: Entry, query: TableQuery) -> bool:
    """The namespace and context the operator chose (what the header counts)."""
    if query.context and entry.context != query.context:
        return False
    return not query.namespace or entry.state.namespace == query.namespace


def quick_matches(quick: str, entry: Entry) -> bool:
    if quick in ("", "all"):
        return True
    if quick == ATTENTION:
        return entry.attention.needs_me
    return entry.state.status == quick


def passes(entry: Entry, query: TableQuery, terms: tuple[Term, ...]) -> bool:
    """Whether the table shows `entry` under `query` (`terms`: its parsed filter text)."""
    if not in_scope(entry, query) or not quick_matches(query.quick, entry):
        return False
    if not terms:
        return True
    state = entry.state
    return matches(terms, Subject(state.name, state.namespace, entry.context, dict(state.labels)))


def sort_key(query: TableQuery) -> Callable[[Entry], Any]:
    return SORTS.get(query.sort, SORTS["attention"])


def visible(entries: Iterable[Entry], query: TableQuery) -> list[Entry]:
    terms = parse(query.text)
    out = [entry for entry in entries if passes(entry, query, terms)]
    out.sort(key=sort_key(query), reverse=query.reverse)
    pinned = [e for e in out if e.pinned]  # the config's favourites first, each group in sort order
    return pinned + [e for e in out if not e.pinned] if pinned else out
