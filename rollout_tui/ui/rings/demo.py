"""`--demo`'s waves: a few seconds in, the demo starts two waves through the same runner as yours.

`frontend` goes from east (already at green) to west and then north, each ring baked; `api` gets
an image that crash-loops, its wave stops in ring 0 and aborts it, west and north untouched. They
are started without a confirmation because they are the demo's; a wave of yours (`w`) shows its
plan and asks first.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from rollout_tui.model.rings import Target, image_target

from .rows import app_rows

if TYPE_CHECKING:
    from .hub import Rings

START_AFTER = 5.0  # seconds: the clusters have listed and frontend has been Healthy for a moment
RETRY_EVERY = 3.0
ATTEMPTS = 10
GOOD_APP, CRASH_APP = "frontend", "api"
CRASH_IMAGE = "argoproj/rollouts-demo:red-crash"


def start_demo_waves(rings: Rings) -> None:
    rings.app.set_timer(START_AFTER, lambda: _start(rings, ATTEMPTS))


def _start(rings: Rings, attempts: int) -> None:
    if rings.app.read_only:
        return  # --demo --read-only: nothing may write, not even the demo
    now = rings.app.clock.now()
    rows = {
        r.app: r for r in app_rows(rings.members(), rings.config, rings.stale(), rings.read_only(), {}, now)
    }
    plans = []
    for app, target in ((GOOD_APP, None), (CRASH_APP, image_target(CRASH_IMAGE))):
        row = rows.get(app)
        chosen = target if target is not None else (row.target if row is not None else None)
        if row is None or not isinstance(chosen, Target) or rings.waves.running(app):
            continue
        plans.append(replace(rings.plan(row, chosen), abort_on_failure=app == CRASH_APP))
    if len(plans) < 2 or not all(p.ok for p in plans):
        if attempts > 1:  # a cluster still syncing: try again in a moment
            rings.app.set_timer(RETRY_EVERY, lambda: _start(rings, attempts - 1))
        return
    for plan in plans:
        rings.waves.start(plan)
    rings.app.notify(
        f"the demo started waves for {GOOD_APP} and {CRASH_APP} (g: rings view). Yours ask first.",
        title="Demo",
        markup=False,
    )
