"""undo and set image on a rollout with spec.workloadRef write the workload, not the Rollout
(cmd/undo/undo.go undoWorkloadRef, cmd/set/set_image.go SetImage): on the wire, from the kube
layer and from the CLI, against the simulator."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rollout_tui.kube.actions import Actions
from rollout_tui.kube.config import load_contexts
from rollout_tui.model.actions import ActionArgs, action

from .conftest import RecordingProxy, proxied_kubeconfig, replicaset

JSON_PATCH = "application/json-patch+json"
DEPLOY = "/apis/apps/v1/namespaces/default/deployments/web"


def template(image: str) -> dict[str, Any]:
    return {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "app", "image": image}]}}


def seed(sim: Any, kind: str = "Deployment") -> dict[str, Any]:
    """A workloadRef rollout at revision 2 (web:2) with its revision 1 (web:1) still there."""
    if kind == "Deployment":
        sim.store.create(
            "deployments",
            {
                "apiVersion": "apps/v1",
                "kind": "Deployment",
                "metadata": {"name": "web", "namespace": "default"},
                "spec": {
                    "replicas": 0,
                    "selector": {"matchLabels": {"app": "web"}},
                    "template": template("web:2"),
                },
            },
        )
    else:
        sim.store.create(
            "podtemplates",
            {
                "apiVersion": "v1",
                "kind": "PodTemplate",
                "metadata": {"name": "web", "namespace": "default"},
                "template": template("web:2"),
            },
        )
    api = "apps/v1" if kind == "Deployment" else "v1"
    ro = sim.store.create(
        "rollouts",
        {
            "apiVersion": "argoproj.io/v1alpha1",
            "kind": "Rollout",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {
                "replicas": 1,
                "selector": {"matchLabels": {"app": "web"}},
                "workloadRef": {"apiVersion": api, "kind": kind, "name": "web"},
                "strategy": {"canary": {"steps": [{"setWeight": 50}, {"pause": {}}]}},
            },
        },
    )
    for revision, image, hash_ in (("1", "web:1", "h1"), ("2", "web:2", "h2")):
        rs = replicaset(f"web-{hash_}", "web", owner=ro, revision=revision, image=image, hash_=hash_)
        rs["metadata"]["ownerReferences"][0]["kind"] = "Rollout"
        sim.store.create("replicasets", rs)
    return ro


@pytest.fixture
def actions(sim: Any, proxy: RecordingProxy, tmp_path: Path) -> Actions:
    return Actions(load_contexts(proxied_kubeconfig(sim, proxy, tmp_path / "kc"))[0])


def rollout_version(sim: Any) -> str:
    return str(sim.store.get("rollouts", "default", "web")["metadata"]["resourceVersion"])


def test_undo_patches_the_deployment_with_the_revisions_template_not_the_rollout(
    sim: Any, proxy: RecordingProxy, actions: Actions
) -> None:
    seed(sim)
    before = rollout_version(sim)
    deploy_rv = sim.store.get("deployments", "default", "web")["metadata"]["resourceVersion"]
    result = actions.run(action("undo"), "default", "web", None, ActionArgs())
    assert (result.ok, result.message) == (True, "rollout 'web' undo")
    [write] = proxy.writes()
    assert (write["method"], write["path"], write["content_type"]) == ("PATCH", DEPLOY, JSON_PATCH)
    body = json.loads(write["body"])
    # the guard's precondition is the Deployment's own resourceVersion (it is the object written)
    assert body[0] == {"op": "test", "path": "/metadata/resourceVersion", "value": deploy_rv}
    assert body[1]["op"] == "replace" and body[1]["path"] == "/spec/template"
    assert body[1]["value"]["spec"]["containers"][0]["image"] == "web:1"
    assert "rollouts-pod-template-hash" not in body[1]["value"]["metadata"]["labels"]
    deployment = sim.store.get("deployments", "default", "web")
    assert deployment["spec"]["template"]["spec"]["containers"][0]["image"] == "web:1"
    assert rollout_version(sim) == before  # the Rollout was not written


def test_undo_to_the_template_the_deployment_runs_sends_nothing(
    sim: Any, proxy: RecordingProxy, actions: Actions
) -> None:
    seed(sim)
    result = actions.run(action("undo"), "default", "web", None, ActionArgs(revision=2))
    assert (result.ok, result.outcome) == (True, "noop")
    assert result.message == "skipped rollback (current template already matches revision 2)"
    assert proxy.writes() == []


def test_undo_of_a_podtemplate_reference_patches_its_template(
    sim: Any, proxy: RecordingProxy, actions: Actions
) -> None:
    seed(sim, kind="PodTemplate")
    result = actions.run(action("undo"), "default", "web", None, ActionArgs())
    assert result.ok, result.message
    [write] = proxy.writes()
    assert write["path"] == "/api/v1/namespaces/default/podtemplates/web"
    assert json.loads(write["body"])[1]["path"] == "/template"
    assert (
        sim.store.get("podtemplates", "default", "web")["template"]["spec"]["containers"][0]["image"]
        == "web:1"
    )


def test_set_image_puts_the_deployment_with_the_plugins_message(
    sim: Any, proxy: RecordingProxy, actions: Actions
) -> None:
    seed(sim)
    before = rollout_version(sim)
    result = actions.run(
        action("set_image"), "default", "web", None, ActionArgs(container="app", image="web:3")
    )
    assert (result.ok, result.message) == (True, 'deployment "web" image updated')
    [write] = proxy.writes()
    assert (write["method"], write["path"]) == ("PUT", DEPLOY)
    deployment = sim.store.get("deployments", "default", "web")
    assert deployment["spec"]["template"]["spec"]["containers"][0]["image"] == "web:3"
    assert rollout_version(sim) == before


def test_the_cli_undo_and_set_image_write_the_deployment(
    sim: Any, proxy: RecordingProxy, tmp_path: Path
) -> None:
    from rollout_tui.cli import main

    seed(sim)
    config = proxied_kubeconfig(sim, proxy, tmp_path / "kc")
    before = rollout_version(sim)
    assert main(["--kubeconfig", config, "-n", "default", "undo", "web"]) == 0
    assert main(["--kubeconfig", config, "-n", "default", "set", "image", "web", "app=web:9"]) == 0
    assert [(w["method"], w["path"]) for w in proxy.writes()] == [("PATCH", DEPLOY), ("PUT", DEPLOY)]
    assert (
        sim.store.get("deployments", "default", "web")["spec"]["template"]["spec"]["containers"][0]["image"]
        == "web:9"
    )
    assert rollout_version(sim) == before


def test_rbac_of_a_workload_rollouts_undo_asks_for_the_deployment() -> None:
    from rollout_tui.model.state import rollout_state

    state = rollout_state(
        {"metadata": {"name": "web"}, "spec": {"workloadRef": {"kind": "Deployment", "name": "web"}}}
    )
    wanted = {(p.verb, p.group, p.resource) for p in action("undo").permissions_for(state)}
    assert ("patch", "apps", "deployments") in wanted and ("patch", "argoproj.io", "rollouts") not in wanted
    assert {(p.verb, p.resource) for p in action("set_image").permissions_for(state)} == {
        ("update", "deployments")
    }
