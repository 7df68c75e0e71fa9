"""render.yaml_text: an object as YAML for the YAML view: managedFields folded, lines inert."""

from __future__ import annotations

from rollout_tui.render.yaml_text import object_yaml


def test_managed_fields_fold_to_one_line_naming_the_managers() -> None:
    obj = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": "p",
            "managedFields": [
                {"manager": "kubelet", "operation": "Update", "fieldsV1": {"f:status": {"f:phase": {}}}},
                {"manager": "rollouts-controller", "operation": "Update", "fieldsV1": {"f:spec": {}}},
            ],
        },
        "spec": {"containers": [{"name": "app", "image": "demo:blue"}]},
    }
    lines = object_yaml(obj)
    assert lines[:4] == ["apiVersion: v1", "kind: Pod", "metadata:", "  name: p"]
    assert "  managedFields: '(2 entries folded: kubelet, rollouts-controller)'" in lines
    assert not any("f:status" in line for line in lines)
    assert "managedFields" in obj["metadata"] and isinstance(
        obj["metadata"]["managedFields"], list
    )  # not mutated
    assert any("f:status" in line for line in object_yaml(obj, fold_managed_fields=False))


def test_hostile_strings_stay_inert_and_bounded() -> None:
    obj = {
        "metadata": {"name": "x", "annotations": {"a": "\x1b]0;pwned\x07 \u202e [bold]y[/] " + "L" * 5000}}
    }
    text = "\n".join(object_yaml(obj))
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert "[bold]y[/]" in text and "L" * 2000 not in text
