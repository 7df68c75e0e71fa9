"""Store semantics: resourceVersions, generation, status subresource, history, watches, copies."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import pytest

from rollout_tui.sim.store import ApiError, Store


def rollout(name: str = "demo", ns: str = "default", **labels: str) -> dict[str, Any]:
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Rollout",
        "metadata": {"name": name, "namespace": ns, "labels": labels},
        "spec": {"replicas": 1, "template": {"spec": {"containers": [{"name": "c", "image": "a:1"}]}}},
        "status": {"phase": "Healthy"},
    }


@pytest.fixture
def store() -> Store:
    return Store()


def test_create_sets_identity_and_drops_status(store: Store) -> None:
    created = store.create("rollouts", rollout())
    meta = created["metadata"]
    assert meta["generation"] == 1 and meta["uid"] and meta["creationTimestamp"].endswith("Z")
    assert meta["resourceVersion"] == store.resource_version
    assert "status" not in created
    assert store.get("rollouts", "default", "demo") == created


def test_seed_keeps_status_and_uid(store: Store) -> None:
    obj = rollout()
    obj["metadata"]["uid"] = "u-1"
    created = store.create("rollouts", obj, seed=True)
    assert created["status"] == {"phase": "Healthy"} and created["metadata"]["uid"] == "u-1"


def test_create_conflicts_and_validation(store: Store) -> None:
    store.create("rollouts", rollout())
    with pytest.raises(ApiError) as err:
        store.create("rollouts", rollout())
    assert (err.value.code, err.value.reason) == (409, "AlreadyExists")
    assert err.value.message == 'rollouts.argoproj.io "demo" already exists'
    with pytest.raises(ApiError) as err:
        store.create("rollouts", rollout(name="Bad_Name"))
    assert err.value.code == 422
    generated = store.create("rollouts", {"kind": "Rollout", "metadata": {"generateName": "x-"}})
    assert generated["metadata"]["name"].startswith("x-") and len(generated["metadata"]["name"]) == 7


def test_create_in_a_new_namespace_creates_it(store: Store) -> None:
    store.create("rollouts", rollout(ns="team-a"))
    names = [n["metadata"]["name"] for n in store.list("namespaces")[0]]
    assert names == ["default", "team-a"]


def test_get_returns_copies(store: Store) -> None:
    store.create("rollouts", rollout())
    got = store.get("rollouts", "default", "demo")
    got["spec"]["replicas"] = 99
    assert store.get("rollouts", "default", "demo")["spec"]["replicas"] == 1
    with pytest.raises(ApiError) as err:
        store.get("rollouts", "default", "nope")
    assert err.value.status()["message"] == 'rollouts.argoproj.io "nope" not found'
    assert err.value.status()["reason"] == "NotFound"


def test_generation_and_status_subresource_rules(store: Store) -> None:
    store.create("rollouts", rollout())

    # Status through the status subresource: generation unchanged, spec changes ignored.
    def status_and_spec(obj: dict[str, Any]) -> None:
        obj["status"] = {"phase": "Progressing"}
        obj["spec"]["replicas"] = 7

    after = store.mutate("rollouts", "default", "demo", status_and_spec, subresource="status")
    assert after["status"] == {"phase": "Progressing"}
    assert after["spec"]["replicas"] == 1 and after["metadata"]["generation"] == 1
    # Main resource: status kept, spec change bumps generation, label change does not.
    patched = store.patch(
        "rollouts",
        "default",
        "demo",
        b'{"spec":{"replicas":3},"status":{"phase":"X"}}',
        "application/merge-patch+json",
    )
    assert patched["status"] == {"phase": "Progressing"} and patched["metadata"]["generation"] == 2
    labelled = store.patch(
        "rollouts", "default", "demo", {"metadata": {"labels": {"a": "b"}}}, "application/merge-patch+json"
    )
    assert labelled["metadata"]["generation"] == 2


def test_noop_write_keeps_resource_version(store: Store) -> None:
    created = store.create("rollouts", rollout())
    events: list[str] = []
    store.add_listener(lambda t, p, o: events.append(t))
    same = store.mutate("rollouts", "default", "demo", lambda obj: None)
    assert same["metadata"]["resourceVersion"] == created["metadata"]["resourceVersion"]
    assert events == []


def test_replace_requires_current_resource_version(store: Store) -> None:
    created = store.create("rollouts", rollout())
    stale = dict(created, spec={"replicas": 2})
    updated = store.replace("rollouts", stale)
    assert updated["spec"] == {"replicas": 2}
    with pytest.raises(ApiError) as err:
        store.replace("rollouts", stale)
    assert err.value.code == 409 and err.value.reason == "Conflict"
    assert "the object has been modified; please apply your changes" in err.value.message
    del stale["metadata"]["resourceVersion"]
    with pytest.raises(ApiError) as err:
        store.replace("rollouts", stale)
    assert err.value.code == 422


def test_json_patch_test_op_failure_changes_nothing(store: Store) -> None:
    created = store.create("rollouts", rollout())
    ops = [
        {"op": "replace", "path": "/spec/replicas", "value": 5},
        {"op": "test", "path": "/spec/replicas", "value": 1},
    ]
    with pytest.raises(ApiError) as err:
        store.patch("rollouts", "default", "demo", ops, "application/json-patch+json")
    assert err.value.code == 422
    assert store.get("rollouts", "default", "demo") == created


def test_patch_with_stale_resource_version_conflicts(store: Store) -> None:
    store.create("rollouts", rollout())
    with pytest.raises(ApiError) as err:
        store.patch(
            "rollouts",
            "default",
            "demo",
            {"metadata": {"resourceVersion": "1"}, "spec": {"x": 1}},
            "application/merge-patch+json",
        )
    assert err.value.code == 409


def test_list_selectors_and_pagination(store: Store) -> None:
    for i in range(5):
        store.create("rollouts", rollout(f"r{i}", ns=f"ns{i % 2}", app="a" if i < 3 else "b"))
    items, rv = store.list("rollouts", label_selector="app=a")
    assert [i["metadata"]["name"] for i in items] == ["r0", "r2", "r1"]  # namespace, then name order
    assert rv == store.resource_version
    items, _ = store.list("rollouts", namespace="ns1", field_selector="metadata.name!=r1")
    assert [i["metadata"]["name"] for i in items] == ["r3"]
    page = store.list_raw("rollouts", limit=2)
    assert len(page.items) == 2 and page.remaining == 3 and page.continue_token
    rest = store.list_raw("rollouts", limit=10, continue_token=page.continue_token)
    assert len(rest.items) == 3 and rest.continue_token is None
    assert rest.resource_version == page.resource_version


def test_delete_cascades_to_dependents(store: Store) -> None:
    owner = store.create("rollouts", rollout())
    ref = {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Rollout",
        "name": "demo",
        "uid": owner["metadata"]["uid"],
        "controller": True,
    }
    rs = store.create(
        "replicasets", {"kind": "ReplicaSet", "metadata": {"name": "demo-1", "ownerReferences": [ref]}}
    )
    pod_ref = dict(ref, kind="ReplicaSet", apiVersion="apps/v1", name="demo-1", uid=rs["metadata"]["uid"])
    store.create("pods", {"kind": "Pod", "metadata": {"name": "demo-1-x", "ownerReferences": [pod_ref]}})
    store.create("pods", {"kind": "Pod", "metadata": {"name": "other"}})
    gone = store.delete("rollouts", "default", "demo")
    assert gone["metadata"]["name"] == "demo"
    assert store.list("replicasets")[0] == []
    assert [p["metadata"]["name"] for p in store.list("pods")[0]] == ["other"]


def test_watch_from_zero_then_live_with_selector_transitions(store: Store) -> None:
    store.create("rollouts", rollout("a", app="x"))
    with store.watch("rollouts", resource_version="0", label_selector="app=x") as w:
        first = w.get(1)
        assert first is not None and (first.type, first.object["metadata"]["name"]) == ("ADDED", "a")
        store.patch(
            "rollouts", "default", "a", {"metadata": {"labels": {"app": "y"}}}, "application/merge-patch+json"
        )
        left = w.get(1)
        assert left is not None and left.type == "DELETED"  # left the selection
        store.patch(
            "rollouts", "default", "a", {"metadata": {"labels": {"app": "x"}}}, "application/merge-patch+json"
        )
        back = w.get(1)
        assert back is not None and back.type == "ADDED"
        store.create("rollouts", rollout("b", app="z"))  # never matches
        assert w.get(0.05) is None
        assert w.progress_rv() == store.resource_version


def test_watch_from_exact_rv_replays_history_and_expires(store: Store) -> None:
    small = Store(history_limit=3)
    small.create("rollouts", rollout("a"))
    rv = small.resource_version
    small.create("rollouts", rollout("b"))
    with small.watch("rollouts", resource_version=rv) as w:
        ev = w.get(1)
        assert ev is not None and ev.object["metadata"]["name"] == "b"
    for n in "cdef":
        small.create("rollouts", rollout(n))
    with pytest.raises(ApiError) as err:
        small.watch("rollouts", resource_version=rv)
    assert err.value.code == 410 and err.value.reason == "Expired"
    assert err.value.message.startswith(f"too old resource version: {rv} (")


def test_expire_history_ends_watches_with_410(store: Store) -> None:
    w = store.watch("rollouts")
    store.expire_history()
    ev = w.get(1)
    assert ev is not None and ev.type == "ERROR" and ev.object["code"] == 410
    assert w.get(0.01) is None and w.closed


def test_watch_sees_writes_from_other_threads_in_order(store: Store) -> None:
    store.create("rollouts", rollout())
    w = store.watch("rollouts", resource_version=store.resource_version)

    def writer() -> None:
        for i in range(50):
            store.patch(
                "rollouts", "default", "demo", {"spec": {"replicas": i + 2}}, "application/merge-patch+json"
            )

    thread = threading.Thread(target=writer)
    thread.start()
    seen = []
    deadline = time.monotonic() + 5
    while len(seen) < 50 and time.monotonic() < deadline:
        ev = w.get(1)
        if ev is not None:
            seen.append(ev.object["spec"]["replicas"])
    thread.join()
    w.close()
    assert seen == list(range(2, 52))


def test_listener_called_after_commit_with_a_copy(store: Store) -> None:
    calls: list[tuple[str, str, str]] = []

    def listener(event_type: str, plural: str, obj: dict[str, Any]) -> None:
        # The lock is released: a listener may read the store (the controller does).
        assert store.get(plural, "default", obj["metadata"]["name"]) if event_type != "DELETED" else True
        obj["spec"] = "corrupted"
        calls.append((event_type, plural, obj["metadata"]["name"]))

    store.add_listener(listener)
    store.create("rollouts", rollout())
    store.delete("rollouts", "default", "demo")
    assert calls == [("ADDED", "rollouts", "demo"), ("DELETED", "rollouts", "demo")]


def test_unknown_resource_is_404(store: Store) -> None:
    with pytest.raises(ApiError) as err:
        store.list("widgets")
    assert err.value.code == 404


def test_ten_thousand_rollouts_list_fast(store: Store) -> None:
    base = rollout()
    objs = []
    for i in range(10_000):
        obj = {**base, "metadata": {"name": f"r{i}", "namespace": f"ns{i % 200}"}}
        objs.append(obj)
    store.load(objs)
    assert store.count("rollouts") == 10_000
    result = store.list_raw("rollouts")
    assert len(result.items) == 10_000


def test_callers_objects_are_never_modified_or_aliased(store: Store) -> None:
    obj = rollout()
    obj["metadata"]["generateName"] = "x-"
    snapshot = json.loads(json.dumps(obj))
    created = store.create("rollouts", obj)
    assert obj == snapshot
    created["spec"]["replicas"] = 42
    kept: list[dict[str, Any]] = []

    def edit(o: dict[str, Any]) -> None:
        o["spec"]["replicas"] = 2
        kept.append(o)

    store.mutate("rollouts", "default", "demo", edit)
    kept[0]["spec"]["replicas"] = 99  # the function kept a reference: the store must not care
    assert store.get("rollouts", "default", "demo")["spec"]["replicas"] == 2
    ns = {"kind": "Namespace", "metadata": {"name": "n1", "labels": {"a": "b"}}}
    store.create("namespaces", ns)
    assert ns["metadata"]["labels"] == {"a": "b"}


def test_event_field_selectors_use_involved_object(store: Store) -> None:
    for name, kind in (("e1", "Rollout"), ("e2", "Pod")):
        store.create(
            "events",
            {
                "kind": "Event",
                "metadata": {"name": name},
                "involvedObject": {"kind": kind, "name": "demo"},
                "reason": "X",
            },
        )
    items, _ = store.list(
        "events", "default", field_selector="involvedObject.kind=Rollout,involvedObject.name=demo"
    )
    assert [i["metadata"]["name"] for i in items] == ["e1"]


def test_not_json_is_400_and_commits_nothing(store: Store) -> None:
    rv = store.resource_version
    with pytest.raises(ApiError) as err:
        store.create("rollouts", {"kind": "Rollout", "metadata": {"name": "x"}, "spec": {"bad": object()}})
    assert err.value.code == 400
    assert store.resource_version == rv


def test_watch_from_a_future_version_is_the_apiservers_too_large_error(store: Store) -> None:
    future = int(store.resource_version) + 100
    with pytest.raises(ApiError) as err:
        store.watch("rollouts", resource_version=str(future))
    assert (err.value.code, err.value.reason) == (504, "Timeout")
    assert err.value.message == f"Too large resource version: {future}, current: {store.resource_version}"
    assert err.value.status()["details"]["causes"][0]["reason"] == "ResourceVersionTooLarge"


def test_deleting_a_namespace_deletes_its_objects(store: Store) -> None:
    store.create("rollouts", rollout("a", ns="doomed"))
    store.create("pods", {"kind": "Pod", "metadata": {"name": "p", "namespace": "doomed"}})
    store.create("rollouts", rollout("b", ns="kept"))
    events: list[tuple[str, str]] = []
    store.add_listener(lambda t, p, o: events.append((t, o["metadata"]["name"])))
    store.delete("namespaces", None, "doomed")
    assert [o["metadata"]["name"] for o in store.list("rollouts")[0]] == ["b"]
    assert store.list("pods")[0] == []
    assert ("DELETED", "doomed") in events and ("DELETED", "a") in events and ("DELETED", "p") in events


def test_concurrent_writers_lose_nothing_and_watchers_see_every_version(store: Store) -> None:
    names = [f"c{i}" for i in range(8)]
    for name in names:
        store.create("rollouts", rollout(name))
    watch = store.watch("rollouts", resource_version=store.resource_version)

    def bump(name: str) -> None:
        for _ in range(50):
            store.mutate(
                "rollouts",
                "default",
                name,
                lambda obj: obj["spec"].__setitem__("replicas", obj["spec"]["replicas"] + 1),
            )

    threads = [threading.Thread(target=bump, args=(n,)) for n in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert all(store.get("rollouts", "default", n)["spec"]["replicas"] == 51 for n in names)
    seen: dict[str, list[int]] = {n: [] for n in names}
    rvs = []
    while (event := watch.get(0.5)) is not None:
        seen[event.object["metadata"]["name"]].append(event.object["spec"]["replicas"])
        rvs.append(event.resource_version)
    watch.close()
    assert all(values == list(range(2, 52)) for values in seen.values())
    assert rvs == sorted(rvs) and len(set(rvs)) == len(rvs) == 400
