"""The validation rules as the TUI will use them: pure functions on a rollout dict, one message
per error in the controller's wording (its InvalidSpec condition shows the first)."""

from __future__ import annotations

from rollout_tui.model.validation import validate_rollout
from rollout_tui.model.validation.errors import go_number, go_quote, go_value


def rollout(**spec: object) -> dict:
    base: dict = {
        "metadata": {"name": "web"},
        "spec": {
            "selector": {"matchLabels": {"app": "web"}},
            "strategy": {"canary": {}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "web", "image": "w"}]},
            },
        },
    }
    base["spec"].update(spec)
    return base


def test_a_valid_rollout_has_no_errors() -> None:
    assert validate_rollout(rollout()) == []


def test_errors_read_as_the_controller_writes_them() -> None:
    errors = validate_rollout(
        rollout(replicas=-2, strategy={"canary": {"maxSurge": 0, "maxUnavailable": "0%"}})
    )
    assert [str(e) for e in errors] == [
        "spec.replicas: Invalid value: -2: must be greater than or equal to 0",
        "spec.strategy.maxSurge: Invalid value: 0: MaxSurge and MaxUnavailable both can not be zero",
    ]
    assert errors[1].body() == "Invalid value: 0: MaxSurge and MaxUnavailable both can not be zero"


def test_a_workload_ref_template_is_validated_once_resolved() -> None:
    resolved = rollout(workloadRef={"kind": "Deployment", "name": "web"})
    resolved["spec"]["template"]["spec"]["containers"] = []
    as_written = validate_rollout(resolved)
    assert [str(e) for e in as_written] == [
        "spec.template: Internal error: template must be empty for workload reference rollout"
    ]
    assert [str(e) for e in validate_rollout(resolved, template_resolved_from_ref=True)] == [
        "spec.template.spec.containers: Required value"
    ]


def test_malformed_input_never_raises() -> None:
    for bad in (None, [], "x", {"spec": []}, {"spec": {"strategy": "canary", "template": 3, "selector": []}}):
        assert isinstance(validate_rollout(bad), list)


def test_go_formatting_of_bad_values() -> None:
    assert go_quote('a"b\n\x01é') == '"a\\"b\\n\\x01é"'
    assert [go_number(v) for v in (3, 1.5, 2.0, 1e21, -0.25)] == ["3", "1.5", "2", "1e+21", "-0.25"]
    assert [go_value(v) for v in (True, None, {"b": 1, "a": "<"})] == [
        "true",
        "null",
        '{"a":"\\u003c","b":1}',
    ]
