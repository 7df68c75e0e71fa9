"""HTTP-level behaviour of the API server: paths, methods, errors as Status objects, paging."""

from __future__ import annotations

import json
from typing import Any

import pytest

from rollout_tui.sim import Simulator

from .conftest import Http

BASE = "/apis/argoproj.io/v1alpha1"


def rollout(name: str, ns: str | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name}
    if ns:
        meta["namespace"] = ns
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Rollout",
        "metadata": meta,
        "spec": {"replicas": 1},
    }


def assert_status(body: Any, code: int, reason: str) -> None:
    assert body["kind"] == "Status" and body["apiVersion"] == "v1" and body["status"] == "Failure"
    assert (body["code"], body["reason"]) == (code, reason)


def test_version_is_public_but_the_api_is_not(sim: Simulator) -> None:
    anonymous = Http(sim, token="")
    status, _, body = anonymous.request("GET", "/version")
    assert status == 200 and body["major"] == "1"
    status, _, body = anonymous.request("GET", "/apis")
    assert status == 401
    assert_status(body, 401, "Unauthorized")


def test_discovery_documents(http_client: Http) -> None:
    groups = http_client.request("GET", "/apis")[2]
    names = [g["name"] for g in groups["groups"]]
    assert {"argoproj.io", "apps", "authorization.k8s.io"} <= set(names)
    resources = http_client.request("GET", f"{BASE}")[2]["resources"]
    by_name = {r["name"]: r for r in resources}
    assert by_name["rollouts"]["shortNames"] == ["ro"] and by_name["rollouts"]["categories"] == ["all"]
    assert {"rollouts/status", "rollouts/scale"} <= set(by_name)
    assert by_name["rollouts/scale"]["kind"] == "Scale"
    index = http_client.request("GET", "/openapi/v3")[2]["paths"]
    url = index["apis/argoproj.io/v1alpha1"]["serverRelativeURL"]
    doc = http_client.request("GET", url)[2]
    patch = doc["paths"][f"{BASE}/namespaces/{{namespace}}/rollouts/{{name}}"]["patch"]
    assert patch["x-kubernetes-group-version-kind"] == {
        "group": "argoproj.io",
        "version": "v1alpha1",
        "kind": "Rollout",
    }
    assert "fieldValidation" in [p["name"] for p in patch["parameters"]]
    # Without the upstream CRDs (this module's simulator has none) every Argo kind gets a
    # permissive schema: known top-level fields, anything below (the CRD schemas are tested in
    # test_kubectl_upstream.py).
    schema = doc["components"]["schemas"]["io.argoproj.v1alpha1.Rollout"]
    assert schema["x-kubernetes-group-version-kind"] == [
        {"group": "argoproj.io", "version": "v1alpha1", "kind": "Rollout"}
    ]
    assert set(schema["properties"]) == {"apiVersion", "kind", "metadata", "spec", "status"}
    assert schema["properties"]["spec"]["x-kubernetes-preserve-unknown-fields"] is True
    meta_ref = schema["properties"]["metadata"]["allOf"][0]["$ref"]
    assert doc["components"]["schemas"][meta_ref.rsplit("/", 1)[1]]["properties"]["name"]["type"] == "string"


def test_create_checks_namespace_and_method(http_client: Http) -> None:
    status, _, body = http_client.request("POST", f"{BASE}/namespaces/srv/rollouts", rollout("a", "other"))
    assert status == 400 and "does not match the namespace" in body["message"]
    status, _, body = http_client.request("POST", f"{BASE}/namespaces/srv/rollouts", rollout("a"))
    assert status == 201 and body["metadata"]["namespace"] == "srv"
    status, _, body = http_client.request("POST", f"{BASE}/namespaces/srv/rollouts/a", rollout("a"))
    assert_status(body, 405, "MethodNotAllowed")
    status, _, body = http_client.request("POST", f"{BASE}/namespaces/srv/rollouts", rollout("a"))
    assert_status(body, 409, "AlreadyExists")
    assert body["details"] == {"name": "a", "group": "argoproj.io", "kind": "rollouts"}
    status, _, body = http_client.request("GET", f"{BASE}/namespaces/srv/widgets")
    assert_status(body, 404, "NotFound")


def test_put_rules(http_client: Http) -> None:
    created = http_client.request("POST", f"{BASE}/namespaces/put/rollouts", rollout("p"))[2]
    status, _, body = http_client.request(
        "PUT", f"{BASE}/namespaces/put/rollouts/missing", rollout("missing")
    )
    assert_status(body, 404, "NotFound")
    status, _, body = http_client.request("PUT", f"{BASE}/namespaces/put/rollouts/p", rollout("p"))
    assert_status(body, 422, "Invalid")
    updated = dict(created, spec={"replicas": 3}, status={"phase": "ignored"})
    status, _, body = http_client.request("PUT", f"{BASE}/namespaces/put/rollouts/p", updated)
    assert status == 200 and body["spec"] == {"replicas": 3} and "status" not in body
    assert body["metadata"]["generation"] == 2
    status, _, body = http_client.request(
        "PUT",
        f"{BASE}/namespaces/put/rollouts/p/status",
        dict(body, status={"phase": "Healthy"}, spec={"replicas": 9}),
    )
    assert status == 200 and body["status"] == {"phase": "Healthy"} and body["spec"] == {"replicas": 3}
    status, _, body = http_client.request("PUT", f"{BASE}/namespaces/put/rollouts/p", updated)
    assert_status(body, 409, "Conflict")


def test_limit_and_continue(sim: Simulator, http_client: Http) -> None:
    for i in range(5):
        sim.store.create("rollouts", rollout(f"r{i}", "page"))
    first = http_client.request("GET", f"{BASE}/namespaces/page/rollouts?limit=2")[2]
    assert [i["metadata"]["name"] for i in first["items"]] == ["r0", "r1"]
    assert first["metadata"]["remainingItemCount"] == 3
    token = first["metadata"]["continue"]
    rest = http_client.request("GET", f"{BASE}/namespaces/page/rollouts?limit=10&continue={token}")[2]
    assert [i["metadata"]["name"] for i in rest["items"]] == ["r2", "r3", "r4"]
    assert "continue" not in rest["metadata"]
    _, _, body = http_client.request("GET", f"{BASE}/namespaces/page/rollouts?continue=garbage")
    assert_status(body, 400, "BadRequest")


@pytest.mark.parametrize(
    ("query", "code", "reason"),
    [
        ("watch=maybe", 400, "BadRequest"),
        ("watch=true&resourceVersion=abc", 400, "BadRequest"),
        ("watch=true&sendInitialEvents=true", 422, "Invalid"),
        ("labelSelector=a%20in%20", 400, "BadRequest"),
        ("fieldSelector=spec.replicas%3D1", 400, "BadRequest"),
    ],
)
def test_bad_queries_are_status_errors(http_client: Http, query: str, code: int, reason: str) -> None:
    status, _, body = http_client.request("GET", f"{BASE}/rollouts?{query}")
    assert status == code
    assert_status(body, code, reason)


def test_bad_bodies(http_client: Http) -> None:
    conn = http_client.connection()
    try:
        conn.request(
            "POST",
            f"{BASE}/namespaces/x/rollouts",
            body=b"{not json",
            headers=http_client.headers("application/json"),
        )
        resp = conn.getresponse()
        assert resp.status == 400 and b"not valid JSON" in resp.read()
    finally:
        conn.close()
    conn = http_client.connection()
    try:
        conn.putrequest("POST", f"{BASE}/namespaces/x/rollouts")
        for key, value in http_client.headers("application/json").items():
            conn.putheader(key, value)
        conn.putheader("Content-Length", str(4 * 1024 * 1024))
        conn.endheaders()
        resp = conn.getresponse()
        assert resp.status == 413
    finally:
        conn.close()


def test_delete_collection_and_propagation(sim: Simulator, http_client: Http) -> None:
    owner = sim.store.create("rollouts", rollout("o", "coll"))
    ref = {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Rollout",
        "name": "o",
        "uid": owner["metadata"]["uid"],
    }
    sim.store.create(
        "replicasets",
        {"kind": "ReplicaSet", "metadata": {"name": "o-1", "namespace": "coll", "ownerReferences": [ref]}},
    )
    status, _, body = http_client.request(
        "DELETE", f"{BASE}/namespaces/coll/rollouts/o", {"propagationPolicy": "Orphan"}
    )
    assert status == 200 and body["metadata"]["name"] == "o"
    assert sim.store.list("replicasets", "coll")[0]  # orphaned, not deleted
    status, _, body = http_client.request("DELETE", "/apis/apps/v1/namespaces/coll/replicasets")
    assert status == 200 and body["kind"] == "ReplicaSetList" and len(body["items"]) == 1
    assert sim.store.list("replicasets", "coll")[0] == []


def test_scale_subresource_over_http(sim: Simulator, http_client: Http) -> None:
    sim.store.create("rollouts", rollout("s", "scale-http"))
    scale = http_client.request("GET", f"{BASE}/namespaces/scale-http/rollouts/s/scale")[2]
    assert scale["kind"] == "Scale" and scale["spec"] == {"replicas": 1}
    scale["spec"]["replicas"] = 4
    status, _, body = http_client.request("PUT", f"{BASE}/namespaces/scale-http/rollouts/s/scale", scale)
    assert status == 200 and body["spec"]["replicas"] == 4
    status, _, body = http_client.request("PUT", f"{BASE}/namespaces/scale-http/rollouts/s/scale", scale)
    assert_status(body, 409, "Conflict")  # the resourceVersion in the Scale is stale now
    assert sim.store.get("rollouts", "scale-http", "s")["spec"]["replicas"] == 4


def test_dry_run_changes_nothing(sim: Simulator, http_client: Http) -> None:
    rv = sim.store.resource_version
    status, _, body = http_client.request("POST", f"{BASE}/namespaces/dry/rollouts?dryRun=All", rollout("d"))
    assert status == 201 and body["metadata"]["name"] == "d" and "resourceVersion" not in body["metadata"]
    assert (
        sim.store.resource_version == rv
        and sim.store.list("namespaces", field_selector="metadata.name=dry")[0] == []
    )
    sim.store.create("rollouts", rollout("d", "dry"))
    rv = sim.store.resource_version
    status, _, body = http_client.request(
        "PATCH",
        f"{BASE}/namespaces/dry/rollouts/d?dryRun=All",
        {"spec": {"replicas": 7}},
        "application/merge-patch+json",
    )
    assert status == 200 and body["spec"]["replicas"] == 7 and body["metadata"]["generation"] == 2
    status, _, body = http_client.request("DELETE", f"{BASE}/namespaces/dry/rollouts/d?dryRun=All")
    assert status == 200
    assert sim.store.resource_version == rv
    assert sim.store.get("rollouts", "dry", "d")["spec"]["replicas"] == 1
    _, _, body = http_client.request("POST", f"{BASE}/namespaces/dry/rollouts?dryRun=Some", rollout("e"))
    assert_status(body, 400, "BadRequest")


def test_revoked_token_gets_401() -> None:
    with Simulator(controller=False) as sim:
        sim.add_user("temp", "temp-token")
        client = Http(sim, token="temp-token")
        assert client.request("GET", "/api/v1/namespaces")[0] == 200
        assert sim.revoke_token("temp-token") is True
        assert client.request("GET", "/api/v1/namespaces")[0] == 401
        assert sim.revoke_token("temp-token") is False


TABLE_ACCEPT = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"


def test_tables_for_lists_and_watches(sim: Simulator, http_client: Http) -> None:
    sim.store.create(
        "rollouts", {**rollout("t1", "tables"), "status": {"replicas": 1, "availableReplicas": 1}}, seed=True
    )
    conn = http_client.connection()
    try:
        conn.request(
            "GET",
            f"{BASE}/namespaces/tables/rollouts",
            headers={**http_client.headers(), "Accept": TABLE_ACCEPT},
        )
        resp = conn.getresponse()
        body = json.loads(resp.read())
    finally:
        conn.close()
    assert resp.getheader("Content-Type") == "application/json;as=Table;v=v1;g=meta.k8s.io"
    assert body["kind"] == "Table" and body["apiVersion"] == "meta.k8s.io/v1"
    assert [c["name"] for c in body["columnDefinitions"]] == [
        "Name",
        "Desired",
        "Current",
        "Up-to-date",
        "Available",
        "Age",
    ]
    (row,) = body["rows"]
    assert row["cells"][:5] == ["t1", 1, 1, None, 1]
    assert row["object"]["kind"] == "PartialObjectMetadata" and row["object"]["metadata"]["name"] == "t1"
    # Plain JSON first in Accept: a plain list.
    conn = http_client.connection()
    try:
        conn.request(
            "GET",
            f"{BASE}/namespaces/tables/rollouts",
            headers={**http_client.headers(), "Accept": "application/json"},
        )
        assert json.loads(conn.getresponse().read())["kind"] == "RolloutList"
    finally:
        conn.close()
    rv = sim.store.resource_version
    pool_headers = {**http_client.headers(), "Accept": TABLE_ACCEPT}
    stream = http_client.watch(
        f"{BASE}/namespaces/tables/rollouts?watch=true&resourceVersion=0", headers=pool_headers
    )
    try:
        first = stream.next()
        sim.store.patch("rollouts", "tables", "t1", {"spec": {"replicas": 2}}, "application/merge-patch+json")
        second = stream.next()
    finally:
        stream.close()
    assert first is not None and second is not None
    assert first["object"]["kind"] == "Table" and "columnDefinitions" in first["object"]
    assert second["type"] == "MODIFIED" and "columnDefinitions" not in second["object"]
    assert second["object"]["rows"][0]["cells"][1] == 2
    assert int(second["object"]["metadata"]["resourceVersion"]) > int(rv)


def test_human_durations() -> None:
    from rollout_tui.model.durations import human_duration

    cases = {
        -5: "<invalid>",
        -1: "0s",
        59: "59s",
        119: "119s",
        120: "2m",
        150: "2m30s",
        3600: "60m",
        3 * 3600 + 120: "3h2m",
        9 * 3600: "9h",
        50 * 3600: "2d2h",
        30 * 86400: "30d",
        800 * 86400: "2y70d",
        9 * 365 * 86400: "9y",
    }
    assert {s: human_duration(s) for s in cases} == cases
