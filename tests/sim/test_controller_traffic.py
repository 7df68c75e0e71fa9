"""Traffic-routed canaries: status.canary.weights, ceil(weight x replicas) canary sizing, the stable
kept at full size, setCanaryScale, and the scale-down delay after promotion."""

from __future__ import annotations

from rollout_tui.sim.controller.harness import Harness

NAME = "web"


def _rollout(steps: list[dict], replicas: int = 4) -> list[dict]:
    labels = {"app": NAME}
    services = [
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": f"{NAME}-{role}"},
            "spec": {"selector": dict(labels), "ports": [{"port": 80}]},
        }
        for role in ("stable", "canary")
    ]
    return [
        *services,
        {
            "apiVersion": "argoproj.io/v1alpha1",
            "kind": "Rollout",
            "metadata": {"name": NAME},
            "spec": {
                "replicas": replicas,
                "selector": {"matchLabels": labels},
                "template": {
                    "metadata": {"labels": labels},
                    "spec": {"containers": [{"name": "app", "image": "demo:blue"}]},
                },
                "strategy": {
                    "canary": {
                        "canaryService": f"{NAME}-canary",
                        "stableService": f"{NAME}-stable",
                        "trafficRouting": {"nginx": {"stableIngress": "web"}},
                        "steps": steps,
                    }
                },
            },
        },
    ]


def _replicas(h: Harness, digest: str) -> int:
    return h.rs_for_hash(NAME, digest)["spec"]["replicas"]


def test_weights_follow_the_steps_and_the_stable_keeps_full_size() -> None:
    h = Harness()
    h.apply(_rollout([{"setWeight": 30}, {"pause": {}}, {"setWeight": 60}, {"pause": {}}]))
    assert h.run_until(lambda: h.phase(NAME) == "Healthy", 30)
    stable = h.status(NAME)["stableRS"]
    assert h.status(NAME)["canary"]["weights"]["canary"]["weight"] == 0
    h.set_image(NAME, "demo:green")
    canary = h.status(NAME)["currentPodHash"]
    assert h.run_until(lambda: h.phase(NAME) == "Paused", 30)
    weights = h.status(NAME)["canary"]["weights"]
    assert weights == {
        "canary": {"podTemplateHash": canary, "serviceName": f"{NAME}-canary", "weight": 30},
        "stable": {"podTemplateHash": stable, "serviceName": f"{NAME}-stable", "weight": 70},
    }
    assert (_replicas(h, canary), _replicas(h, stable)) == (2, 4)  # ceil(0.3 * 4) = 2; stable untouched
    svc = h.store.get("services", "default", f"{NAME}-canary")
    assert svc["spec"]["selector"]["rollouts-pod-template-hash"] == canary
    h.promote(NAME)
    assert h.run_until(lambda: h.phase(NAME) == "Paused", 30)
    assert h.status(NAME)["canary"]["weights"]["canary"]["weight"] == 60
    assert (_replicas(h, canary), _replicas(h, stable)) == (3, 4)
    messages = [e["message"] for e in h.events("TrafficWeightUpdated")]
    assert (
        "Traffic weight updated from 0 to 30" in messages
        and "Traffic weight updated from 30 to 60" in messages
    )
    h.promote(NAME)
    assert h.run_until(lambda: h.phase(NAME) == "Healthy", 30)
    weights = h.status(NAME)["canary"]["weights"]
    assert weights["canary"]["weight"] == 0 and weights["stable"]["podTemplateHash"] == canary
    old = h.rs_for_hash(NAME, stable)
    assert old["spec"]["replicas"] == 4 and "scale-down-deadline" in old["metadata"]["annotations"]
    h.tick(31)
    assert _replicas(h, stable) == 0


def test_abort_sets_the_canary_weight_to_zero() -> None:
    h = Harness()
    h.apply(_rollout([{"setWeight": 50}, {"pause": {}}]))
    assert h.run_until(lambda: h.phase(NAME) == "Healthy", 30)
    h.set_image(NAME, "demo:green")
    assert h.run_until(lambda: h.phase(NAME) == "Paused", 30)
    h.abort(NAME)
    canary = h.status(NAME)["currentPodHash"]
    assert h.status(NAME)["canary"]["weights"]["canary"]["weight"] == 0
    assert _replicas(h, canary) == 2  # abortScaleDownDelaySeconds (30 s) before the pods go
    assert "scale-down-deadline" in h.rs_for_hash(NAME, canary)["metadata"]["annotations"]
    h.tick(31)
    assert _replicas(h, canary) == 0


def test_set_canary_scale_sizes_the_canary_independently_of_the_weight() -> None:
    h = Harness()
    h.apply(
        _rollout(
            [
                {"setCanaryScale": {"replicas": 1}},
                {"setWeight": 10},
                {"pause": {}},
                {"setCanaryScale": {"weight": 75}},
                {"pause": {}},
                {"setCanaryScale": {"matchTrafficWeight": True}},
                {"setWeight": 50},
                {"pause": {}},
            ]
        )
    )
    assert h.run_until(lambda: h.phase(NAME) == "Healthy", 30)
    h.set_image(NAME, "demo:green")
    canary = h.status(NAME)["currentPodHash"]
    assert h.run_until(lambda: h.phase(NAME) == "Paused", 30)
    assert h.status(NAME)["currentStepIndex"] == 2
    assert _replicas(h, canary) == 1 and h.status(NAME)["canary"]["weights"]["canary"]["weight"] == 10
    h.promote(NAME)
    assert h.run_until(lambda: h.phase(NAME) == "Paused", 30)
    assert _replicas(h, canary) == 3  # ceil(0.75 * 4)
    assert any(
        e["message"] == "Rollout step 4/8 completed (setCanaryScale{weight: 75})"
        for e in h.events("RolloutStepCompleted")
    )
    h.promote(NAME)
    assert h.run_until(lambda: h.status(NAME)["currentStepIndex"] == 7, 30)
    assert _replicas(h, canary) == 2  # back to matching the 50% weight


def test_ping_pong_flips_the_stable_side_on_each_promotion() -> None:
    h = Harness()
    docs = _rollout([{"setWeight": 50}])
    docs[-1]["spec"]["strategy"]["canary"]["pingPong"] = {
        "pingService": "web-ping",
        "pongService": "web-pong",
    }
    h.apply(docs)
    assert h.run_until(lambda: h.phase(NAME) == "Healthy", 30)
    assert h.status(NAME)["canary"]["stablePingPong"] == "ping"
    h.set_image(NAME, "demo:green")
    assert h.run_until(lambda: h.phase(NAME) == "Healthy", 30)
    assert h.status(NAME)["canary"]["stablePingPong"] == "pong"
