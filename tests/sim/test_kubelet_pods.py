"""The simulated kubelet: container state truth in pod status and the scheduler's and kubelet's
Events, for each pod behaviour, on a manual clock."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from rollout_tui.sim.controller.harness import Harness

from .manifests import one_pod_rollout

_rollout = one_pod_rollout


def _pod(h: Harness, app: str) -> dict:
    [pod] = [p for p in h.pods() if p["metadata"]["labels"]["app"] == app]
    return pod


def _container(pod: dict) -> dict:
    statuses = pod["status"].get("containerStatuses") or [{}]
    return statuses[0]


def _events(h: Harness, pod: dict) -> list[tuple[str, str, str, int]]:
    """(type, reason, message, count) of the pod's events, first seen first."""
    found = [e for e in h.events() if e["involvedObject"]["name"] == pod["metadata"]["name"]]
    found.sort(key=lambda e: (e["firstTimestamp"], e["metadata"]["creationTimestamp"]))
    return [(e["type"], e["reason"], e["message"], e["count"]) for e in found]


def test_a_healthy_pod_is_scheduled_pulled_created_and_started() -> None:
    h = Harness()
    h.apply(_rollout("web", "demo:blue"))
    h.tick(10)
    pod = _pod(h, "web")
    name, node = pod["metadata"]["name"], pod["spec"]["nodeName"]
    reasons = [(kind, reason) for kind, reason, _m, _c in _events(h, pod)]
    assert reasons == [
        ("Normal", "Scheduled"),
        ("Normal", "Pulling"),
        ("Normal", "Pulled"),
        ("Normal", "Created"),
        ("Normal", "Started"),
    ]
    messages = {reason: message for _k, reason, message, _c in _events(h, pod)}
    assert messages["Scheduled"] == f"Successfully assigned default/{name} to {node}"
    assert messages["Pulling"] == 'Pulling image "demo:blue"'
    assert messages["Pulled"].startswith('Successfully pulled image "demo:blue" in ')
    assert "including waiting). Image size: " in messages["Pulled"]
    assert messages["Created"] == "Created container: app" and messages["Started"] == "Started container app"
    scheduled = next(e for e in h.events("Scheduled"))
    assert scheduled["source"] == {"component": "default-scheduler"}
    started = next(e for e in h.events("Started"))
    assert started["source"] == {"component": "kubelet", "host": node}
    assert started["involvedObject"]["fieldPath"] == "spec.containers{app}"
    assert (
        started["involvedObject"]["kind"] == "Pod"
        and started["involvedObject"]["uid"] == pod["metadata"]["uid"]
    )
    conditions = [c["type"] for c in pod["status"]["conditions"]]
    assert conditions == [
        "PodReadyToStartContainers",
        "Initialized",
        "Ready",
        "ContainersReady",
        "PodScheduled",
    ]
    status = _container(pod)
    assert status["image"] == "docker.io/library/demo:blue" and status["imageID"].startswith(
        "docker.io/library/demo@sha256:"
    )
    assert status["containerID"].startswith("containerd://")


def test_crash_loop_reports_the_last_termination_and_backs_off() -> None:
    h = Harness()
    h.apply(_rollout("web", "demo:v2-crash", terminationMessagePolicy="FallbackToLogsOnError"))
    h.tick(60)
    pod = _pod(h, "web")
    status = _container(pod)
    name, uid = pod["metadata"]["name"], pod["metadata"]["uid"]
    assert status["state"]["waiting"]["reason"] == "CrashLoopBackOff"
    assert status["restartCount"] == 3 and status["ready"] is False and status["started"] is False
    assert status["state"]["waiting"]["message"] == (
        f"back-off 40s restarting failed container=app pod={name}_default({uid})"
    )
    last = status["lastState"]["terminated"]
    assert (last["reason"], last["exitCode"]) == ("Error", 2)
    assert last["message"].splitlines()[0].endswith("INFO  starting web version=v2-crash pid=1")
    assert "panic: " in last["message"] and "goroutine 1 [running]:" in last["message"]
    assert last["startedAt"] < last["finishedAt"]
    events = {(reason, message): count for _k, reason, message, count in _events(h, pod)}
    backoff = f"Back-off restarting failed container app in pod {name}_default({uid})"
    assert events[("BackOff", backoff)] == 3
    assert events[("Started", "Started container app")] == 3
    assert events[("Pulled", 'Container image "demo:v2-crash" already present on machine')] == 2
    assert next(e for e in h.events("BackOff"))["type"] == "Warning"


def test_oom_killed_containers_serve_then_restart() -> None:
    h = Harness()
    h.apply(_rollout("web", "demo:blue", {"sim.rollout-tui.dev/pod": "oomkilled"}))
    assert h.run_until(lambda: bool(h.pods()) and _container(_pod(h, "web")).get("ready") is True, 30)
    assert h.run_until(lambda: _container(_pod(h, "web")).get("restartCount") == 1, 60)
    status = _container(_pod(h, "web"))
    assert status["lastState"]["terminated"]["reason"] == "OOMKilled"
    assert status["lastState"]["terminated"]["exitCode"] == 137
    assert "message" not in status["lastState"]["terminated"]  # the default policy reads /dev/termination-log
    h.tick(2)
    assert h.run_until(lambda: _container(_pod(h, "web"))["ready"] is True, 30)  # restarted, serving again


def test_oom_image_tag_triggers_the_same() -> None:
    h = Harness()
    h.apply(_rollout("web", "demo:v3-oom"))
    assert h.run_until(lambda: bool(h.pods()) and _container(_pod(h, "web")).get("restartCount", 0) >= 1, 90)
    assert _container(_pod(h, "web"))["lastState"]["terminated"]["reason"] == "OOMKilled"


def test_failing_readiness_probe_keeps_the_pod_unready_with_unhealthy_events() -> None:
    probe = {"httpGet": {"path": "/ready", "port": 8080}, "periodSeconds": 5}
    h = Harness()
    h.apply(_rollout("web", "demo:blue", {"sim.rollout-tui.dev/pod": "probefail"}, readinessProbe=probe))
    h.tick(32)
    pod = _pod(h, "web")
    assert pod["status"]["phase"] == "Running"
    assert _container(pod)["ready"] is False and _container(pod)["started"] is True
    ready = next(c for c in pod["status"]["conditions"] if c["type"] == "Ready")
    assert (ready["status"], ready["reason"]) == ("False", "ContainersNotReady")
    [unhealthy] = h.events("Unhealthy")
    assert unhealthy["type"] == "Warning"
    assert unhealthy["message"] == "Readiness probe failed: HTTP probe failed with statuscode: 503"
    count = unhealthy["count"]
    assert 5 <= count <= 7  # every 5 s since the container started (3-5 s)
    h.tick(10)
    assert h.events("Unhealthy")[0]["count"] == count + 2  # the same Event, bumped
    assert h.phase("web") == "Progressing"


def test_unready_is_an_alias_and_tcp_probes_say_connection_refused() -> None:
    h = Harness()
    h.apply(_rollout("web", "demo:v1-unready", readinessProbe={"tcpSocket": {"port": 9000}}))
    h.tick(20)
    ip = _pod(h, "web")["status"]["podIP"]
    [unhealthy] = h.events("Unhealthy")
    assert unhealthy["message"] == f"Readiness probe failed: dial tcp {ip}:9000: connect: connection refused"


def test_image_pull_failures_retry_with_back_off() -> None:
    h = Harness()
    h.apply(_rollout("web", "registry.example.com/team/web:does-not-exist"))
    h.tick(3)
    status = _container(_pod(h, "web"))
    assert status["state"]["waiting"]["reason"] == "ErrImagePull"
    assert status["image"] == "registry.example.com/team/web:does-not-exist" and status["imageID"] == ""
    h.tick(3)
    waiting = _container(_pod(h, "web"))["state"]["waiting"]
    assert waiting["reason"] == "ImagePullBackOff"
    assert waiting["message"].startswith(
        'Back-off pulling image "registry.example.com/team/web:does-not-exist"'
    )
    h.tick(60)
    events = {(reason, message): count for _k, reason, message, count in _events(h, _pod(h, "web"))}
    image = "registry.example.com/team/web:does-not-exist"
    attempts = events[("Pulling", f'Pulling image "{image}"')]
    assert attempts == 3  # at ~1 s, then 10 s and 20 s after each failure
    assert events[("Failed", "Error: ErrImagePull")] == attempts
    assert events[("Failed", "Error: ImagePullBackOff")] == attempts
    assert events[("BackOff", f'Back-off pulling image "{image}"')] == attempts
    failed = next(m for (r, m) in events if r == "Failed" and m.startswith("Failed to pull image"))
    assert failed == (
        f'Failed to pull image "{image}": rpc error: code = NotFound desc = failed to pull and unpack image '
        f'"{image}": failed to resolve reference "{image}": {image}: not found'
    )


def test_unschedulable_pods_get_a_failed_scheduling_event() -> None:
    h = Harness()
    h.apply(_rollout("web", "demo:blue", {"sim.rollout-tui.dev/pod": "pending"}))
    h.tick(30)
    [event] = _events(h, _pod(h, "web"))
    assert event[:2] == ("Warning", "FailedScheduling") and event[2].startswith("0/3 nodes are available")


def test_deleting_a_running_pod_stops_its_containers() -> None:
    h = Harness()
    h.apply(_rollout("web", "demo:blue"))
    h.tick(10)
    pod = _pod(h, "web")
    h.store.delete("pods", "default", pod["metadata"]["name"])
    h.tick(0)
    killing = [e for e in h.events("Killing") if e["involvedObject"]["name"] == pod["metadata"]["name"]]
    assert [(e["type"], e["message"], e["involvedObject"]["fieldPath"]) for e in killing] == [
        ("Normal", "Stopping container app", "spec.containers{app}")
    ]
    assert _pod(h, "web")["metadata"]["name"] != pod["metadata"]["name"]  # replaced


def test_seeded_pods_get_no_invented_history() -> None:
    source = Harness()
    source.apply(_rollout("web", "demo:blue"))
    source.tick(30)
    objects = [
        *source.store.list("rollouts", "default")[0],
        *source.store.list("replicasets", "default")[0],
        *source.store.list("pods", "default")[0],
    ]
    h = Harness(start=datetime(2026, 1, 1, 0, 0, 30, tzinfo=UTC))  # where the recording left off
    h.store.load(objects)
    h.controller.reconcile_all()
    h.tick(60)
    assert h.events("Scheduled") == [] and h.events("Started") == []


def test_the_same_pod_lives_the_same_life() -> None:
    def life() -> list[Any]:
        h = Harness()
        h.apply(_rollout("web", "demo:v2-crash"))
        h.tick(90)
        pod = _pod(h, "web")
        events = [(e[1], e[3]) for e in _events(h, pod)]
        return [pod["metadata"]["name"], pod["status"], events]

    assert life() == life()


def test_a_failing_liveness_probe_kills_and_restarts_the_container() -> None:
    probe = {"httpGet": {"path": "/live", "port": 8080}, "periodSeconds": 5, "failureThreshold": 3}
    h = Harness()
    h.apply(_rollout("web", "demo:v4-hang", livenessProbe=probe))
    assert h.run_until(lambda: bool(h.pods()) and _container(_pod(h, "web")).get("restartCount", 0) >= 1, 60)
    pod = _pod(h, "web")
    last = _container(pod)["lastState"]["terminated"]
    assert (last["reason"], last["exitCode"]) == ("Error", 143)
    ip = pod["status"]["podIP"]
    [unhealthy] = h.events("Unhealthy")
    assert unhealthy["message"] == (
        f'Liveness probe failed: Get "http://{ip}:8080/live": context deadline exceeded '
        "(Client.Timeout exceeded while awaiting headers)"
    )
    assert unhealthy["count"] >= 3
    killing = [e["message"] for e in h.events("Killing")]
    assert killing == ["Container app failed liveness probe, will be restarted"]
    assert _container(pod)["ready"] is False
