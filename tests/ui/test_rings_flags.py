"""`--rings [RINGS]` and `--bake` on the UI's command line, and the demo's rings."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rollout_tui.cli import parse
from rollout_tui.ui.launch import LaunchError, rings_options

CONTEXTS = ["east", "west", "north"]


def test_without_rings_the_view_is_one_ring_per_context_and_not_opened() -> None:
    options = rings_options(parse([]), CONTEXTS)
    assert options.open_at_start is False and options.on_mount is None
    assert [r.contexts for r in options.config.rings] == [("east",), ("west",), ("north",)]
    assert {r.bake for r in options.config.rings} == {timedelta(minutes=10)}


def test_rings_and_bake_from_the_flags() -> None:
    options = rings_options(parse(["--rings", "canary=east,wide=west+north", "--bake", "90s"]), CONTEXTS)
    assert options.open_at_start is True
    assert [(r.name, r.contexts, r.bake) for r in options.config.rings] == [
        ("canary", ("east",), timedelta(seconds=90)),
        ("wide", ("west", "north"), timedelta(seconds=90)),
    ]
    assert rings_options(parse(["--rings"]), CONTEXTS).open_at_start is True


def test_the_demo_bakes_briefly_and_starts_its_waves() -> None:
    options = rings_options(parse(["--demo"]), CONTEXTS)
    assert options.on_mount is not None and {r.bake for r in options.config.rings} == {timedelta(seconds=40)}


@pytest.mark.parametrize(
    ("argv", "why"),
    [
        (["--rings", "east,south"], "no context 'south'"),
        (["--rings", "east,east"], "in two rings"),
        (["--bake", "soon"], "--bake 'soon'"),
    ],
)
def test_bad_rings_or_bake_are_one_line(argv: list[str], why: str) -> None:
    with pytest.raises(LaunchError, match=why):
        rings_options(parse(argv), CONTEXTS)
