"""Rings, the gate between them and the rings view's verdict, as pure functions of rollout states."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from rollout_tui.model.attention import attention
from rollout_tui.model.ring_config import RingError, default_rings, parse_rings, rings_from_config
from rollout_tui.model.ring_gate import BAKING, FAILED, HOLDING, OPEN, ROLLING, evidence_from, judge, verdict
from rollout_tui.model.rings import Member, group_apps, image_target, lead_target, ring_cells
from rollout_tui.model.state import rollout_state

NOW = datetime(2026, 5, 4, 12, 0, 0, tzinfo=UTC)
BLUE, GREEN = "argoproj/rollouts-demo:blue", "argoproj/rollouts-demo:green"


def stamp(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


def rollout(
    name: str = "frontend",
    namespace: str = "web",
    image: str = BLUE,
    phase: str = "Healthy",
    healthy_since: datetime | None = NOW - timedelta(hours=1),
    labels: dict[str, str] | None = None,
    containers: list[dict[str, str]] | None = None,
    **status: Any,
) -> dict[str, Any]:
    conditions = []
    if healthy_since is not None:
        conditions.append({"type": "Healthy", "status": "True", "lastTransitionTime": stamp(healthy_since)})
    return {
        "metadata": {"name": name, "namespace": namespace, "labels": labels or {}, "generation": 2},
        "spec": {
            "paused": status.pop("paused", False),
            "strategy": {
                "canary": {"steps": status.pop("steps", [{"setWeight": 50}, {"pause": {"duration": "10s"}}])}
            },
            "template": {"spec": {"containers": containers or [{"name": "web", "image": image}]}},
        },
        "status": {
            "phase": phase,
            "observedGeneration": "2",
            "currentPodHash": "abc",
            "stableRS": "abc" if phase == "Healthy" else "old",
            "currentStepIndex": 2 if phase == "Healthy" else 1,
            "conditions": conditions,
            **status,
        },
    }


def member(context: str, **kwargs: Any) -> Member:
    state = rollout_state(rollout(**kwargs))
    return Member(context, state, attention(state, NOW))


RINGS = default_rings(("east", "west", "north"), timedelta(minutes=10))


def cells(
    *members: Member, target: Any = None, stale: dict[str, str] | None = None, locked: tuple[str, ...] = ()
) -> Any:
    target = target if target is not None else lead_target(members, RINGS)
    return ring_cells(members, RINGS, target, stale or {}, locked), target


def countdown(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 60}m{s % 60:02d}s"


def test_rings_from_the_command_line() -> None:
    config = parse_rings("canary=east,west,wide=north+south", timedelta(minutes=5))
    assert [(r.name, r.contexts) for r in config.rings] == [
        ("canary", ("east",)),
        ("west", ("west",)),
        ("wide", ("north", "south")),
    ]
    assert config.contexts == ("east", "west", "north", "south")
    assert config.rings[2].label == "wide (north+south)"
    for bad, why in (
        ("east,,west", "an empty ring"),
        ("east,east", "in two rings"),
        ("east+", "an empty context"),
        ("x=", "an empty context"),
    ):
        with pytest.raises(RingError, match=why):
            parse_rings(bad)
    with pytest.raises(RingError, match="no context 'south'"):
        parse_rings("east,south", known=("east", "west"))


def test_apps_are_grouped_by_name_or_by_a_label() -> None:
    found = [
        member("east"),
        member("west", namespace="shop-eu"),
        member("west", name="checkout", labels={"app.kubernetes.io/name": "frontend"}),
        member("south"),  # in no ring
    ]
    by_name = group_apps(found, RINGS)
    assert [m.where for m in by_name["frontend"]] == ["east/web/frontend", "west/shop-eu/frontend"]
    by_label = group_apps(found, default_rings(("east", "west"), app_label="app.kubernetes.io/name"))
    assert list(by_label) == ["frontend"] and [m.where for m in by_label["frontend"]] == ["west/web/checkout"]


def test_a_ring_narrowed_to_namespaces_holds_only_their_rollouts() -> None:
    """One cluster may serve two rings by namespace (staging first, then prod)."""
    config = rings_from_config(
        {
            "rings": [
                {"name": "staging", "contexts": ["east"], "namespaces": ["web-staging"]},
                {"name": "prod", "contexts": ["east", "west"], "namespaces": ["web"]},
            ]
        }
    )
    assert config is not None
    found = [
        member("east", namespace="web-staging"),
        member("east"),
        member("west"),
        member("west", namespace="x"),
    ]
    (app,) = group_apps(found, config).values()
    assert [(config.ring_of(m.context, m.state.namespace), m.where) for m in app] == [
        (0, "east/web-staging/frontend"),
        (1, "east/web/frontend"),
        (1, "west/web/frontend"),
    ]
    assert config.rings[0].where == "east (web-staging)"


def test_ring_0_is_the_lead_unless_it_runs_two_revisions() -> None:
    east = member("east", image=GREEN)
    target = lead_target((east, member("west")), RINGS)
    assert not isinstance(target, str) and target.images == (("web", GREEN),) and target.short == "green"
    two = parse_rings("east+west,north")
    assert "2 different revisions" in str(lead_target((east, member("west")), two))
    assert image_target("web=registry/web:v2").images == (("web", "registry/web:v2"),)
    assert isinstance(image_target("web="), str)


def test_verdict_says_when_the_next_ring_may_start() -> None:
    east = member("east", image=GREEN, healthy_since=NOW - timedelta(minutes=5, seconds=48))
    ring_cells_, target = cells(east, member("west"), member("north"))
    result = verdict(ring_cells_, target, NOW)
    assert result.at(NOW, countdown) == "ring 1 may start in 4m12s"
    assert result.at(NOW + timedelta(minutes=5), countdown) == "ring 1 may start now"


def test_verdict_failing_holding_read_only_and_done() -> None:
    aborted = member("east", image=GREEN, phase="Degraded", healthy_since=None, abort=True)
    failing, target = cells(aborted, member("west"))
    assert verdict(failing, target, NOW).text == "ring 0 failing: east: aborted"
    baked = member("east", image=GREEN, healthy_since=NOW - timedelta(hours=2))
    locked, target = cells(baked, member("west"), locked=("west",))
    assert verdict(locked, target, NOW).text == "holding: ring 1 read-only"
    done, target = cells(baked, member("west", image=GREEN), member("north", image=GREEN))
    assert verdict(done, target, NOW).text == "every ring at green"


def test_a_stale_cluster_is_never_taken_as_healthy() -> None:
    baked = member("east", image=GREEN, healthy_since=NOW - timedelta(hours=2))
    ring_cells_, target = cells(baked, member("west"), stale={"east": "reconnecting since 11:59:00"})
    assert not ring_cells_[0].healthy and ring_cells_[0].stale == "east reconnecting since 11:59:00"
    assert judge(ring_cells_[0], NOW).state == HOLDING
    assert verdict(ring_cells_, target, NOW).text == "holding: ring 0 stale: east reconnecting since 11:59:00"


def test_the_gate_needs_the_bake_and_fresh_evidence_after_it() -> None:
    east = member("east", image=GREEN, healthy_since=NOW - timedelta(minutes=3))
    cell = cells(east, member("west"))[0][0]
    assert judge(cell, NOW).state == BAKING and judge(cell, NOW).until == NOW + timedelta(minutes=7)
    later = NOW + timedelta(minutes=8)
    clean_pods = [{"status": {"containerStatuses": [{"restartCount": 0}]}}]
    old = evidence_from("east/web/frontend", "abc", clean_pods, [], NOW)
    assert judge(cell, later, evidence=[old]).state == BAKING  # read before the bake ended
    fresh = evidence_from("east/web/frontend", "abc", clean_pods, [], later)
    assert judge(cell, later, evidence=[fresh]).state == OPEN
    assert judge(cell, later, evidence=[]).state == BAKING


def test_restarts_broken_pods_and_bad_analysis_fail_the_ring() -> None:
    cell = cells(member("east", image=GREEN), member("west"))[0][0]
    restarted = {
        "status": {
            "containerStatuses": [
                {
                    "restartCount": 2,
                    "lastState": {"terminated": {"finishedAt": stamp(NOW - timedelta(minutes=1))}},
                }
            ]
        }
    }
    found = evidence_from("east/web/frontend", "abc", [restarted], [], NOW)
    assert judge(cell, NOW, evidence=[found], since=NOW - timedelta(minutes=2)).text == (
        "east/web/frontend: new pods restarted (2 restarts)"
    )
    assert judge(cell, NOW, evidence=[found], since=NOW).state == OPEN  # restarted before the ring started
    crashing = {"status": {"containerStatuses": [{"state": {"waiting": {"reason": "CrashLoopBackOff"}}}]}}
    assert (
        "CrashLoopBackOff" in judge(cell, NOW, evidence=[evidence_from("e", "abc", [crashing], [], NOW)]).text
    )
    run = {
        "status": {
            "phase": "Inconclusive",
            "metricResults": [{"name": "success-rate", "phase": "Inconclusive"}],
        }
    }
    bad = evidence_from("east/web/frontend", "abc", [], [run], NOW)
    gate = judge(cell, NOW, evidence=[bad])
    assert gate.state == FAILED and gate.text == "east/web/frontend: analysis success-rate inconclusive"


def test_a_ring_not_yet_at_the_target_is_rolling_and_its_old_failure_does_not_count() -> None:
    old_failure = member("west", phase="Degraded", healthy_since=None, abort=True)
    ring_cells_, _ = cells(member("east", image=GREEN), old_failure)
    assert ring_cells_[1].failure == ""  # about the old revision: not what the wave judges
    assert judge(ring_cells_[1], NOW).state == ROLLING


def test_rings_from_the_configuration_file() -> None:
    doc = {
        "app-label": "app.kubernetes.io/name",
        "ring-bake": "5m",
        "rings": [
            {"name": "canary", "contexts": ["east"], "namespaces": ["shop"], "bake": "15m"},
            {"contexts": ["west", "north"]},
        ],
    }
    config = rings_from_config(doc)
    assert config is not None and config.app_label == "app.kubernetes.io/name"
    canary, wide = config.rings
    assert (canary.name, canary.contexts, canary.namespaces, canary.bake) == (
        "canary",
        ("east",),
        ("shop",),
        timedelta(minutes=15),
    )
    assert (wide.name, wide.bake) == ("west+north", timedelta(minutes=5))
    assert rings_from_config({}) is None and rings_from_config({"rings": []}) is None
    for bad, why in (
        ({"rings": {"east": 1}}, "a list of rings"),
        ({"rings": [{"contexts": []}]}, r"rings\[0\].contexts: at least one"),
        ({"rings": [{"contexts": ["east"], "bake": "soon"}]}, r"rings\[0\].bake: a duration"),
        ({"rings": [{"contexts": ["east"], "wait": "1m"}]}, "unknown key 'wait'"),
        ({"rings": [{"contexts": ["east"]}, {"contexts": ["east"]}]}, "in ring 0 already"),
        ({"app-label": 3, "rings": [{"contexts": ["east"]}]}, "app-label"),
    ):
        with pytest.raises(RingError, match=why):
            rings_from_config(bad)
