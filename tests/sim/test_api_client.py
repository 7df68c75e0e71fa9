"""The `kubernetes` Python client against the simulator over real HTTPS."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException

from rollout_tui.sim import Simulator

GROUP, VERSION = "argoproj.io", "v1alpha1"


def rollout(name: str, ns: str = "default", **labels: str) -> dict[str, Any]:
    return {
        "apiVersion": f"{GROUP}/{VERSION}",
        "kind": "Rollout",
        "metadata": {"name": name, "namespace": ns, "labels": labels},
        "spec": {
            "replicas": 1,
            "paused": False,
            "template": {"spec": {"containers": [{"name": "c", "image": "a:1"}]}},
        },
    }


@pytest.fixture(scope="module")
def api(kubeconfig: Path) -> Iterator[client.ApiClient]:
    api_client = config.new_client_from_config(str(kubeconfig))
    yield api_client
    api_client.close()


@pytest.fixture
def custom(api: client.ApiClient) -> client.CustomObjectsApi:
    return client.CustomObjectsApi(api)


def test_create_get_list(custom: client.CustomObjectsApi) -> None:
    created = custom.create_namespaced_custom_object(
        GROUP, VERSION, "client", "rollouts", rollout("one", "client")
    )
    assert created["metadata"]["generation"] == 1
    got = custom.get_namespaced_custom_object(GROUP, VERSION, "client", "rollouts", "one")
    assert got["metadata"]["uid"] == created["metadata"]["uid"]
    listed = custom.list_cluster_custom_object(GROUP, VERSION, "rollouts")
    assert listed["kind"] == "RolloutList"
    assert "one" in [i["metadata"]["name"] for i in listed["items"]]
    assert all(i["kind"] == "Rollout" for i in listed["items"])


def test_list_then_watch_with_bookmarks(sim: Simulator, custom: client.CustomObjectsApi) -> None:
    custom.create_namespaced_custom_object(GROUP, VERSION, "bm", "rollouts", rollout("w", "bm"))
    listed = custom.list_namespaced_custom_object(GROUP, VERSION, "bm", "rollouts")
    rv = listed["metadata"]["resourceVersion"]

    def writer() -> None:
        time.sleep(0.2)
        sim.store.patch("rollouts", "bm", "w", {"spec": {"replicas": 2}}, "application/merge-patch+json")

    threading.Thread(target=writer, daemon=True).start()
    seen: list[str] = []
    w = watch.Watch()
    for event in w.stream(
        custom.list_namespaced_custom_object,
        GROUP,
        VERSION,
        "bm",
        "rollouts",
        resource_version=rv,
        allow_watch_bookmarks=True,
        timeout_seconds=3,
        _request_timeout=(3, 5),
    ):
        seen.append(event["type"])
        if "MODIFIED" in seen and "BOOKMARK" in seen:
            w.stop()
    assert seen[0] == "MODIFIED"
    assert "BOOKMARK" in seen
    # The client tracked the bookmark's resourceVersion: it is the store's current one.
    assert w.resource_version == sim.store.resource_version


def test_forced_410_reaches_the_client(sim: Simulator, custom: client.CustomObjectsApi) -> None:
    custom.create_namespaced_custom_object(GROUP, VERSION, "expire", "rollouts", rollout("x", "expire"))
    rv = custom.list_namespaced_custom_object(GROUP, VERSION, "expire", "rollouts")["metadata"][
        "resourceVersion"
    ]
    sim.store.patch("rollouts", "expire", "x", {"spec": {"replicas": 3}}, "application/merge-patch+json")
    sim.faults.expire()
    w = watch.Watch()
    with pytest.raises(ApiException) as err:
        for _ in w.stream(
            custom.list_namespaced_custom_object,
            GROUP,
            VERSION,
            "expire",
            "rollouts",
            resource_version=rv,
            timeout_seconds=2,
            _request_timeout=(3, 5),
        ):
            pass
    assert err.value.status == 410
    assert "too old resource version" in str(err.value.reason)


def test_json_patch_with_failing_test_is_rejected_whole(custom: client.CustomObjectsApi) -> None:
    custom.create_namespaced_custom_object(GROUP, VERSION, "jp", "rollouts", rollout("p", "jp"))
    ops = [
        {"op": "replace", "path": "/spec/replicas", "value": 9},
        {"op": "test", "path": "/spec/paused", "value": True},
    ]
    with pytest.raises(ApiException) as err:
        custom.patch_namespaced_custom_object(
            GROUP, VERSION, "jp", "rollouts", "p", ops, _content_type="application/json-patch+json"
        )
    assert err.value.status == 422
    assert json.loads(err.value.body)["reason"] == "Invalid"
    assert custom.get_namespaced_custom_object(GROUP, VERSION, "jp", "rollouts", "p")["spec"]["replicas"] == 1
    ops[1]["value"] = False
    patched = custom.patch_namespaced_custom_object(
        GROUP, VERSION, "jp", "rollouts", "p", ops, _content_type="application/json-patch+json"
    )
    assert patched["spec"]["replicas"] == 9 and patched["metadata"]["generation"] == 2


def test_status_subresource_patch(custom: client.CustomObjectsApi) -> None:
    custom.create_namespaced_custom_object(GROUP, VERSION, "st", "rollouts", rollout("s", "st"))
    out = custom.patch_namespaced_custom_object_status(
        GROUP, VERSION, "st", "rollouts", "s", {"status": {"phase": "Paused"}, "spec": {"replicas": 5}}
    )
    assert out["status"] == {"phase": "Paused"} and out["spec"]["replicas"] == 1


def test_401_without_a_valid_token(sim: Simulator, kubeconfig: Path, tmp_path: Path) -> None:
    wrong = tmp_path / "wrong"
    wrong.write_text(kubeconfig.read_text().replace(sim.token, "not-the-token"))
    api_client = config.new_client_from_config(str(wrong))
    with pytest.raises(ApiException) as err:
        client.CustomObjectsApi(api_client).list_cluster_custom_object(GROUP, VERSION, "rollouts")
    api_client.close()
    assert err.value.status == 401
    assert json.loads(err.value.body)["reason"] == "Unauthorized"


def test_403_for_a_read_only_user(sim: Simulator, tmp_path: Path, custom: client.CustomObjectsApi) -> None:
    custom.create_namespaced_custom_object(GROUP, VERSION, "ro", "rollouts", rollout("r", "ro"))
    viewer_config = sim.write_kubeconfig(tmp_path / "viewer", user="viewer")
    viewer = config.new_client_from_config(str(viewer_config))
    try:
        api = client.CustomObjectsApi(viewer)
        assert (
            api.get_namespaced_custom_object(GROUP, VERSION, "ro", "rollouts", "r")["metadata"]["name"] == "r"
        )
        with pytest.raises(ApiException) as err:
            api.patch_namespaced_custom_object(
                GROUP, VERSION, "ro", "rollouts", "r", {"spec": {"paused": True}}
            )
        assert err.value.status == 403
        body = json.loads(err.value.body)
        assert body["message"] == (
            'rollouts.argoproj.io "r" is forbidden: User "viewer" cannot patch resource '
            '"rollouts" in API group "argoproj.io" in the namespace "ro"'
        )
        review = client.AuthorizationV1Api(viewer).create_self_subject_access_review(
            client.V1SelfSubjectAccessReview(
                spec=client.V1SelfSubjectAccessReviewSpec(
                    resource_attributes=client.V1ResourceAttributes(
                        group=GROUP, resource="rollouts", verb="patch", namespace="ro"
                    )
                )
            )
        )
        assert review.status.allowed is False
    finally:
        viewer.close()
