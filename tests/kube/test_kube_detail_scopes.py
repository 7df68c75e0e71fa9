"""The detail's watches that follow a rollout's objects, over real HTTP: one Event watch per
object it owns (field selector involvedObject.name), started when the object appears and
stopped when it goes; events of another object that had the same name are not its; the routers
and the workload the rollout names, each watched by name; the fleet's Warning events."""

from __future__ import annotations

from typing import Any

from rollout_tui.kube.config import load_contexts
from rollout_tui.kube.fleet import Fleet

from .conftest import FAST, pod, replicaset, rollout, wait_for


def event(
    name: str, kind: str, obj: str, uid: str = "", type_: str = "Warning", reason: str = "BackOff"
) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {"name": name, "namespace": "default"},
        "involvedObject": {"kind": kind, "name": obj, "namespace": "default", "uid": uid},
        "type": type_,
        "reason": reason,
        "message": f"{reason} of {obj}",
        "count": 1,
        "lastTimestamp": "2026-01-01T00:00:00Z",
    }


def names(detail: Any, kind: str) -> list[str]:
    return sorted(o["metadata"]["name"] for o in detail.raw_objects() if o["kind"] == kind)


def event_scopes(detail: Any) -> set[str]:
    return {r.scope.field_selector for r in detail.all_reflectors() if r.kind.kind == "Event"}


def test_events_of_each_owned_object_come_and_go_with_it(sim: Any, kubeconfig: str) -> None:
    ro = sim.store.create("rollouts", rollout("demo", app="demo"))
    rs = sim.store.create("replicasets", replicaset("demo-abc", "demo", owner=ro))
    first = sim.store.create("pods", pod("demo-abc-1", "demo", owner=rs))
    sim.store.create("events", event("e1", "Pod", "demo-abc-1", first["metadata"]["uid"]))
    sim.store.create("events", event("e2", "Pod", "demo-abc-1", "an-older-pod-of-that-name"))
    sim.store.create("events", event("e3", "Pod", "elsewhere-1"))  # not the rollout's
    sim.store.create(
        "events", event("e4", "ReplicaSet", "demo-abc", rs["metadata"]["uid"], "Normal", "Scaled")
    )
    fleet = Fleet(load_contexts(kubeconfig), params=FAST, overview=False).start()
    try:
        detail = fleet.open_detail("sim", "default", "demo")
        assert detail.wait_synced(10)
        wait_for(
            lambda: names(detail, "Event") == ["e1", "e4"], message="the pod's and the ReplicaSet's events"
        )
        assert "involvedObject.name=demo-abc-1" in event_scopes(detail)
        second = sim.store.create("pods", pod("demo-abc-2", "demo", owner=rs))
        wait_for(
            lambda: "involvedObject.name=demo-abc-2" in event_scopes(detail),
            message="a watch for the new pod",
        )
        sim.store.create("events", event("e5", "Pod", "demo-abc-2", second["metadata"]["uid"]))
        wait_for(lambda: "e5" in names(detail, "Event"), message="the new pod's event")
        sim.store.delete("pods", "default", "demo-abc-2")
        wait_for(lambda: "demo-abc-2" not in names(detail, "Pod"), message="the pod gone")
        detail.refresh_scopes()
        assert "involvedObject.name=demo-abc-2" not in event_scopes(detail)
        assert "e5" not in names(detail, "Event")  # its watch was released with it
        detail.close()
        wait_for(lambda: not sim.store.watches(), message="every watch closed")
    finally:
        fleet.stop()


def test_the_routers_and_the_workload_named_by_the_rollout_are_watched_by_name(
    sim: Any, kubeconfig: str
) -> None:
    ro = rollout("web", app="web")
    ro["spec"]["strategy"] = {
        "canary": {
            "canaryService": "web-canary",
            "stableService": "web-stable",
            "trafficRouting": {"nginx": {"stableIngress": "web-ingress"}},
            "steps": [{"setWeight": 30}],
        }
    }
    ro["spec"].pop("template")
    ro["spec"]["workloadRef"] = {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"}
    sim.store.create("rollouts", ro)
    canary_ingress = {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": {
            "name": "web-web-ingress-canary",
            "namespace": "default",
            "annotations": {
                "nginx.ingress.kubernetes.io/canary": "true",
                "nginx.ingress.kubernetes.io/canary-weight": "10",
            },
        },
        "spec": {"rules": []},
    }
    sim.store.create("ingresses", canary_ingress)
    sim.store.create(
        "ingresses", {**canary_ingress, "metadata": {"name": "unrelated", "namespace": "default"}}
    )
    sim.store.create(
        "deployments",
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {
                "selector": {"matchLabels": {"app": "web"}},
                "template": {
                    "metadata": {"labels": {"app": "web"}},
                    "spec": {"containers": [{"name": "app", "image": "web:2"}]},
                },
            },
        },
    )
    fleet = Fleet(load_contexts(kubeconfig), params=FAST, overview=False).start()
    try:
        detail = fleet.open_detail("sim", "default", "web")
        assert detail.wait_synced(10)
        wait_for(lambda: names(detail, "Ingress") == ["web-web-ingress-canary"], message="the canary Ingress")
        wait_for(lambda: names(detail, "Deployment") == ["web"], message="the workload")
        scopes = {(r.kind.kind, r.scope.field_selector) for r in detail.all_reflectors()}
        assert ("Ingress", "metadata.name=web-web-ingress-canary") in scopes
        assert ("Deployment", "metadata.name=web") in scopes
        from rollout_tui.model.rollout import rollout_info

        info = rollout_info(detail.rollout(), detail.objects())
        assert [(r.kind, r.canary) for r in info.traffic.routers] == [("Ingress", 10)]
        assert [c.image for c in info.containers] == ["web:2"]  # the workload's template
        detail.close()
    finally:
        fleet.stop()


def test_the_overview_watches_warning_events_only(sim: Any, kubeconfig: str) -> None:
    sim.store.create("events", event("w", "Pod", "demo-abc-1"))
    sim.store.create("events", event("n", "Pod", "demo-abc-1", type_="Normal", reason="Pulled"))
    fleet = Fleet(load_contexts(kubeconfig), params=FAST).start()
    try:
        assert fleet.wait_synced(10)
        wait_for(
            lambda: [e["metadata"]["name"] for e in fleet.warning_events().get("sim", [])] == ["w"],
            message="the Warning",
        )
        scopes = [r.scope.field_selector for r in fleet.hub("sim").reflectors() if r.kind.kind == "Event"]
        assert scopes == ["type=Warning"]
    finally:
        fleet.stop()
