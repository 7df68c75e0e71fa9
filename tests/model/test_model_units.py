"""Unit tests: durations, weights, steps, pods, ReplicaSets, metrics, blue-green, the rollout state."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from rollout_tui.model.bluegreen import bluegreen_info
from rollout_tui.model.clock import FixedClock
from rollout_tui.model.durations import age, human_duration, parse_duration
from rollout_tui.model.images import ImageInfo, merge_image
from rollout_tui.model.metrics import metric_series, parse_value, thresholds
from rollout_tui.model.objects import ObjectSet
from rollout_tui.model.pods import kubectl_status
from rollout_tui.model.replicasets import replicaset_health, replicaset_infos
from rollout_tui.model.state import rollout_state
from rollout_tui.model.steps import steps_info
from rollout_tui.model.weights import set_weight

NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
CLOCK = FixedClock(NOW)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (-5, "<invalid>"),
        (-1, "0s"),
        (-0.5, "0s"),
        (0, "0s"),
        (119, "119s"),
        (120, "2m"),
        (121, "2m1s"),
        (599, "9m59s"),
        (600, "10m"),
        (3 * 3600 - 1, "179m"),
        (3 * 3600, "3h"),
        (4 * 3600 - 1, "3h59m"),
        (7 * 3600 + 59 * 60, "7h59m"),
        (8 * 3600, "8h"),
        (47 * 3600, "47h"),
        (48 * 3600, "2d"),
        (7 * 86400, "7d"),
        (7 * 86400 + 3600, "7d1h"),
        (8 * 86400, "8d"),
        (729 * 86400, "729d"),
        (730 * 86400, "2y"),
        (731 * 86400, "2y1d"),
        (8 * 365 * 86400, "8y"),
        (300 * 365 * 86400, "292y"),
    ],
)
def test_human_duration(seconds: float, text: str) -> None:
    assert human_duration(timedelta(seconds=seconds)) == text


def test_age_from_timestamps() -> None:
    assert age("2026-01-08T12:00:00Z", CLOCK) == "7d"
    assert age("2026-01-15T11:59:30.123456Z", CLOCK) == "29s"
    assert age("2026-01-15T13:00:00+01:00", CLOCK) == "0s"
    assert age(None, CLOCK) == age("garbage", CLOCK) == age(12, CLOCK) == "<unknown>"


@pytest.mark.parametrize(
    ("raw", "seconds"),
    [
        (30, 30),
        ("30", 30),
        ("1h", 3600),
        ("1h30m", 5400),
        ("1.5s", 1.5),
        ("250ms", 0.25),
        ("0", 0),
        ("-10s", -10),
    ],
)
def test_parse_duration(raw: object, seconds: float) -> None:
    assert parse_duration(raw) == timedelta(seconds=seconds)


@pytest.mark.parametrize("raw", ["", "1x", "h", "1h 2m", None, True, [], "1" * 70])
def test_parse_duration_rejects(raw: object) -> None:
    assert parse_duration(raw) is None


def rollout(
    steps: list | None = None, index: int | None = None, routing: dict | None = None, **status: object
) -> dict:
    canary: dict = {"steps": steps if steps is not None else []}
    if routing is not None:
        canary["trafficRouting"] = routing
    st: dict = {"availableReplicas": 4, **status}
    if index is not None:
        st["currentStepIndex"] = index
    return {
        "kind": "Rollout",
        "metadata": {"name": "r", "namespace": "ns", "uid": "u"},
        "spec": {"replicas": 4, "strategy": {"canary": canary}},
        "status": st,
    }


STEPS = [
    {"setWeight": 10},
    {"pause": {}},
    {"analysis": {"templates": [{"templateName": "t"}]}},
    {"setWeight": 50},
    {"pause": {"duration": "1m"}},
]


@pytest.mark.parametrize(
    ("index", "abort", "expected"),
    [
        (0, False, 10),
        (2, False, 10),
        (3, False, 50),
        (4, False, 50),
        (5, False, 100),
        (None, False, 10),
        (1, True, 0),
        (-1, False, 100),
    ],
)
def test_set_weight(index: int | None, abort: bool, expected: int) -> None:
    assert set_weight(rollout(STEPS, index, abort=abort)) == expected


def test_set_weight_before_any_set_weight_step_and_max_weight() -> None:
    assert set_weight(rollout([{"pause": {}}, {"setWeight": 5}], 0)) == 0
    assert set_weight(rollout([], None, routing={"maxTrafficWeight": 1000})) == 1000
    assert set_weight(rollout(STEPS, 9, routing={"maxTrafficWeight": 1000})) == 1000


def actual_weight(ro: dict, canary_available: int | None) -> tuple[int | None, bool]:
    state = rollout_state(ro, canary_available=canary_available)
    return state.actual_weight, state.actual_weight_estimated


def test_actual_weight() -> None:
    assert actual_weight(rollout(STEPS, 9), None) == (100, False)  # past the last step
    assert actual_weight(rollout(STEPS, 0, availableReplicas=0), 2) == (0, False)
    assert actual_weight(rollout(STEPS, 0), 1) == (25, False)  # basic canary: 1 of 4 available pods
    assert actual_weight(rollout(STEPS, 0), 3) == (75, False)
    # without the canary ReplicaSet (the overview): estimated from the rollout's updated replicas
    assert actual_weight(rollout(STEPS, 0, updatedReplicas=1), None) == (25, True)
    routed = rollout(STEPS, 3, routing={"nginx": {}})
    assert actual_weight(routed, 1) == (50, False)  # no reported weights: SetWeight
    routed["status"]["canary"] = {"weights": {"canary": {"weight": 42}}}
    assert actual_weight(routed, 1) == (42, False)
    assert actual_weight(routed, None) == (42, False)  # the same figure with or without ReplicaSets


def test_steps_states_and_timed_pause() -> None:
    ro = rollout(
        STEPS, 4, pauseConditions=[{"reason": "CanaryPauseStep", "startTime": "2026-01-15T11:59:20Z"}]
    )
    info = steps_info(ro, 4, False)
    assert info is not None and info.total == 5
    # the analysis at step 2 has no run that passed: the rollout was moved past it (skipped)
    assert [s.state for s in info.steps] == ["done", "done", "skipped", "done", "current"]
    assert [s.spec.description for s in info.steps] == [
        "setWeight: 10",
        "pause",
        "analysis",
        "setWeight: 50",
        "pause: 1m",
    ]
    assert info.steps[1].spec.indefinite and info.steps[2].spec.detail == "t"
    state = rollout_state(ro)
    assert state.pause_ends_at is not None and state.pause_ends_at - NOW == timedelta(seconds=20)
    done = steps_info(rollout(STEPS, 5), 5, False)
    assert done is not None and done.complete and done.current is None
    assert steps_info(rollout([], 0), 0, False) is None


def test_step_descriptions_match_canary_step_string() -> None:
    steps = [
        {"setCanaryScale": {"weight": 5}},
        {"setCanaryScale": {"matchTrafficWeight": True}},
        {"setCanaryScale": {"replicas": 2}},
        {"plugin": {"name": "p"}},
        {"setHeaderRoute": {"name": "h"}},
        {"setMirrorRoute": {"name": "m"}},
        {"experiment": {}},
        {},
        {"pause": {"duration": 30}},
    ]
    info = steps_info(rollout(steps, 0), 0, False)
    assert info is not None
    assert [s.spec.description for s in info.steps] == [
        "setCanaryScale{weight: 5}",
        "setCanaryScale{matchTrafficWeight: true}",
        "setCanaryScale{replicas: 2}",
        "plugin: p",
        "setHeaderRoute: h",
        "setMirrorRoute: m",
        "experiment",
        "invalid",
        "pause: 30",
    ]


def pod(**status: object) -> dict:
    return {
        "metadata": {"name": "p"},
        "spec": {"containers": [{"name": "a"}, {"name": "b"}]},
        "status": {"phase": "Running", **status},
    }


def running(ready: bool = True, restarts: int = 0) -> dict:
    return {"ready": ready, "restartCount": restarts, "state": {"running": {}}}


def test_pod_status_kubectl_style() -> None:
    assert kubectl_status(pod(containerStatuses=[running(), running(restarts=2)])) == ("Running", 2, 2)
    waiting = {"restartCount": 5, "state": {"waiting": {"reason": "CrashLoopBackOff"}}}
    assert kubectl_status(pod(containerStatuses=[running(), waiting])) == ("CrashLoopBackOff", 1, 5)
    killed = {"state": {"terminated": {"exitCode": 137, "signal": 9}}}
    assert kubectl_status(pod(containerStatuses=[killed]))[0] == "Signal:9"
    assert (
        kubectl_status(pod(containerStatuses=[{"state": {"terminated": {"exitCode": 3}}}]))[0] == "ExitCode:3"
    )
    done = {"state": {"terminated": {"reason": "Completed", "exitCode": 0}}}
    assert kubectl_status(pod(containerStatuses=[done, running()]))[0] == "Running"
    assert kubectl_status(pod(reason="Evicted", phase="Failed"))[0] == "Evicted"


def test_pod_init_containers() -> None:
    base = pod(
        initContainerStatuses=[
            {"state": {"terminated": {"exitCode": 0}}},
            {"restartCount": 1, "state": {"waiting": {"reason": "PodInitializing"}}},
        ]
    )
    base["spec"]["initContainers"] = [{"name": "i1"}, {"name": "i2"}]
    assert kubectl_status(base) == ("Init:1/2", 0, 1)
    base["status"]["initContainerStatuses"][1] = {"state": {"terminated": {"exitCode": 1}}}
    assert kubectl_status(base)[0] == "Init:ExitCode:1"
    base["status"]["initContainerStatuses"][1] = {"state": {"waiting": {"reason": "ErrImagePull"}}}
    assert kubectl_status(base)[0] == "Init:ErrImagePull"
    # A native sidecar that started and is ready does not hold initialization.
    base["spec"]["initContainers"][1]["restartPolicy"] = "Always"
    base["status"]["initContainerStatuses"][1] = {
        "name": "i2",
        "started": True,
        "ready": True,
        "state": {"running": {}},
    }
    base["status"]["containerStatuses"] = [running(), running()]
    assert kubectl_status(base) == ("Running", 2, 0)


def test_pod_deletion() -> None:
    deleting = pod(containerStatuses=[running()])
    deleting["metadata"]["deletionTimestamp"] = "2026-01-15T11:00:00Z"
    assert kubectl_status(deleting)[0] == "Terminating"
    deleting["status"]["reason"] = "NodeLost"
    assert kubectl_status(deleting)[0] == "Unknown"


def rs(
    name: str, pod_hash: str, revision: str, desired: int = 1, available: int = 1, **extra: object
) -> dict:
    return {
        "kind": "ReplicaSet",
        "metadata": {
            "name": name,
            "namespace": "ns",
            "uid": name,
            "generation": 1,
            "labels": {"rollouts-pod-template-hash": pod_hash},
            "annotations": {"rollout.argoproj.io/revision": revision},
            "ownerReferences": [{"uid": "u"}],
            **extra,
        },
        "spec": {"replicas": desired, "template": {"spec": {"containers": [{"image": f"img:{pod_hash}"}]}}},
        "status": {"observedGeneration": 1, "replicas": desired, "availableReplicas": available},
    }


def test_replicaset_health() -> None:
    assert replicaset_health(rs("a", "h", "1")) == "Healthy"
    assert replicaset_health(rs("a", "h", "1", desired=0, available=0)) == "ScaledDown"
    assert replicaset_health(rs("a", "h", "1", desired=2, available=1)) == "Progressing"
    unobserved = rs("a", "h", "1")
    unobserved["metadata"]["generation"] = 2
    assert replicaset_health(unobserved) == "Progressing"
    failing = rs("a", "h", "1")
    failing["status"]["conditions"] = [{"type": "ReplicaFailure", "status": "True"}]
    assert replicaset_health(failing) == "ReplicaFailure"


def test_roles_ping_pong_and_order() -> None:
    ro = rollout(STEPS, 0, stableRS="s", currentPodHash="c", canary={"stablePingPong": "ping"})
    ro["spec"]["strategy"]["canary"]["pingPong"] = {"pingService": "a", "pongService": "b"}
    infos = replicaset_infos(
        "u", ro, [rs("old", "o", "1"), rs("z-stable", "s", "2"), rs("a-canary", "c", "3")], []
    )
    assert [i.name for i in infos] == ["a-canary", "z-stable", "old"]
    assert infos[0].tags == ("canary", "pong") and infos[1].tags == ("stable", "ping") and infos[2].tags == ()


def test_scale_down_delay() -> None:
    deadline = {
        "annotations": {"rollout.argoproj.io/revision": "1", "scale-down-deadline": "2026-01-15T12:00:30Z"}
    }
    (info,) = replicaset_infos("u", None, [rs("a", "h", "1", **deadline)], [])
    assert info.scale_down_delay(NOW) == "30s" and info.has_scale_down_annotation
    (passed,) = replicaset_infos(
        "u", None, [rs("a", "h", "1", annotations={"scale-down-deadline": "2020-01-01T00:00:00Z"})], []
    )
    assert passed.scale_down_delay(NOW) == "passed" and passed.revision == 0


def test_merge_image_tags() -> None:
    images = merge_image([], ImageInfo("b", ("stable",)))
    images = merge_image(images, ImageInfo("a", ("canary",)))
    images = merge_image(images, ImageInfo("b", ("active", "stable")))
    assert images == [ImageInfo("a", ("canary",)), ImageInfo("b", ("active", "stable"))]


@pytest.mark.parametrize(
    ("raw", "values"),
    [
        ("[0.97]", (0.97,)),
        ("[0.97, 0.5]", (0.97, 0.5)),
        ("0.5", (0.5,)),
        ("42", (42.0,)),
        (7, (7.0,)),
        ('{"value": 3}', (3.0,)),
        ('{"a": 1, "b": 2}', ()),
        ("[NaN]", ()),
        ("NaN", ()),
        ("", ()),
        (None, ()),
        ("true", ()),
        ('["1.5"]', (1.5,)),
        ("[]", ()),
        ("x" * 5000, ()),
        ("[[1], [2]]", (1.0, 2.0)),
    ],
)
def test_parse_value(raw: object, values: tuple) -> None:
    assert parse_value(raw) == values


def test_thresholds_from_conditions() -> None:
    found = thresholds("result[0] >= 0.95 && result[0] < {{args.max}}", "success", {"max": "2"})
    assert [(t.op, t.value) for t in found] == [(">=", 0.95), ("<", 2.0)]
    assert [(t.op, t.value) for t in thresholds("0.5 > result", "failure", {})] == [("<", 0.5)]
    assert thresholds("len(result) == 3", "success", {}) == ()
    assert thresholds("result < {{args.unknown}}", "failure", {}) == ()
    assert [(t.op, t.value) for t in thresholds("(asFloat(result) <= 1e3)", "failure", {})] == [
        ("<=", 1000.0)
    ]


def analysis_run(**metric: object) -> dict:
    return {
        "kind": "AnalysisRun",
        "spec": {
            "args": [{"name": "limit", "value": "3"}],
            "metrics": [
                {
                    "name": "success-rate",
                    "provider": {"prometheus": {}},
                    "successCondition": "result[0] >= 0.9",
                    "failureCondition": "result[0] < 0.5",
                    "interval": "1m",
                    **metric,
                }
            ],
        },
        "status": {
            "metricResults": [
                {
                    "name": "success-rate",
                    "phase": "Running",
                    "count": 3,
                    "successful": 1,
                    "failed": 2,
                    "consecutiveError": 5,
                    "measurements": [
                        {"phase": "Successful", "value": "[0.97]", "startedAt": "2026-01-15T11:58:00Z"},
                        {"phase": "Failed", "value": "[0.41]", "startedAt": "2026-01-15T11:59:00Z"},
                        {"phase": "Error", "message": "timeout", "startedAt": "bad"},
                    ],
                }
            ]
        },
    }


def test_metric_series_limits_and_points() -> None:
    warnings: list[str] = []
    (series,) = metric_series(analysis_run(failureLimit="{{args.limit}}"), warnings)
    assert series.provider == "prometheus"
    assert [p.value for p in series.points] == [0.97, 0.41, None]
    assert series.points[2].started is None and series.points[2].message == "timeout"
    assert [(t.kind, t.op, t.value) for t in series.thresholds] == [
        ("success", ">=", 0.9),
        ("failure", "<", 0.5),
    ]
    assert (series.failure_limit, series.inconclusive_limit, series.consecutive_error_limit) == (3, 0, 4)
    assert series.failures_left == 1
    assert series.limit_breaches == ("consecutiveErrors (5) > consecutiveErrorLimit (4)",)
    (unlimited,) = metric_series(analysis_run(failureLimit=-1, count=10))
    assert (
        unlimited.failure_limit is None and unlimited.wanted_count == 10 and unlimited.failures_left is None
    )
    (breached,) = metric_series(analysis_run(failureLimit=1))
    assert breached.limit_breaches[0] == "failed (2) > failureLimit (1)"
    (bad,) = metric_series(analysis_run(failureLimit="many"), warnings)
    assert bad.failure_limit is None and any("failureLimit" in w for w in warnings)


def bg(**status: object) -> dict:
    return {
        "kind": "Rollout",
        "spec": {"strategy": {"blueGreen": {"autoPromotionSeconds": 60}}},
        "status": {
            "currentPodHash": "new",
            "stableRS": "old",
            "blueGreen": {"activeSelector": "old", "previewSelector": "new"},
            **status,
        },
    }


def phase_of(ro: dict, replicasets: tuple) -> Any:
    return bluegreen_info(rollout_state(ro), replicasets)


def test_bluegreen_phases() -> None:
    new = replicaset_infos("u", None, [rs("new", "new", "2", desired=3, available=1)], [])
    assert phase_of(bg(), new).phase == "preview"
    ready = replicaset_infos("u", None, [rs("new", "new", "2", desired=3, available=3)], [])
    assert phase_of(bg(), ready).phase == "active cutover"
    paused = phase_of(
        bg(pauseConditions=[{"reason": "BlueGreenPause", "startTime": "2026-01-15T11:59:30Z"}]), ready
    )
    assert paused.phase == "waiting for promotion" and paused.auto_promote_at - NOW == timedelta(seconds=30)
    analysing = bg(
        blueGreen={"activeSelector": "old", "prePromotionAnalysisRunStatus": {"status": "Running"}}
    )
    assert phase_of(analysing, new).phase == "pre-promotion analysis"
    switched = bg(
        blueGreen={"activeSelector": "new", "postPromotionAnalysisRunStatus": {"status": "Running"}}
    )
    assert phase_of(switched, ready).phase == "post-promotion analysis"
    old = rs("old", "old", "1", annotations={"scale-down-deadline": "2026-01-15T12:00:30Z"})
    promoted = bg(stableRS="new", blueGreen={"activeSelector": "new"})
    infos = replicaset_infos("u", None, [old, rs("new", "new", "2")], [])
    info = phase_of(promoted, infos)
    assert info.phase == "scale-down" and info.scale_down_at - NOW == timedelta(seconds=30)
    assert phase_of(promoted, ready).phase == "complete"
    assert phase_of(bg(abort=True), ready).phase == "aborted"
    assert phase_of(rollout(), ()) is None


def test_state_from_rollout_alone() -> None:
    ro = rollout(STEPS, 3, updatedReplicas=1, readyReplicas=3, replicas=4)
    ro["metadata"]["creationTimestamp"] = "2026-01-15T11:00:00Z"
    state = rollout_state(ro)
    assert (state.strategy, state.step_label, state.set_weight) == ("Canary", "3/5", 50)
    assert (state.actual_weight, state.actual_weight_estimated) == (25, True)
    assert (state.replicas.ready, state.replicas.current, state.status) == (3, 4, "Progressing")
    assert age(ro["metadata"]["creationTimestamp"], CLOCK) == "60m"
    assert state.current_step is not None and state.current_step.numbered(5) == "step 3/5 (setWeight 50)"
    assert state.next_step is not None and state.next_step.label == "pause 1m"
    ro["status"]["canary"] = {"weights": {"canary": {"weight": 30}}}
    # as the plugin: reported weights count only with traffic routing; without it, replica counts
    assert (rollout_state(ro).actual_weight, rollout_state(ro).actual_weight_estimated) == (25, True)
    ro["spec"]["strategy"]["canary"]["trafficRouting"] = {"nginx": {}}
    assert (rollout_state(ro).actual_weight, rollout_state(ro).actual_weight_estimated) == (30, False)
    done = rollout(STEPS, 5, updatedReplicas=4, readyReplicas=4, replicas=4, availableReplicas=4)
    done["status"]["canary"] = {"weights": {"canary": {"weight": 0}, "stable": {"weight": 100}}}
    assert rollout_state(done).actual_weight == 100  # fully promoted: as the plugin shows
    plain = rollout_state({"kind": "Rollout", "spec": {"strategy": {"blueGreen": {}}}})
    assert (plain.strategy, plain.step_label, plain.set_weight, plain.replicas.desired) == (
        "BlueGreen",
        "",
        None,
        1,
    )
    assert rollout_state({"spec": {}}).strategy == ""


def test_object_set_indexes() -> None:
    objects = ObjectSet.from_objects(
        [
            {"kind": "Rollout", "metadata": {"name": "r", "namespace": "a", "uid": "1"}},
            {"kind": "Rollout", "metadata": {"name": "r", "namespace": "b", "uid": "2"}},
            {
                "kind": "ReplicaSet",
                "metadata": {"name": "x", "namespace": "a", "ownerReferences": [{"uid": "1"}]},
            },
            {"kind": "Rollout", "metadata": {"name": "r", "namespace": "a", "uid": "1", "generation": 2}},
        ]
    )
    assert len(objects) == 3
    assert objects.rollout("a", "r")["metadata"]["generation"] == 2  # later duplicates replace
    assert objects.rollout(None, "r") is None  # ambiguous without a namespace
    assert [o["metadata"]["name"] for o in objects.children("1", "ReplicaSet")] == ["x"]
    assert objects.namespaces() == ("a", "b") and objects.of_kind("Rollout", "b")[0]["metadata"]["uid"] == "2"


def test_shape_warnings_name_the_object() -> None:
    from rollout_tui.model.rollout import rollout_info

    ro = rollout(STEPS, 0)
    ro["spec"]["replicas"] = "five"
    bad_rs = rs("web-abc", "h", "1")
    bad_rs["status"]["replicas"] = "3"
    unrelated = rs("other", "x", "1")
    unrelated["metadata"]["ownerReferences"] = [{"uid": "someone-else"}]
    unrelated["status"] = "junk"
    info = rollout_info(ro, ObjectSet.from_objects([ro, bad_rs, unrelated]))
    assert 'Rollout "r": spec.replicas: expected integer, got str' in info.warnings
    assert 'ReplicaSet "web-abc": status.replicas: expected integer, got str' in info.warnings
    assert not any("other" in w for w in info.warnings)  # not in this rollout's tree
    assert info.state.replicas.desired == 1 and info.replicasets[0].replicas == 0
