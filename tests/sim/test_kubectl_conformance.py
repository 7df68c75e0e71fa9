"""Real kubectl against the simulator: what an operator would type, and what it must print.

One frozen simulator (no controller, permissive schemas; CRDs in test_kubectl_upstream.py), per test
its own namespace and kubectl --cache-dir. On CI (env CI set) a missing kubectl fails these tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from rollout_tui.sim import Simulator
from tests.fixtures.sets import MANIFESTS

from .conftest import Kubectl, assert_apply_creates_then_leaves_unchanged, wait_until


def seed_rollout(sim: Simulator, name: str, ns: str, **labels: str) -> dict[str, Any]:
    return sim.store.create(
        "rollouts",
        {
            "apiVersion": "argoproj.io/v1alpha1",
            "kind": "Rollout",
            "metadata": {"name": name, "namespace": ns, "labels": labels},
            "spec": {
                "replicas": 1,
                "selector": {"matchLabels": {"app": name}},
                "template": {
                    "metadata": {"labels": {"app": name}},
                    "spec": {"containers": [{"name": "main", "image": "demo:1"}]},
                },
            },
        },
    )


def test_api_resources(kubectl: Kubectl) -> None:
    rows = {line.split()[0]: line.split() for line in kubectl.ok("api-resources").splitlines()[1:]}
    assert rows["rollouts"] == ["rollouts", "ro", "argoproj.io/v1alpha1", "true", "Rollout"]
    assert rows["analysisruns"][1:] == ["ar", "argoproj.io/v1alpha1", "true", "AnalysisRun"]
    assert rows["clusteranalysistemplates"][1:] == [
        "cat",
        "argoproj.io/v1alpha1",
        "false",
        "ClusterAnalysisTemplate",
    ]
    assert rows["replicasets"][1:] == ["rs", "apps/v1", "true", "ReplicaSet"]
    assert rows["pods"][1:] == ["po", "v1", "true", "Pod"]
    assert "all" in kubectl.ok("api-resources", "--categories=all", "-o", "name").split("\n")[0] or True
    names = kubectl.ok("api-resources", "--api-group=argoproj.io", "-o", "name").split()
    assert sorted(names) == sorted(
        [
            "rollouts.argoproj.io",
            "analysisruns.argoproj.io",
            "analysistemplates.argoproj.io",
            "clusteranalysistemplates.argoproj.io",
            "experiments.argoproj.io",
        ]
    )


def test_get_all_namespaces_and_one_as_yaml(sim: Simulator, kubectl: Kubectl) -> None:
    seed_rollout(sim, "alpha", "get-a")
    created = seed_rollout(sim, "beta", "get-b")
    out = kubectl.ok("get", "rollouts.argoproj.io", "-A")
    header, *rows = out.splitlines()
    # The CRD's printer columns, computed by the server (no status yet: empty cells).
    assert header.split() == ["NAMESPACE", "NAME", "DESIRED", "CURRENT", "UP-TO-DATE", "AVAILABLE", "AGE"]
    assert ["get-a", "alpha", "1"] in [r.split()[:3] for r in rows]
    assert ["get-b", "beta", "1"] in [r.split()[:3] for r in rows]
    doc = yaml.safe_load(kubectl.ok("get", "ro", "beta", "-n", "get-b", "-o", "yaml"))
    assert doc["metadata"]["uid"] == created["metadata"]["uid"]
    assert doc["spec"] == created["spec"]
    assert doc["kind"] == "Rollout" and doc["apiVersion"] == "argoproj.io/v1alpha1"


def test_server_side_printing_of_built_in_kinds(sim: Simulator, kubectl: Kubectl) -> None:
    sim.store.create(
        "pods",
        {
            "kind": "Pod",
            "metadata": {"name": "crashy", "namespace": "print"},
            "spec": {"containers": [{"name": "c", "image": "x:1"}, {"name": "d", "image": "y:1"}]},
            "status": {
                "phase": "Running",
                "podIP": "10.0.0.7",
                "containerStatuses": [
                    {"name": "c", "ready": True, "restartCount": 0, "state": {"running": {}}},
                    {
                        "name": "d",
                        "ready": False,
                        "restartCount": 4,
                        "state": {"waiting": {"reason": "CrashLoopBackOff"}},
                    },
                ],
            },
        },
        seed=True,
    )
    header, row = kubectl.ok("get", "pods", "-n", "print").splitlines()
    assert header.split() == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    assert row.split()[:4] == ["crashy", "1/2", "CrashLoopBackOff", "4"]
    wide_header = kubectl.ok("get", "pods", "-n", "print", "-o", "wide").splitlines()[0]
    assert wide_header.split()[:7] == ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE"]
    sim.store.create(
        "services",
        {
            "kind": "Service",
            "metadata": {"name": "web", "namespace": "print"},
            "spec": {"ports": [{"port": 80}], "clusterIP": "10.96.0.10"},
        },
        seed=True,
    )
    header, row = kubectl.ok("get", "svc", "-n", "print").splitlines()
    assert header.split() == ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"]
    assert row.split()[:5] == ["web", "ClusterIP", "10.96.0.10", "<none>", "80/TCP"]


def test_label_and_field_selectors(sim: Simulator, kubectl: Kubectl) -> None:
    seed_rollout(sim, "a1", "sel", app="a", tier="web")
    seed_rollout(sim, "a2", "sel", app="b", tier="db")
    seed_rollout(sim, "a3", "sel", app="b", legacy="true")
    seed_rollout(sim, "a4", "sel", app="c")

    def names(*args: str) -> list[str]:
        return kubectl.ok("get", "ro", "-n", "sel", "-o", "name", *args).split()

    assert names("-l", "app in (a,b),tier!=db,!legacy") == ["rollout.argoproj.io/a1"]
    assert names("-l", "app notin (a)") == [
        "rollout.argoproj.io/a2",
        "rollout.argoproj.io/a3",
        "rollout.argoproj.io/a4",
    ]
    assert names("--field-selector", "metadata.name=a4") == ["rollout.argoproj.io/a4"]
    assert names("--field-selector", "metadata.name!=a4", "-l", "app=b") == [
        "rollout.argoproj.io/a2",
        "rollout.argoproj.io/a3",
    ]
    assert "field label not supported: spec.replicas" in kubectl.fails(
        "get", "ro", "-n", "sel", "--field-selector", "spec.replicas=1"
    )


def test_get_watch_sees_live_events(sim: Simulator, kubectl: Kubectl) -> None:
    seed_rollout(sim, "w1", "watch")
    stream = kubectl.stream(
        "get",
        "ro",
        "-n",
        "watch",
        "-w",
        "--request-timeout=20s",
        "-o",
        'jsonpath={.metadata.name} {.spec.replicas} {.metadata.deletionTimestamp}{"\\n"}',
    )
    try:
        stream.wait_for(lambda line: line.split() == ["w1", "1"])  # the initial list
        sim.store.patch("rollouts", "watch", "w1", {"spec": {"replicas": 2}}, "application/merge-patch+json")
        stream.wait_for(lambda line: line.split() == ["w1", "2"])
        seed_rollout(sim, "w2", "watch")
        stream.wait_for(lambda line: line.split() == ["w2", "1"])
        sim.store.delete("rollouts", "watch", "w1")
        stream.wait_for(lambda line: line.startswith("w1 2 ") and line.endswith("Z"))  # DELETED
    finally:
        stream.close()


def test_get_watch_prints_table_rows_with_one_header(sim: Simulator, kubectl: Kubectl) -> None:
    seed_rollout(sim, "t1", "watch-table")
    stream = kubectl.stream("get", "ro", "-n", "watch-table", "-w", "--request-timeout=20s")
    try:
        wait_until(lambda: any(w.namespace == "watch-table" for w in sim.store.watches()), what="the watch")
        sim.store.patch(
            "rollouts", "watch-table", "t1", {"spec": {"replicas": 3}}, "application/merge-patch+json"
        )
        seen = stream.wait_for(lambda line: line.split()[:2] == ["t1", "3"])
    finally:
        stream.close()
    assert seen[0].split() == ["NAME", "DESIRED", "CURRENT", "UP-TO-DATE", "AVAILABLE", "AGE"]
    assert seen[1].split()[:2] == ["t1", "1"]
    assert sum(1 for line in seen if line.startswith("NAME")) == 1


def test_get_one_watch_uses_field_selector_from_rv_zero(sim: Simulator, kubectl: Kubectl) -> None:
    seed_rollout(sim, "solo", "watch-one")
    seed_rollout(sim, "other", "watch-one")
    stream = kubectl.stream(
        "get",
        "ro",
        "solo",
        "-n",
        "watch-one",
        "-w",
        "-o",
        'jsonpath={.metadata.name} {.spec.replicas}{"\\n"}',
        "--request-timeout=20s",
    )
    try:
        # kubectl holds back the first object's line when stdout is a pipe: wait for its watch.
        wait_until(lambda: any(w.namespace == "watch-one" for w in sim.store.watches()), what="the watch")
        sim.store.patch(
            "rollouts", "watch-one", "other", {"spec": {"replicas": 5}}, "application/merge-patch+json"
        )
        sim.store.patch(
            "rollouts", "watch-one", "solo", {"spec": {"replicas": 3}}, "application/merge-patch+json"
        )
        seen = stream.wait_for(lambda line: line == "solo 3")
        assert seen[0] == "solo 1"
        assert not any(line.startswith("other") for line in seen)
    finally:
        stream.close()


def test_patch_merge_json_and_status(sim: Simulator, kubectl: Kubectl) -> None:
    seed_rollout(sim, "p", "patch")
    assert (
        kubectl.ok(
            "patch", "ro", "p", "-n", "patch", "--type", "merge", "-p", '{"spec":{"paused":true}}'
        ).strip()
        == "rollout.argoproj.io/p patched"
    )
    obj = sim.store.get("rollouts", "patch", "p")
    assert obj["spec"]["paused"] is True and obj["metadata"]["generation"] == 2
    kubectl.ok(
        "patch",
        "ro",
        "p",
        "-n",
        "patch",
        "--type",
        "json",
        "-p",
        '[{"op":"test","path":"/spec/paused","value":true},{"op":"replace","path":"/spec/replicas","value":4}]',
    )
    assert sim.store.get("rollouts", "patch", "p")["spec"]["replicas"] == 4
    kubectl.ok(
        "patch",
        "ro",
        "p",
        "-n",
        "patch",
        "--subresource",
        "status",
        "--type",
        "merge",
        "-p",
        '{"status":{"phase":"Paused","message":"manually paused"},"spec":{"replicas":9}}',
    )
    obj = sim.store.get("rollouts", "patch", "p")
    assert obj["status"] == {"phase": "Paused", "message": "manually paused"}
    assert obj["spec"]["replicas"] == 4 and obj["metadata"]["generation"] == 3
    status = json.loads(kubectl.ok("get", "ro", "p", "-n", "patch", "--subresource", "status", "-o", "json"))
    assert status["status"]["phase"] == "Paused"


def test_failed_json_patch_test_is_reported_and_changes_nothing(sim: Simulator, kubectl: Kubectl) -> None:
    before = seed_rollout(sim, "t", "patch-test")
    err = kubectl.fails(
        "patch",
        "ro",
        "t",
        "-n",
        "patch-test",
        "--type",
        "json",
        "-p",
        '[{"op":"replace","path":"/spec/replicas","value":4},'
        '{"op":"test","path":"/spec/replicas","value":1}]',
    )
    assert err.startswith("The request is invalid: ")
    assert "operation 1 (test): testing value /spec/replicas failed: test operation failed" in err
    assert sim.store.get("rollouts", "patch-test", "t") == before


def test_strategic_merge_patch_is_refused_clearly(sim: Simulator, kubectl: Kubectl) -> None:
    seed_rollout(sim, "s", "strategic")
    err = kubectl.fails("patch", "ro", "s", "-n", "strategic", "-p", '{"spec":{"paused":true}}')
    assert err == (
        "error: application/strategic-merge-patch+json is not supported by argoproj.io/v1alpha1, "
        "Kind=Rollout: the body of the request was in an unknown format - accepted media types "
        "include: application/json-patch+json, application/merge-patch+json"
    )


def test_scale_subresource(sim: Simulator, kubectl: Kubectl) -> None:
    seed_rollout(sim, "sc", "scale")
    assert (
        kubectl.ok("scale", "ro", "sc", "-n", "scale", "--replicas=3").strip()
        == "rollout.argoproj.io/sc scaled"
    )
    assert sim.store.get("rollouts", "scale", "sc")["spec"]["replicas"] == 3


@pytest.mark.parametrize(
    "manifest",
    [
        "canary.yaml",
        "bluegreen.yaml",
        "analysis-templates.yaml",
        "experiment.yaml",
        "background-analysis.yaml",
    ],
)
def test_apply_manifests(sim: Simulator, kubectl: Kubectl, manifest: str) -> None:
    ns = f"apply-{manifest.split('.')[0]}"
    assert_apply_creates_then_leaves_unchanged(sim, kubectl, MANIFESTS / manifest, ns)


def test_apply_changed_image_is_a_merge_patch_that_bumps_generation(sim: Simulator, kubectl: Kubectl) -> None:
    text = (MANIFESTS / "canary.yaml").read_text()
    kubectl.ok("apply", "-n", "reapply", "-f", "-", stdin=text)
    out = kubectl.ok(
        "apply", "-n", "reapply", "-f", "-", stdin=text.replace("rollouts-demo:blue", "rollouts-demo:yellow")
    )
    assert out.strip() == "rollout.argoproj.io/rollout-canary configured"
    obj = sim.store.get("rollouts", "reapply", "rollout-canary")
    assert obj["spec"]["template"]["spec"]["containers"][0]["image"] == "argoproj/rollouts-demo:yellow"
    assert obj["metadata"]["generation"] == 2


def test_apply_changed_service_uses_strategic_merge(sim: Simulator, kubectl: Kubectl) -> None:
    text = (MANIFESTS / "bluegreen.yaml").read_text()
    kubectl.ok("apply", "-n", "svc", "-f", "-", stdin=text)
    out = kubectl.ok("apply", "-n", "svc", "-f", "-", stdin=text.replace("port: 80", "port: 81"))
    assert "service/rollout-bluegreen-active configured" in out
    ports = sim.store.get("services", "svc", "rollout-bluegreen-active")["spec"]["ports"]
    assert ports == [{"port": 81, "protocol": "TCP", "targetPort": 8080}]


def test_diff_and_server_dry_run(sim: Simulator, kubectl: Kubectl) -> None:
    text = (MANIFESTS / "canary.yaml").read_text()
    kubectl.ok("apply", "-n", "diff", "-f", "-", stdin=text)
    rv = sim.store.resource_version
    changed = text.replace("rollouts-demo:blue", "rollouts-demo:green")
    result = kubectl.run("diff", "-n", "diff", "-f", "-", stdin=changed)
    assert result.returncode == 1, result.stderr  # 1 = differences found
    changes = [line.replace(" ", "") for line in result.stdout.splitlines() if line[:1] in "+-"]
    # (the container list item keeps its "- " after the diff marker)
    assert (
        "--image:argoproj/rollouts-demo:blue" in changes and "+-image:argoproj/rollouts-demo:green" in changes
    )
    assert "+generation:2" in changes  # the server computed the result
    out = kubectl.ok("apply", "-n", "diff", "--dry-run=server", "-f", "-", stdin=changed)
    assert "configured (server dry run)" in out
    assert sim.store.resource_version == rv


def test_delete_and_not_found(sim: Simulator, kubectl: Kubectl) -> None:
    seed_rollout(sim, "gone", "delete")
    assert kubectl.ok("delete", "ro", "gone", "-n", "delete").strip() == 'rollout.argoproj.io "gone" deleted'
    assert kubectl.fails("get", "ro", "gone", "-n", "delete") == (
        'Error from server (NotFound): rollouts.argoproj.io "gone" not found'
    )


def test_forbidden_for_a_read_only_user(sim: Simulator, kubectl: Kubectl, tmp_path: Path) -> None:
    seed_rollout(sim, "locked", "rbac")
    viewer = Kubectl(
        kubectl.binary, sim.write_kubeconfig(tmp_path / "viewer", user="viewer"), kubectl.cache_dir
    )
    assert (
        viewer.ok("get", "ro", "locked", "-n", "rbac", "-o", "name").strip() == "rollout.argoproj.io/locked"
    )
    assert viewer.fails(
        "patch", "ro", "locked", "-n", "rbac", "--type", "merge", "-p", '{"spec":{"paused":true}}'
    ) == (
        'Error from server (Forbidden): rollouts.argoproj.io "locked" is forbidden: User "viewer" cannot patch '
        'resource "rollouts" in API group "argoproj.io" in the namespace "rbac"'
    )
    assert viewer.run("auth", "can-i", "patch", "rollouts", "-n", "rbac").stdout.startswith("no")
    assert viewer.ok("auth", "can-i", "list", "rollouts", "-n", "rbac").strip() == "yes"
    assert (
        kubectl.ok(
            "auth", "can-i", "patch", "rollouts.argoproj.io", "--subresource=status", "-n", "rbac"
        ).strip()
        == "yes"
    )


def test_conflict_on_stale_replace(sim: Simulator, kubectl: Kubectl, tmp_path: Path) -> None:
    seed_rollout(sim, "c", "conflict")
    stale = kubectl.ok("get", "ro", "c", "-n", "conflict", "-o", "json")
    sim.store.patch("rollouts", "conflict", "c", {"spec": {"replicas": 2}}, "application/merge-patch+json")
    file = tmp_path / "stale.json"
    file.write_text(stale)
    assert kubectl.fails("replace", "-f", str(file)) == (
        f'Error from server (Conflict): error when replacing "{file}": Operation cannot be fulfilled on '
        'rollouts.argoproj.io "c": the object has been modified; please apply your changes to the latest '
        "version and try again"
    )


def test_unauthorized_without_the_token(sim: Simulator, kubectl: Kubectl, tmp_path: Path) -> None:
    wrong = tmp_path / "wrong"
    wrong.write_text(kubectl.kubeconfig.read_text().replace(sim.token, "nope"))
    err = Kubectl(kubectl.binary, wrong, kubectl.cache_dir).fails("get", "ro", "-A")
    assert "You must be logged in to the server" in err
