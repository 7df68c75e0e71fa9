"""Merge patch (RFC 7386) and JSON Patch (RFC 6902) semantics."""

from __future__ import annotations

import pytest

from rollout_tui.sim.errors import ApiError
from rollout_tui.sim.patch import apply_patch, json_patch, merge_patch


def test_merge_patch_replaces_lists_and_deletes_nulls() -> None:
    doc = {"a": {"b": 1, "c": 2}, "l": [1, 2]}
    out = merge_patch(doc, {"a": {"b": None, "d": 3}, "l": [3]})
    assert out == {"a": {"c": 2, "d": 3}, "l": [3]}
    assert doc == {"a": {"b": 1, "c": 2}, "l": [1, 2]}  # input untouched


def test_rfc6902_operations() -> None:
    doc = {"a": [1, 2], "b": {"x/y": 1, "t~": 2}}
    ops = [
        {"op": "add", "path": "/a/-", "value": 3},
        {"op": "add", "path": "/a/0", "value": 0},
        {"op": "remove", "path": "/a/1"},
        {"op": "replace", "path": "/b/x~1y", "value": 5},
        {"op": "copy", "from": "/b/t~0", "path": "/c"},
        {"op": "move", "from": "/c", "path": "/d"},
        {"op": "test", "path": "/d", "value": 2},
    ]
    assert json_patch(doc, ops) == {"a": [0, 2, 3], "b": {"x/y": 5, "t~": 2}, "d": 2}


def test_failed_test_op_rejects_the_whole_patch() -> None:
    doc = {"spec": {"paused": False, "replicas": 1}}
    ops = [
        {"op": "replace", "path": "/spec/replicas", "value": 3},
        {"op": "test", "path": "/spec/paused", "value": 0},
    ]  # JSON false is not 0
    with pytest.raises(ApiError) as err:
        json_patch(doc, ops)
    assert err.value.code == 422
    assert "test operation failed" in err.value.message
    assert doc == {"spec": {"paused": False, "replicas": 1}}


@pytest.mark.parametrize(
    "ops",
    [
        [{"op": "replace", "path": "/missing", "value": 1}],
        [{"op": "remove", "path": "/a/5"}],
        [{"op": "add", "path": "/no/such/parent", "value": 1}],
        [{"op": "frobnicate", "path": "/a"}],
        [{"op": "add", "path": "a", "value": 1}],
        [{"op": "add", "path": "/a/01", "value": 1}],
    ],
)
def test_invalid_operations_are_422(ops: list[dict]) -> None:
    with pytest.raises(ApiError) as err:
        json_patch({"a": [1]}, ops)
    assert err.value.code == 422


def test_strategic_and_apply_patches_are_415() -> None:
    for media in ("application/strategic-merge-patch+json", "application/apply-patch+yaml"):
        with pytest.raises(ApiError) as err:
            apply_patch({}, {}, media)
        assert err.value.code == 415
        assert err.value.message.startswith(
            "the body of the request was in an unknown format - accepted "
            "media types include: application/json-patch+json"
        )


def test_strategic_merge_merges_lists_by_key_and_honours_directives() -> None:
    from rollout_tui.sim.strategic import strategic_merge

    service = {"spec": {"ports": [{"port": 80, "targetPort": 8080}], "selector": {"app": "a", "old": "x"}}}
    # What `kubectl apply` sends when a Service's port changes from 80 to 81.
    patch = {
        "spec": {
            "$setElementOrder/ports": [{"port": 81}],
            "ports": [{"port": 81, "protocol": "TCP", "targetPort": 8080}, {"$patch": "delete", "port": 80}],
            "selector": {"old": None},
        }
    }
    assert strategic_merge(service, patch) == {
        "spec": {"ports": [{"port": 81, "protocol": "TCP", "targetPort": 8080}], "selector": {"app": "a"}}
    }
    pod = {
        "spec": {
            "containers": [
                {"name": "a", "image": "a:1", "ports": [{"containerPort": 1}]},
                {"name": "b", "image": "b:1"},
            ]
        },
        "metadata": {"finalizers": ["x"]},
    }
    out = strategic_merge(
        pod,
        {
            "spec": {"containers": [{"name": "b", "image": "b:2"}, {"name": "c", "image": "c:1"}]},
            "metadata": {"finalizers": ["y"]},
        },
    )
    assert [(c["name"], c["image"]) for c in out["spec"]["containers"]] == [
        ("a", "a:1"),
        ("b", "b:2"),
        ("c", "c:1"),
    ]
    assert out["spec"]["containers"][0]["ports"] == [{"containerPort": 1}]
    assert out["metadata"]["finalizers"] == ["x", "y"]
    replaced = strategic_merge(pod, {"spec": {"$patch": "replace", "containers": []}})
    assert replaced == {"spec": {"containers": []}, "metadata": {"finalizers": ["x"]}}
    retained = strategic_merge({"spec": {"a": 1, "b": 2}}, {"spec": {"$retainKeys": ["b", "c"], "c": 3}})
    assert retained == {"spec": {"b": 2, "c": 3}}


def test_strategic_merge_only_for_built_in_kinds() -> None:
    body = {"spec": {"x": 1}}
    assert apply_patch({}, body, "application/strategic-merge-patch+json", strategic=True) == body
    with pytest.raises(ApiError) as err:
        apply_patch({}, body, "application/strategic-merge-patch+json")
    assert err.value.code == 415
