"""status.duration (Argo Rollouts 1.11): when each rollout attempt started, the time spent in
manual pauses and how and when it finished, as rollout/sync.go calculateStatusDuration keeps it."""

from __future__ import annotations

from typing import Any

from rollout_tui.sim.controller.harness import Harness

NAME = "web"


def rollout(steps: list[dict] | None = None, strategy: dict | None = None) -> dict[str, Any]:
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Rollout",
        "metadata": {"name": NAME},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"app": NAME}},
            "template": {
                "metadata": {"labels": {"app": NAME}},
                "spec": {"containers": [{"name": "app", "image": "demo:blue"}]},
            },
            "strategy": strategy or {"canary": {"steps": steps or [{"setWeight": 50}, {"pause": {}}]}},
        },
    }


def duration(h: Harness) -> dict[str, Any]:
    return dict(h.status(NAME).get("duration") or {})


def healthy(h: Harness, doc: dict[str, Any]) -> None:
    h.apply(doc)
    assert h.run_until(lambda: h.phase(NAME) == "Healthy", 60)


def test_the_first_deploy_is_promoted_at_once() -> None:
    h = Harness()
    healthy(h, rollout())
    d = duration(h)
    assert d["completionStatus"] == "Promoted" and d["rolloutStartedAt"] <= d["finishedAt"]
    assert "totalManualPauseDurationSeconds" not in d and "manualPauseStartedAt" not in d


def test_an_indefinite_pause_counts_as_manual_until_promoted() -> None:
    h = Harness()
    healthy(h, rollout())
    h.set_image(NAME, "demo:green")
    assert h.run_until(lambda: h.phase(NAME) == "Paused", 60)
    d = duration(h)
    assert d["manualPauseStartedAt"] and "finishedAt" not in d
    h.tick(120)
    h.promote(NAME)
    assert h.run_until(lambda: h.phase(NAME) == "Healthy", 60)
    d = duration(h)
    assert d["completionStatus"] == "Promoted" and d["totalManualPauseDurationSeconds"] == 120
    assert "manualPauseStartedAt" not in d


def test_a_timed_pause_is_not_manual() -> None:
    h = Harness()
    healthy(h, rollout([{"setWeight": 50}, {"pause": {"duration": "30s"}}]))
    h.set_image(NAME, "demo:green")
    assert h.run_until(lambda: h.phase(NAME) == "Healthy", 120)
    d = duration(h)
    assert d["completionStatus"] == "Promoted" and "totalManualPauseDurationSeconds" not in d


def test_spec_paused_counts_and_promote_full_is_fast() -> None:
    h = Harness()
    healthy(h, rollout())
    h.pause(NAME)
    h.set_image(NAME, "demo:green")
    h.tick(60)
    assert duration(h)["manualPauseStartedAt"]
    h.store.patch("rollouts", "default", NAME, {"spec": {"paused": False}}, "application/merge-patch+json")
    h.tick(5)
    assert duration(h)["totalManualPauseDurationSeconds"] >= 55
    h.promote_full(NAME)
    assert h.run_until(lambda: h.phase(NAME) == "Healthy", 60)
    assert duration(h)["completionStatus"] == "FastPromoted"


def test_abort_finishes_the_attempt_and_retry_starts_another() -> None:
    h = Harness()
    healthy(h, rollout())
    h.set_image(NAME, "demo:green")
    assert h.run_until(lambda: h.phase(NAME) == "Paused", 60)
    first = duration(h)["rolloutStartedAt"]
    h.tick(10)
    h.abort(NAME)
    d = duration(h)
    assert d["completionStatus"] == "Aborted" and d["finishedAt"] and d["rolloutStartedAt"] == first
    h.tick(10)
    h.retry(NAME)
    d = duration(h)
    assert d["rolloutStartedAt"] > first and "finishedAt" not in d and "completionStatus" not in d


def test_a_new_template_mid_rollout_supersedes_the_attempt() -> None:
    h = Harness()
    healthy(h, rollout())
    h.set_image(NAME, "demo:green")
    assert h.run_until(lambda: h.phase(NAME) == "Paused", 60)
    first = duration(h)["rolloutStartedAt"]
    h.tick(30)
    h.set_image(NAME, "demo:yellow")
    d = duration(h)
    assert d["rolloutStartedAt"] > first and "completionStatus" not in d  # Superseded, replaced at once


def test_going_back_to_the_stable_template_is_a_fast_rollback() -> None:
    h = Harness()
    healthy(h, rollout())
    h.set_image(NAME, "demo:green")
    assert h.run_until(lambda: h.phase(NAME) == "Paused", 60)
    h.set_image(NAME, "demo:blue")
    assert h.run_until(lambda: h.phase(NAME) == "Healthy", 60)
    assert duration(h)["completionStatus"] == "FastRolledBack" and duration(h)["finishedAt"]


def test_blue_green_waiting_for_promotion_is_a_manual_pause() -> None:
    h = Harness()
    bg = {"blueGreen": {"activeService": "web", "autoPromotionEnabled": False}}
    healthy(h, rollout(strategy=bg))
    h.set_image(NAME, "demo:green")
    assert h.run_until(lambda: h.phase(NAME) == "Paused", 60)
    h.tick(45)
    h.promote(NAME)
    assert h.run_until(lambda: h.phase(NAME) == "Healthy", 60)
    d = duration(h)
    assert d["completionStatus"] == "Promoted" and d["totalManualPauseDurationSeconds"] == 45
