"""model: events folded into one timeline, container truth, what a revision changes, the overview's
warnings mapped to rollouts, and the needs-me reasons they give."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from rollout_tui.model.attention import FAILING, attention
from rollout_tui.model.diff import summary, template_diff, template_facts
from rollout_tui.model.events import fold, latest_warnings, shown, timeline, warning_count
from rollout_tui.model.incident import pods_reason, trouble_of_container, trouble_of_event
from rollout_tui.model.pods import pod_info
from rollout_tui.model.state import rollout_state
from rollout_tui.model.timeline import rollout_duration
from rollout_tui.model.warnings import WINDOW, WarningIndex, belongs_to, rollout_warnings

NOW = datetime(2026, 1, 1, 0, 10, tzinfo=UTC)


def event(
    name: str,
    obj: str,
    kind: str = "Pod",
    type_: str = "Warning",
    reason: str = "BackOff",
    message: str = "Back-off restarting failed container app",
    at: int = 0,
    count: int = 1,
) -> dict[str, Any]:
    stamp = (NOW - timedelta(seconds=at)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "kind": "Event",
        "metadata": {"name": name, "namespace": "shop"},
        "involvedObject": {"kind": kind, "name": obj},
        "type": type_,
        "reason": reason,
        "message": message,
        "count": count,
        "firstTimestamp": stamp,
        "lastTimestamp": stamp,
    }


def test_repeats_fold_with_their_counts_newest_first() -> None:
    events = timeline(
        [
            event("a", "cart-1", at=30, count=2),
            event("b", "cart-1", at=5),  # the controller made a new Event for the same thing
            event("c", "cart-1", type_="Normal", reason="Pulled", message="pulled", at=10),
            {
                "kind": "Event",
                "eventTime": "2026-01-01T00:09:58Z",
                "regarding": {"kind": "Pod", "name": "x"},
                "note": "events.k8s.io",
                "series": {"count": 4, "lastObservedTime": "2026-01-01T00:09:59Z"},
            },
            "not an object",
        ]
    )
    assert [(e.reason, e.count) for e in events] == [("", 4), ("BackOff", 3), ("Pulled", 1)]
    backoff = events[1]
    assert backoff.first_seen == NOW - timedelta(seconds=30) and backoff.last_seen == NOW - timedelta(
        seconds=5
    )
    assert events[0].message == "events.k8s.io" and events[0].name == "x"
    assert warning_count(events) == 1 and warning_count(events, since=NOW - timedelta(seconds=1)) == 0


def test_warnings_are_never_cut_for_normal_events() -> None:
    events = fold(
        [
            *timeline(
                [event(f"n{i}", "p", type_="Normal", reason=f"R{i}", message=str(i), at=i) for i in range(10)]
            ),
            *timeline([event("w", "p", at=100)]),
        ]
    )
    kept = shown(events, 3)
    assert [e.warning for e in kept] == [False, False, True]  # in time order, the old warning kept
    assert latest_warnings(events) == {"p": events[-1]}


def pod(statuses: list[dict[str, Any]], conditions: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "metadata": {"name": "cart-abc-1", "uid": "u1"},
        "spec": {"containers": [{"name": "app", "image": "cart:v2"}, {"name": "proxy", "image": "envoy"}]},
        "status": {"phase": "Running", "containerStatuses": statuses, "conditions": conditions or []},
    }


def test_container_truth_crash_loop_with_its_last_words() -> None:
    info = pod_info(
        pod(
            [
                {
                    "name": "app",
                    "restartCount": 4,
                    "ready": False,
                    "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 40s"}},
                    "lastState": {
                        "terminated": {
                            "reason": "Error",
                            "exitCode": 2,
                            "message": "x\npanic: boom\n",
                            "finishedAt": "2026-01-01T00:09:00Z",
                        }
                    },
                },
                {"name": "proxy", "ready": True, "state": {"running": {"startedAt": "2026-01-01T00:00:00Z"}}},
            ]
        )
    )
    app, proxy = info.containers
    assert (app.state, app.reason, app.restarts, app.last_reason, app.last_exit_code) == (
        "waiting",
        "CrashLoopBackOff",
        4,
        "Error",
        2,
    )
    assert app.broken and not proxy.broken
    assert info.problem == "CrashLoopBackOff (last: Error exit 2)"
    assert info.last_message == "x\npanic: boom\n"
    assert info.container_names == ("app", "proxy")
    assert trouble_of_container(app) == "crash loop"


def test_container_truth_image_pull_oom_and_unschedulable() -> None:
    pull = pod_info(pod([{"name": "app", "state": {"waiting": {"reason": "ErrImagePull"}}}]))
    assert pull.problem == "ErrImagePull" and trouble_of_container(pull.containers[0]) == "image pull"
    oom = pod_info(
        pod(
            [
                {
                    "name": "app",
                    "restartCount": 1,
                    "ready": True,
                    "state": {"running": {}},
                    "lastState": {"terminated": {"reason": "OOMKilled", "exitCode": 137}},
                }
            ]
        )
    )
    assert (
        oom.problem == "restarted (last: OOMKilled exit 137)"
        and trouble_of_container(oom.containers[0]) == "OOM kill"
    )
    pending = pod_info(
        pod([], [{"type": "PodScheduled", "status": "False", "message": "0/3 nodes are available"}])
    )
    assert pending.problem == "Unschedulable" and pending.unschedulable == "0/3 nodes are available"
    assert pod_info(pod([{"name": "app", "ready": True, "state": {"running": {}}}])).problem == ""


def test_trouble_of_the_kubelets_warnings() -> None:
    def of(reason: str, message: str) -> str:
        return trouble_of_event(timeline([event("e", "p", reason=reason, message=message)])[0])

    assert of("Failed", 'Failed to pull image "x": not found') == "image pull"
    assert of("Failed", "Error: ImagePullBackOff") == "image pull"
    assert of("BackOff", "Back-off restarting failed container app in pod p") == "crash loop"
    assert of("Unhealthy", "Readiness probe failed: 503") == "probes"
    assert of("FailedScheduling", "0/3 nodes") == "unschedulable"
    assert of("Failed", "Error: CreateContainerConfigError") == "CreateContainerConfigError"


def rollout(name: str = "cart", current: str = "new", stable: str = "old", **status: Any) -> Any:
    return rollout_state(
        {
            "metadata": {"name": name, "namespace": "shop"},
            "spec": {"strategy": {"canary": {"steps": [{"setWeight": 20}, {"pause": {}}]}}},
            "status": {"currentPodHash": current, "stableRS": stable, "phase": "Progressing", **status},
        }
    )


def test_an_event_belongs_to_the_longest_rollout_name_its_object_extends() -> None:
    [ev] = timeline([event("e", "cart-api-abc-1")])
    assert belongs_to(ev, "cart-api", ["cart", "cart-api"])
    assert not belongs_to(ev, "cart", ["cart", "cart-api"])
    [own] = timeline([event("e", "cart", kind="Rollout")])
    assert belongs_to(own, "cart", ["cart", "cart-api"]) and not belongs_to(own, "cart-api", [])


def test_rollout_warnings_name_the_canary_pods_trouble_within_the_window() -> None:
    events = timeline(
        [
            event("a", "cart-new-x1", at=20),
            event(
                "b", "cart-old-y1", reason="Unhealthy", message="Readiness probe failed", at=30
            ),  # stable pod
            event("c", "cart-new-x2", reason="Failed", message="Error: ErrImagePull", at=40),
            event("d", "cart-new-x3", at=int(WINDOW.total_seconds()) + 5),  # too old
            event("e", "cart-api-new-z", at=1),  # a sibling's
        ]
    )
    found = rollout_warnings(rollout(), events, ["cart", "cart-api"], NOW)
    assert found.count == 3
    assert [r.text for r in found.reasons] == ["canary pods failing: image pull"]  # the worst named
    assert found.changes_at == NOW - timedelta(seconds=40) + WINDOW
    assert rollout_warnings(rollout(abort=True), events, ["cart"], NOW).reasons == ()  # scaled down
    assert (
        rollout_warnings(rollout(current="old"), events, ["cart"], NOW).reasons[0].text
        == "pods failing: probes"
    )


def test_the_index_follows_the_watch_batches() -> None:
    index = WarningIndex()
    touched = index.apply("east", [event("a", "cart-new-x1"), event("n", "cart-new-x1", type_="Normal")], [])
    assert touched == {("east", "shop")} and len(index) == 1
    assert index.apply("east", [event("a", "cart-new-x1", type_="Normal")], []) == {("east", "shop")}
    assert len(index) == 0  # no longer a Warning
    index.apply("east", [event("b", "cart-new-x1")], [])
    assert index.apply("east", [], [("Event", "shop", "b")]) == {("east", "shop")} and len(index) == 0


def test_extra_reasons_lead_and_expire() -> None:
    state = rollout(phase="Degraded")
    reason = pods_reason(state, ["crash loop"])
    assert reason is not None and reason.level == FAILING
    found = attention(state, NOW, (reason,), NOW + timedelta(minutes=1))
    assert found.headline == "canary pods failing: crash loop" and found.changes_at == NOW + timedelta(
        minutes=1
    )
    assert attention(state, NOW).headline == "degraded"


def test_what_a_revision_changes_in_one_line() -> None:
    def template(image: str, env: dict[str, str], **extra: Any) -> Any:
        container = {
            "name": "app",
            "image": image,
            "env": [{"name": k, "value": v} for k, v in env.items()],
            **extra,
        }
        return template_facts(
            {
                "metadata": {"labels": {"app": "cart", "rollouts-pod-template-hash": image}},
                "spec": {"containers": [container]},
            }
        )

    old = template("demo:red", {"MODE": "a"}, args=["--port=80"])
    new = template("demo:blue", {"MODE": "a", "LOG_LEVEL": "debug"}, resources={"limits": {"memory": "1Gi"}})
    changes = template_diff(old, new)
    assert {(c.field, c.op) for c in changes} == {
        ("image", "changed"),
        ("env LOG_LEVEL", "added"),
        ("args", "removed"),
        ("limits.memory", "added"),
    }
    assert summary(changes) == "image red → blue, args removed, env LOG_LEVEL added, limits.memory added"
    assert summary(changes, limit=1) == "image red → blue, and 3 more"
    assert summary(template_diff(old, old)) == "no change to the pod template"
    other = template("other/repo:blue", {})
    assert "image demo:red → other/repo:blue" in summary(template_diff(old, other))


def test_status_duration_is_clock_free() -> None:
    found = rollout_duration(
        {
            "status": {
                "duration": {
                    "rolloutStartedAt": "2026-01-01T00:00:00Z",
                    "totalManualPauseDurationSeconds": 30,
                    "manualPauseStartedAt": "2026-01-01T00:08:00Z",
                }
            }
        }
    )
    assert found is not None and found.finished is None
    assert found.manual_pause_at(NOW) == timedelta(seconds=150) and found.total_at(NOW) == timedelta(
        minutes=10
    )
    assert rollout_duration({"status": {}}) is None
