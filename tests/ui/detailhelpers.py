"""Helpers of the detail-pane tests (imported as ``detailhelpers``): the pane alone in an app,
the recorded fixture sets as the pane's input, and the screen as text."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from textual.app import App, ComposeResult

from rollout_tui.model.clock import FixedClock
from rollout_tui.model.objects import ObjectSet
from rollout_tui.model.rollout import RolloutInfo, rollout_info
from rollout_tui.ui.detail import DetailPane
from tests.fixtures.sets import RECORDED_AT, recorded

NOW = RECORDED_AT  # the recorded sets end here (tests/fixtures/record.py)


class ManualClock:
    """A clock the test moves by hand (the model's FixedClock cannot move)."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += timedelta(seconds=seconds)


def objects_of_kind(objects: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [o for o in objects if o.get("kind") == kind]


def events_of(objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return objects_of_kind(objects, "Event")


def info_from(objects: Iterable[dict[str, Any]], clock: Any = None) -> RolloutInfo:
    related = ObjectSet.from_objects(objects)
    rollout = related.of_kind("Rollout")[0]
    return rollout_info(rollout, related)


class DetailApp(App[None]):
    """The pane alone, as the shell mounts it; optionally showing `objects` from the start."""

    AUTO_FOCUS = None  # as in the shell, where the table has focus, not the pane

    def __init__(
        self,
        ascii_only: bool = False,
        objects: list[dict[str, Any]] | None = None,
        events: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__()
        self.ascii_only = ascii_only
        self.objects = objects
        self.events = events or []

    def compose(self) -> ComposeResult:
        yield DetailPane(ascii_only=self.ascii_only)

    def on_mount(self) -> None:
        if self.objects is not None:
            clock = FixedClock(NOW)
            self.query_one(DetailPane).show(info_from(self.objects, clock), self.events, clock)


def screen_lines(app: App[None]) -> list[str]:
    """What the terminal shows, line by line (the compositor's own strips)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def pane_text(app: App[None]) -> str:
    return "\n".join(screen_lines(app))


def stamp(seconds_ago: float) -> str:
    return (NOW - timedelta(seconds=seconds_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")


def event(
    kind: str, reason: str, message: str, seconds_ago: float, obj: tuple[str, str] = ("Rollout", "checkout")
) -> dict[str, Any]:
    """One core/v1 Event about `obj`, last seen `seconds_ago` before NOW."""
    return {
        "kind": "Event",
        "type": kind,
        "reason": reason,
        "message": message,
        "count": 1,
        "lastTimestamp": stamp(seconds_ago),
        "involvedObject": {"kind": obj[0], "name": obj[1]},
    }


def failed_analysis_objects() -> list[dict[str, Any]]:
    """The recorded canary its background analysis aborted: a success rate that fell below the
    failure threshold three times (failureLimit 2), what an operator sees after an auto-abort."""
    return recorded("failed-analysis")
