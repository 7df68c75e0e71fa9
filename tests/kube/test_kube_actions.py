"""Actions on the wire (through a recording proxy) and their effect on the simulator's objects."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from rollout_tui.kube.actions import Actions
from rollout_tui.kube.audit import AuditLog
from rollout_tui.kube.config import load_contexts
from rollout_tui.kube.fleet import Fleet
from rollout_tui.kube.readonly import ReadOnlyViolation
from rollout_tui.model.actions import ActionArgs, action
from rollout_tui.model.state import RolloutState, rollout_state

from .conftest import FAST, RecordingProxy, proxied_kubeconfig, replicaset, rollout

BASE = "/apis/argoproj.io/v1alpha1/namespaces/default/rollouts/demo"
MERGE = "application/merge-patch+json"
NOW = datetime(2026, 11, 26, 4, 0, 0, tzinfo=UTC)


def seed_rollout(sim: Any, index: int = 1, paused: bool = True, spec_paused: bool = False) -> dict:
    obj = rollout("demo", app="demo", steps=4)
    obj["spec"]["paused"] = spec_paused
    created = sim.store.create("rollouts", obj)
    status: dict = {"currentStepIndex": index, "currentPodHash": "new", "stableRS": "old"}
    if paused:
        status["pauseConditions"] = [{"reason": "CanaryPauseStep", "startTime": "2026-11-26T03:00:00Z"}]
        status["controllerPause"] = True
    sim.store.patch("rollouts", "default", "demo", {"status": status}, MERGE, subresource="status")
    return created


def current(sim: Any) -> dict:
    return sim.store.get("rollouts", "default", "demo")


@pytest.fixture
def actions(sim: Any, proxy: RecordingProxy, tmp_path: Path) -> Actions:
    config = proxied_kubeconfig(sim, proxy, tmp_path / "kc")
    return Actions(load_contexts(config)[0], audit=AuditLog(tmp_path / "audit.jsonl"))


def run(actions: Actions, action_id: str, expected: RolloutState | None = None, **args: Any) -> Any:
    """One action as the UI and the CLI run it: the registry entry, on default/demo."""
    return actions.run(action(action_id), "default", "demo", expected, ActionArgs(now=NOW, **args))


def writes(proxy: RecordingProxy) -> list[tuple[str, str, str, Any]]:
    return [(r["method"], r["path"], r["content_type"], json.loads(r["body"])) for r in proxy.writes()]


def rv(sim: Any) -> str:
    return current(sim)["metadata"]["resourceVersion"]


def test_promote_paused_step_sends_the_plugin_status_patch_guarded_by_resource_version(
    sim: Any, proxy: RecordingProxy, actions: Actions
) -> None:
    seed_rollout(sim)
    before = rv(sim)
    result = run(actions, "promote")
    assert (result.ok, result.outcome, result.message) == (True, "applied", "rollout 'demo' promoted")
    assert writes(proxy) == [
        (
            "PATCH",
            f"{BASE}/status",
            MERGE,
            {"status": {"pauseConditions": None}, "metadata": {"resourceVersion": before}},
        )
    ]
    assert [r["method"] for r in proxy.requests] == ["GET", "PATCH"]
    assert "pauseConditions" not in current(sim)["status"]


def test_promote_manually_paused_also_unpauses_spec(
    sim: Any, proxy: RecordingProxy, actions: Actions
) -> None:
    seed_rollout(sim, spec_paused=True)
    assert run(actions, "promote").outcome == "applied"
    sent = writes(proxy)
    assert [(m, p, c) for m, p, c, _ in sent] == [("PATCH", f"{BASE}/status", MERGE), ("PATCH", BASE, MERGE)]
    assert sent[1][3] == {"spec": {"paused": False}}
    assert current(sim)["spec"]["paused"] is False


def test_promote_not_paused_moves_one_step_and_full_promotion(
    sim: Any, proxy: RecordingProxy, actions: Actions
) -> None:
    seed_rollout(sim, index=2, paused=False)
    assert run(actions, "promote").outcome == "applied"
    assert writes(proxy)[0][3]["status"] == {"pauseConditions": None, "currentStepIndex": 3}
    assert current(sim)["status"]["currentStepIndex"] == 3
    proxy.clear()
    result = run(actions, "promote_full")
    assert result.message == "rollout 'demo' fully promoted"
    assert writes(proxy)[0][1:3] == (f"{BASE}/status", MERGE)
    assert writes(proxy)[0][3]["status"] == {"promoteFull": True}
    assert current(sim)["status"]["promoteFull"] is True


@pytest.mark.parametrize(
    ("action", "path", "body", "message"),
    [
        ("abort", "/status", {"status": {"abort": True}}, "rollout 'demo' aborted"),
        ("retry", "/status", {"status": {"abort": False}}, "rollout 'demo' retried"),
        ("pause", "", {"spec": {"paused": True}}, "rollout 'demo' paused"),
        ("restart", "", {"spec": {"restartAt": "2026-11-26T04:00:00Z"}}, "rollout 'demo' restarts in 0s"),
    ],
)
def test_simple_actions_send_exactly_the_plugin_patch(
    sim: Any, proxy: RecordingProxy, actions: Actions, action: str, path: str, body: dict, message: str
) -> None:
    seed_rollout(sim)
    if action == "retry":
        sim.store.patch(
            "rollouts", "default", "demo", {"status": {"abort": True}}, MERGE, subresource="status"
        )
    before = rv(sim)
    result = run(actions, action)
    assert (result.outcome, result.message) == ("applied", message)
    [(method, sent_path, content_type, sent)] = writes(proxy)
    assert (method, sent_path, content_type) == ("PATCH", BASE + path, MERGE)
    assert sent == {**body, "metadata": {"resourceVersion": before}}
    obj = current(sim)
    section, values = next(iter(body.items()))
    for key, value in values.items():
        assert obj[section][key] == value


def test_status_not_found_falls_back_to_one_patch_on_the_main_resource(
    sim: Any, proxy: RecordingProxy, actions: Actions
) -> None:
    seed_rollout(sim, spec_paused=True)
    not_found = {
        "kind": "Status",
        "apiVersion": "v1",
        "status": "Failure",
        "reason": "NotFound",
        "code": 404,
        "message": "the server could not find the requested resource",
    }
    proxy.answer = lambda method, path: (404, not_found) if path.endswith("/status") else None
    result = run(actions, "promote")
    assert result.outcome == "applied"
    sent = writes(proxy)
    assert [(m, p) for m, p, _, _ in sent] == [("PATCH", f"{BASE}/status"), ("PATCH", BASE)]
    assert {k: v for k, v in sent[1][3].items() if k != "metadata"} == {
        "spec": {"paused": False},
        "status": {"pauseConditions": None},
    }
    assert current(sim)["spec"]["paused"] is False


def test_undo_sends_a_json_patch_of_the_old_template(
    sim: Any, proxy: RecordingProxy, actions: Actions
) -> None:
    ro = seed_rollout(sim)
    sim.store.create(
        "replicasets", replicaset("demo-old", "demo", owner=ro, revision="1", image="demo:0", hash_="old")
    )
    sim.store.create(
        "replicasets", replicaset("demo-new", "demo", owner=ro, revision="2", image="demo:1", hash_="new")
    )
    before = rv(sim)
    result = run(actions, "undo")
    assert (result.outcome, result.message) == ("applied", "rollout 'demo' undo")
    [(method, path, content_type, body)] = writes(proxy)
    assert (method, path, content_type) == ("PATCH", BASE, "application/json-patch+json")
    assert body == [
        {"op": "test", "path": "/metadata/resourceVersion", "value": before},
        {
            "op": "replace",
            "path": "/spec/template",
            "value": {
                "metadata": {"labels": {"app": "demo"}},
                "spec": {"containers": [{"name": "app", "image": "demo:0"}]},
            },
        },
    ]
    rs_list = [r for r in proxy.requests if "/replicasets" in r["path"]]
    assert rs_list and "labelSelector=app%3Ddemo" in rs_list[0]["query"]
    assert current(sim)["spec"]["template"]["spec"]["containers"][0]["image"] == "demo:0"
    proxy.clear()
    skipped = run(actions, "undo", revision=1)
    assert (skipped.ok, skipped.outcome) == (True, "noop")
    assert skipped.message == "skipped rollback (current template already matches revision 1)"
    assert writes(proxy) == []
    missing = run(actions, "undo", revision=9)
    assert (missing.ok, missing.message) == (False, "unable to find specified revision 9 in history")


def test_set_image_is_get_then_put(sim: Any, proxy: RecordingProxy, actions: Actions) -> None:
    seed_rollout(sim)
    result = run(actions, "set_image", container="app", image="demo:9")
    assert (result.outcome, result.message) == ("applied", 'rollout "demo" image updated')
    [(method, path, _, body)] = writes(proxy)
    assert (method, path) == ("PUT", BASE)
    assert body["spec"]["template"]["spec"]["containers"][0]["image"] == "demo:9"
    assert current(sim)["spec"]["template"]["spec"]["containers"][0]["image"] == "demo:9"
    bad = run(actions, "set_image", container="nope", image="x")
    assert bad.message == 'unable to find container named "nope"'


def test_stale_view_is_refused_without_writing(sim: Any, proxy: RecordingProxy, actions: Actions) -> None:
    seed_rollout(sim, index=1)
    seen = rollout_state(current(sim))
    # the rollout moves on (the controller, or another operator) before our operator confirms
    sim.store.patch(
        "rollouts", "default", "demo", {"status": {"currentStepIndex": 3}}, MERGE, subresource="status"
    )
    result = run(actions, "promote", expected=seen)
    assert (result.ok, result.outcome) == (False, "stale")
    assert result.message == "changed since you looked: now at step 3/4"
    assert writes(proxy) == []


def test_concurrent_double_promote_advances_exactly_one_step(sim: Any, tmp_path: Path) -> None:
    seed_rollout(sim, index=1, paused=False)
    seen = rollout_state(current(sim))
    config = str(sim.write_kubeconfig(tmp_path / "kc"))
    operators = [Actions(load_contexts(config)[0]) for _ in range(2)]
    barrier = threading.Barrier(2)
    results: list[Any] = [None, None]
    original_targets = [op._target for op in operators]

    def promote(i: int) -> None:
        def synced_target(spec: Any, namespace: str, name: str, _i: int = i) -> Any:
            target = original_targets[_i](spec, namespace, name)
            if results[_i] is None:  # both read the same state before either writes
                results[_i] = "read"
                barrier.wait(5)
            return target

        operators[i]._target = synced_target  # type: ignore[method-assign]
        results[i] = run(operators[i], "promote", expected=seen)

    threads = [threading.Thread(target=promote, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    outcomes = sorted(r.outcome for r in results)
    assert outcomes == ["applied", "stale"]
    stale = next(r for r in results if r.outcome == "stale")
    assert stale.message == "changed since you looked: now at step 2/4, not paused"
    assert current(sim)["status"]["currentStepIndex"] == 2


def test_network_failure_after_sending_is_unknown_and_never_retried(
    sim: Any, proxy: RecordingProxy, actions: Actions
) -> None:
    seed_rollout(sim)
    proxy.cut_after_forward = lambda method, path: method == "PATCH"
    result = run(actions, "abort")
    assert (result.ok, result.outcome) == (False, "unknown")
    assert result.message.startswith("outcome unknown, re-check the rollout")
    assert len(proxy.writes()) == 1  # exactly one attempt
    assert current(sim)["status"]["abort"] is True  # it did reach the server: hence "unknown"


def test_unreachable_server_is_failed_with_nothing_sent(sim: Any, tmp_path: Path) -> None:
    config = str(sim.write_kubeconfig(tmp_path / "kc"))
    context = load_contexts(config)[0]
    sim.stop()
    result = run(Actions(context, request_timeout=(1, 2)), "promote")
    assert (result.ok, result.outcome) == (False, "failed")
    assert "cannot reach the API server" in result.message


def test_denied_action_reported_with_its_reason_before_and_at_run_time(
    sim: Any, proxy: RecordingProxy, tmp_path: Path
) -> None:
    seed_rollout(sim)
    sim.add_user("viewer", "viewer-token", read_only_namespaces=["default"])
    config = proxied_kubeconfig(sim, proxy, tmp_path / "kc", user="viewer")
    audit = AuditLog(tmp_path / "audit.jsonl")
    actions = Actions(load_contexts(config)[0], audit=audit)
    allowed, reason = actions.can(action("promote"), "default")
    assert allowed is False
    assert "cannot patch rollouts/status in namespace default" in reason
    assert actions.can(action("promote"), "default") == (allowed, reason)
    reviews = [r for r in proxy.requests if r["path"].endswith("/selfsubjectaccessreviews")]
    assert len(reviews) == 1  # cached per context x namespace
    review = json.loads(reviews[0]["body"])["spec"]["resourceAttributes"]
    assert review == {
        "namespace": "default",
        "verb": "patch",
        "group": "argoproj.io",
        "resource": "rollouts",
        "subresource": "status",
    }
    result = run(actions, "promote")
    assert (result.ok, result.outcome) == (False, "denied")
    assert result.message.startswith("forbidden: ")
    assert "pauseConditions" in current(sim)["status"]
    [entry] = audit.entries()
    assert entry["outcome"] == "denied" and entry["action"] == "promote" and entry["user"].endswith("viewer")


def test_audit_trail_records_every_attempt_without_tokens(sim: Any, actions: Actions, tmp_path: Path) -> None:
    seed_rollout(sim)
    run(actions, "promote")
    run(actions, "promote", expected=rollout_state(rollout("demo")))  # stale
    text = (tmp_path / "audit.jsonl").read_text()
    assert sim.token not in text
    entries = [json.loads(line) for line in text.splitlines()]
    assert [e["outcome"] for e in entries] == ["applied", "stale"]
    first = entries[0]
    assert (first["context"], first["namespace"], first["name"], first["action"]) == (
        "sim",
        "default",
        "demo",
        "promote",
    )
    assert first["patch"][0]["body"]["status"] == {"pauseConditions": None}
    assert first["patch"][0]["subresource"] == "status"


def test_read_only_session_sends_zero_writes(sim: Any, proxy: RecordingProxy, tmp_path: Path) -> None:
    from kubernetes import client as kclient

    seed_rollout(sim)
    before = sim.store.resource_version
    config = proxied_kubeconfig(sim, proxy, tmp_path / "kc")
    fleet = Fleet(load_contexts(config), read_only=True, params=FAST).start()
    try:
        assert fleet.wait_synced(10)
        assert fleet.actions("sim") is None  # no write path exists
        detail = fleet.open_detail("sim", "default", "demo")
        assert detail.wait_synced(10)
        api = kclient.CustomObjectsApi(fleet.hub("sim").context.api_client)
        with pytest.raises(ReadOnlyViolation):
            api.patch_namespaced_custom_object_status(
                "argoproj.io", "v1alpha1", "default", "rollouts", "demo", {"status": {"abort": True}}
            )
        with pytest.raises(ReadOnlyViolation):
            kclient.AuthorizationV1Api(fleet.hub("sim").context.api_client).create_self_subject_access_review(
                {"spec": {"resourceAttributes": {"verb": "get"}}}
            )
        with pytest.raises(ValueError):
            Actions(fleet.hub("sim").context)
        detail.close()
    finally:
        fleet.stop()
    assert proxy.requests  # the session did talk to the server...
    assert proxy.writes() == []  # ...and never with anything but GET
    assert sim.store.resource_version == before
