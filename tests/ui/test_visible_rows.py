"""VisibleRows, kept in order change by change, always equals filtering and sorting from scratch."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from queue import Queue

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from rollout_tui.kube.coalesce import OVERVIEW_KIND, Batch
from rollout_tui.model.state import rollout_state
from rollout_tui.settings.schema import Settings
from rollout_tui.ui.filtering import QUICK_FILTERS
from rollout_tui.ui.fleet_view import FleetView
from rollout_tui.ui.query import SORTS, TableQuery, visible
from rollout_tui.ui.visible_rows import MOVES_BEFORE_RESORT, VisibleRows

NOW = datetime(2026, 11, 26, 4, 0, 0, tzinfo=UTC)
BASE = rollout_state(
    {
        "metadata": {"name": "x", "namespace": "a", "creationTimestamp": "2026-11-20T00:00:00Z"},
        "spec": {"strategy": {"canary": {"steps": [{"setWeight": 20}, {"pause": {}}]}}},
        "status": {"phase": "Healthy"},
    }
)
STATUSES = ("Healthy", "Paused", "Degraded", "Progressing")

# one change: (rollout number, namespace, status, message, removed?)
change = st.tuples(
    st.integers(0, 12),
    st.sampled_from("abc"),
    st.sampled_from(STATUSES),
    st.sampled_from("mn"),
    st.booleans(),
)
query = st.builds(
    TableQuery,
    text=st.sampled_from(["", "svc-1", "!svc-2", '"svc-3"']),
    quick=st.sampled_from(QUICK_FILTERS),
    sort=st.sampled_from(sorted(SORTS)),
    reverse=st.booleans(),
    namespace=st.sampled_from(["", "a"]),
)


def _batch(changes: list[tuple[int, str, str, str, bool]]) -> Batch:
    states, deleted = [], []
    for number, namespace, status, message, removed in changes:
        name = f"svc-{number}"
        if removed:
            deleted.append((OVERVIEW_KIND, namespace, name))
        else:
            aborted = status == "Degraded"  # failing: its attention rank (the default sort) moves too
            state = replace(
                BASE, name=name, namespace=namespace, status=status, message=message, aborted=aborted
            )
            states.append(state)
    return Batch("ctx", OVERVIEW_KIND, (), tuple(deleted), tuple(states), {})


@settings(max_examples=50, deadline=None)
@given(
    query,
    st.lists(
        st.one_of(
            st.lists(change, max_size=8),
            st.lists(change, min_size=MOVES_BEFORE_RESORT + 1, max_size=MOVES_BEFORE_RESORT + 8),
        ),
        min_size=2,
        max_size=4,
    ),
)
@example(
    TableQuery(sort="status"),
    [
        [(1, "a", "Healthy", "m", False), (2, "a", "Paused", "m", False)],
        [(1, "a", "Progressing", "m", False)],
    ],
)
@pytest.mark.parametrize("moves", [MOVES_BEFORE_RESORT, 0], ids=["moved-in-place", "merged"])
def test_updates_equal_a_fresh_filter_and_sort(moves: int, q: TableQuery, drains: list[list[tuple]]) -> None:
    # favourites first; moves=0: every update takes the many-moves path (one merge of two runs)
    view, rows = FleetView(Settings(favourites=("svc-2", "b/svc-5"))), VisibleRows(moves)
    rows.reset(view.entries.values(), q)
    for drain in drains:  # each drain: its changes in batches of up to 7, as the coalescer cuts them
        batches: Queue[Batch] = Queue()
        for i in range(0, len(drain), 7):
            batches.put(_batch(drain[i : i + 7]))
        changes = view.drain(batches, NOW)
        rows.update(changes, view.entries)
        assert [e.key for e in rows.entries()] == [e.key for e in visible(view.entries.values(), q)]
        assert rows.entries() == visible(view.entries.values(), q)  # the new Entry objects, not stale ones
