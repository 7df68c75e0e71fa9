"""Plain terminals: --ascii draws no Unicode at all (the scrollbars included), and under NO_COLOR a
greyed-out action still looks different from one that can be done (issue 10, defects 13 and 14)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from glancefleet import GLANCE_CLOCK, write_glance_fleet
from textual.color import Color
from textual.filter import NoColor
from uihelpers import FROZEN_AT, screen_text, wait_until

from rollout_tui.model.clock import FixedClock
from rollout_tui.ui.app import RolloutApp
from rollout_tui.ui.overview import OverviewTable


async def test_ascii_scrollbars_draw_only_ascii(fleet_factory: Any, tmp_path: Path) -> None:
    fleet, names, _ = fleet_factory(
        load=[write_glance_fleet(tmp_path / "objects")], contexts=("east", "west")
    )
    app = RolloutApp(fleet, names, clock=GLANCE_CLOCK, ascii_glyphs=True)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(OverviewTable)
        await wait_until(pilot, lambda: table.row_count == 24, what="more rows than lines")
        await pilot.press("end")  # the thumb moves: both of its ends are drawn
        await pilot.pause(0.5)
        assert table.show_vertical_scrollbar
        text = screen_text(app)
        assert text.isascii(), sorted({ch for ch in text if not ch.isascii()})


def footer_looks(app: RolloutApp) -> dict[str, tuple[bool, ...]]:
    """What the terminal gets for each word of the footer under NO_COLOR: its attributes, colour
    stripped by the same filter the app applies."""
    strip = app.screen._compositor.render_strips()[-1]
    looks: dict[str, tuple[bool, ...]] = {}
    for segment in NoColor().apply(list(strip), Color(0, 0, 0)):
        style = segment.style
        word = segment.text.strip()
        if word and style is not None:
            attributes = (style.bold, style.dim, style.italic, style.reverse, style.strike, style.underline)
            looks.setdefault(word, tuple(bool(a) for a in attributes))
    return looks


async def test_no_color_greyed_actions_look_different(
    fleet_factory: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    fleet, contexts, _ = fleet_factory()
    app = RolloutApp(fleet, contexts, clock=FixedClock(FROZEN_AT))
    assert app.no_color
    async with app.run_test(size=(160, 30)) as pilot:
        table = app.query_one(OverviewTable)
        await wait_until(pilot, lambda: table.row_count == 10, what="rows")
        assert table.select_key("sim/jesse-test/bluegreen-demo")  # promote: yes; retry: not aborted
        await wait_until(pilot, lambda: "Retry" in footer_looks(app) and "Promote" in footer_looks(app))
        assert app.check_action("act", ("promote",)) is True
        assert app.check_action("act", ("retry",)) is None  # greyed
        looks = footer_looks(app)
        assert looks["p"] != looks["y"]  # the keys
        assert looks["Promote"] != looks["Retry"]  # and their descriptions


def test_ascii_header_and_hints_cut_with_ascii_dots() -> None:
    from rollout_tui.model.attention import Tally
    from rollout_tui.model.icons import ASCII
    from rollout_tui.ui.header import HeaderView, header_text
    from rollout_tui.ui.keybar import fit_parts

    view = HeaderView(
        ("gke_production-europe-west4_cluster-one-with-a-long-name",),
        "all namespaces",
        Tally(ok=3),
        Tally(ok=3),
    )
    text = header_text(view, ASCII, width=40).plain
    assert text.isascii() and text.endswith("...") and len(text) == 40
    hint = fit_parts(("promote, promote fully: aborted: retry it first",), 30, ASCII.sep, ASCII.ellipsis)
    assert hint.isascii() and hint.endswith("...") and len(hint) <= 30
