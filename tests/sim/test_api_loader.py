"""--load: manifests seed the store as they are (multi-document YAML, JSON, kind: List, directories)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rollout_tui.sim.loader import LoadError, read_objects, seed
from rollout_tui.sim.store import Store
from tests.fixtures.sets import RECORDED


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_formats_and_directories(tmp_path: Path) -> None:
    write(
        tmp_path / "m" / "multi.yaml",
        "kind: Rollout\nmetadata: {name: a}\n---\n---\nkind: Service\nmetadata: {name: s, namespace: x}\n",
    )
    write(
        tmp_path / "m" / "list.json",
        json.dumps(
            {
                "kind": "List",
                "items": [
                    {"kind": "Rollout", "metadata": {"name": "b"}},
                    {"kind": "ConfigMapList", "items": []},
                ],
            }
        ),
    )
    write(tmp_path / "m" / "sub" / "unserved.yaml", "kind: NetworkPolicy\nmetadata: {name: i}\n")
    write(tmp_path / "m" / "broken.yaml", "kind: [\n")
    warnings: list[str] = []
    store = Store()
    assert seed(store, [tmp_path / "m"], warnings) == 3  # the NetworkPolicy is not served: skipped
    assert [r["metadata"]["name"] for r in store.list("rollouts")[0]] == ["a", "b"]
    assert store.get("services", "x", "s")["metadata"]["name"] == "s"
    assert len(warnings) == 1 and warnings[0].startswith(f"skipped {tmp_path / 'm' / 'broken.yaml'}:")


def test_a_named_broken_file_is_an_error(tmp_path: Path) -> None:
    broken = write(tmp_path / "broken.yaml", "kind: [\n")
    with pytest.raises(LoadError) as err:
        read_objects([broken])
    assert str(err.value).startswith(f"{broken}:")


def test_recorded_fixtures_keep_status_uids_and_owner_links() -> None:
    store = Store()
    assert seed(store, [RECORDED / "canary-paused"]) > 0
    rollout = store.get("rollouts", "jesse-test", "canary-demo")
    assert rollout["status"]["currentPodHash"] and rollout["status"]["phase"] == "Paused"  # as recorded
    recorded = next(o for o in read_objects([RECORDED / "canary-paused"]) if o["kind"] == "Rollout")
    assert rollout["metadata"]["uid"] == recorded["metadata"]["uid"]
    replicasets = store.list("replicasets", "jesse-test")[0]
    owned = [
        rs
        for rs in replicasets
        if any(
            ref.get("uid") == rollout["metadata"]["uid"] for ref in rs["metadata"].get("ownerReferences", [])
        )
    ]
    assert len(owned) == 3  # revisions 1-3


def test_old_api_groups_are_served_as_the_current_ones(tmp_path: Path) -> None:
    """Objects recorded from old clusters (extensions/v1beta1 ReplicaSets, as in the plugin's
    testdata) are served under apps/v1."""
    manifest = write(
        tmp_path / "old.yaml",
        "apiVersion: extensions/v1beta1\nkind: ReplicaSet\nmetadata: {name: old, namespace: x}\n"
        "spec: {replicas: 0}\n",
    )
    store = Store()
    assert seed(store, [manifest]) == 1
    assert store.get("replicasets", "x", "old")["apiVersion"] == "apps/v1"
