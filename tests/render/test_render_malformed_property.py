"""Property: mutated fixture objects never make the model or the renderers raise, and nothing
from the objects reaches the terminal as an escape sequence.

Each example takes one recorded fixture set (tests/fixtures/recorded), damages 1-6
places in its objects (dropped keys, wrong types, nulls, huge / hostile / wide strings) and
runs every view: rollout_info + render_rollout (plain and coloured), experiment_info +
render_experiment, rollout_state + render_rollouts.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rollout_tui.model.clock import FixedClock
from rollout_tui.model.experiments import experiment_info
from rollout_tui.model.objects import ObjectSet
from rollout_tui.model.rollout import rollout_info
from rollout_tui.model.state import rollout_state
from rollout_tui.render.get import render_experiment, render_rollout
from rollout_tui.render.list import render_rollouts
from tests.fixtures.sets import RECORDED_AT, recorded, recorded_names

CLOCK = FixedClock(RECORDED_AT)
SETS = recorded_names()
FIXTURES = {name: recorded(name) for name in SETS}
OUR_SGR = re.compile(r"\x1b\[[0-9;]*m")

HOSTILE = [
    "[bold red]x[/]",
    "\x1b[2J",
    "\x1b]0;pwned\x07",
    "a\tb\nc\rd",
    "\u202eevil",
    "漢字漢字漢字",
    "🚀🚀",
    "",
    " ",
    "\x00",
    "9" * 40,
    "-1",
    "1e309",
    "NaN",
    "[0.97]",
    "{{args.x}}",
    "2026-13-45T99:99:99Z",
    "result[0] >= 0.95 && result[0] < 2",
]
PAYLOADS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(HOSTILE),
    st.text(max_size=30),
    st.just("x" * 20_000),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)
MUTATION = st.tuples(
    st.lists(st.integers(min_value=0, max_value=10_000), max_size=7),
    st.sampled_from(["drop", "replace", "replace-leaf"]),
    PAYLOADS,
)


def mutate(root: Any, path: list[int], action: str, payload: Any) -> Any:
    """Walk `path` (indexes modulo the keys/items available), then damage what is there."""
    if not isinstance(root, dict | list) or not root:
        return payload
    parent, key = None, None
    node = root
    for step in path:
        if isinstance(node, dict) and node:
            keys = list(node)
            parent, key, node = node, keys[step % len(keys)], node[keys[step % len(keys)]]
        elif isinstance(node, list) and node:
            index = step % len(node)
            parent, key, node = node, index, node[index]
        else:
            break
        if action == "replace-leaf" and not isinstance(node, dict | list):
            break
    if parent is None:
        return payload
    if action == "drop":
        del parent[key]
    else:
        parent[key] = payload
    return root


@pytest.mark.long
@settings(
    max_examples=2000,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    dirname=st.sampled_from(SETS),
    targets=st.lists(st.tuples(st.integers(min_value=0, max_value=100), MUTATION), min_size=1, max_size=6),
)
def test_mutated_objects_never_raise_and_stay_inert(dirname: str, targets: list) -> None:
    objects: list[Any] = list(FIXTURES[dirname])
    copied: set[int] = set()
    for index, (path, action, payload) in targets:
        i = index % len(objects)
        if i not in copied:  # copy on first write; the cached fixtures stay pristine
            objects[i] = copy.deepcopy(objects[i])
            copied.add(i)
        objects[i] = mutate(objects[i], path, action, payload)

    related = ObjectSet.from_objects(objects)
    rollouts = [o for o in objects if isinstance(o, dict) and o.get("kind") == "Rollout"]
    experiments = [o for o in objects if isinstance(o, dict) and o.get("kind") == "Experiment"]
    outputs = []
    for rollout in rollouts:
        info = rollout_info(rollout, related)
        assert isinstance(info.warnings, tuple)
        plain = render_rollout(info, CLOCK.now(), color=False)
        assert "\x1b" not in plain
        outputs.append(OUR_SGR.sub("", render_rollout(info, CLOCK.now(), color=True)))
    for experiment in experiments:
        plain = render_experiment(experiment_info(experiment, related), CLOCK.now(), color=False)
        assert "\x1b" not in plain
    summaries = [rollout_state(r) for r in rollouts]
    table = render_rollouts(summaries, all_namespaces=True)
    assert "\x1b" not in table
    for text in outputs:
        assert "\x1b" not in text  # only our own colour codes may carry ESC
    # Hostile text never adds rows: one line per rollout (plus the header), no carriage returns.
    assert table.count("\n") == (len(summaries) + 1 if summaries else 0)
    for text in (table, *outputs):
        assert "\r" not in text


def test_rollout_info_on_non_objects() -> None:
    related = ObjectSet.from_objects([None, 3, "x", [], {"kind": None}, {"kind": "Pod", "metadata": "x"}])
    assert len(related.warnings) == 5
    for junk in (None, 3, "x", [], {}, {"metadata": None, "spec": [], "status": "s"}):
        info = rollout_info(junk, related)
        assert info.warnings
        render_rollout(info, CLOCK.now())
        render_rollouts([rollout_state(junk)])
