"""A wave's plan: every write per ring from the action registry, and the refusals that block it."""

from __future__ import annotations

from datetime import timedelta

from rollout_tui.model.ring_config import default_rings
from rollout_tui.model.rings import image_target, lead_target
from rollout_tui.model.wave_plan import plan_wave
from tests.model.test_model_rings import BLUE, GREEN, NOW, member

RINGS = default_rings(("east", "west", "north"), timedelta(minutes=10))


def plan(*members, image=GREEN, **kwargs):  # type: ignore[no-untyped-def]
    target = image_target(image) if image else lead_target(members, RINGS)
    assert not isinstance(target, str)
    return plan_wave("w-1", "frontend", members, RINGS, target, now=NOW, **kwargs)


def test_promote_where_waiting_set_image_where_older_nothing_where_there() -> None:
    waiting = member(
        "west",
        image=GREEN,
        phase="Paused",
        healthy_since=None,
        pauseConditions=[{"reason": "CanaryPauseStep", "startTime": "2026-05-04T11:00:00Z"}],
        controllerPause=True,
        currentStepIndex=1,
        steps=[{"setWeight": 50}, {"pause": {}}],
    )
    planned = plan(member("east", image=GREEN), waiting, member("north"), image=None)
    assert planned.ok, planned.refusals
    assert [[w.action for w in r.writes] for r in planned.rings] == [[], ["promote"], ["set_image"]]
    assert planned.rings[0].unchanged == ("east/web/frontend: already at green (Healthy)",)
    assert planned.rings[2].writes[0].text == (
        f"north: set the image of container web of web/frontend to {GREEN} (this starts an update)"
    )
    assert planned.rings[2].writes[0].args.container == "web"  # the only container, named


def test_refusals_block_the_plan_before_anything_is_written() -> None:
    busy = member("east", phase="Progressing", healthy_since=None)
    by_hand = member("west", paused=True)
    sidecar = member(
        "north",
        containers=[{"name": "web", "image": BLUE}, {"name": "proxy", "image": "envoy:1"}],
    )
    planned = plan(busy, by_hand, sidecar, image=GREEN)
    assert not planned.ok
    refusals = "\n".join(planned.refusals)
    assert "ring 0 (east): east/web/frontend: busy with another update (Progressing at step 1/2)" in refusals
    assert "ring 1 (west): west/web/frontend: paused by hand" in refusals
    assert "ring 2 (north): north/web/frontend: 2 containers (web, proxy): name the one to set" in refusals
    assert (
        plan(member("east"), image="nginx=x:1").refusals[0].endswith("has no container 'nginx' (it has web)")
    )


def test_a_read_only_or_stale_ring_is_refused_a_ring_without_the_app_skipped() -> None:
    planned = plan(member("east"), member("west"), read_only=("west",), stale={"east": "unreachable"})
    refusals = planned.refusals
    assert refusals[0] == "ring 0 (east): east is unreachable: its rollouts may have changed"
    assert "ring 1 (west): west/web/frontend: west is read-only, a wave cannot write there" in refusals
    assert planned.rings[2].unchanged == ("the app does not run in north: this ring is skipped",)
