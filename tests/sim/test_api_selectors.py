"""Label and field selector grammar, as the API server parses it."""

from __future__ import annotations

import pytest

from rollout_tui.sim.errors import ApiError
from rollout_tui.sim.selectors import parse_field_selector, parse_label_selector


@pytest.mark.parametrize(
    ("selector", "labels", "expected"),
    [
        ("app=a", {"app": "a"}, True),
        ("app==a", {"app": "b"}, False),
        ("app!=a", {}, True),  # != matches objects lacking the key
        ("app!=a", {"app": "a"}, False),
        ("app in (a, b)", {"app": "b"}, True),
        ("app in (a,b)", {}, False),
        ("app notin (a,b)", {}, True),
        ("app notin (a,b)", {"app": "a"}, False),
        ("app", {"app": ""}, True),
        ("!legacy", {"legacy": "x"}, False),
        ("!legacy", {}, True),
        ("app in (a,b),tier!=db,!legacy", {"app": "a", "tier": "web"}, True),
        ("app in (a,b),tier!=db,!legacy", {"app": "a", "tier": "db"}, False),
        ("example.com/team=x,app", {"example.com/team": "x", "app": "y"}, True),
        ("app=", {"app": ""}, True),
    ],
)
def test_label_selector_grammar(selector: str, labels: dict[str, str], expected: bool) -> None:
    parsed = parse_label_selector(selector)
    assert parsed is not None
    assert parsed.matches(labels) is expected


@pytest.mark.parametrize("selector", ["app in a", "app in ()", "=x", "app=a,", "app=(", "a b", "app=a b c"])
def test_bad_label_selectors_are_400(selector: str) -> None:
    with pytest.raises(ApiError) as err:
        parse_label_selector(selector)
    assert err.value.code == 400


def test_empty_selectors_match_everything() -> None:
    assert parse_label_selector("") is None
    assert parse_field_selector(None) is None


def test_field_selectors() -> None:
    obj = {"metadata": {"name": "demo", "namespace": "ns1"}}
    sel = parse_field_selector("metadata.name=demo,metadata.namespace!=other")
    assert sel is not None and sel(obj)
    sel = parse_field_selector("metadata.name==other")
    assert sel is not None and not sel(obj)


def test_unsupported_field_label_is_refused_with_the_servers_message() -> None:
    with pytest.raises(ApiError) as err:
        parse_field_selector("spec.replicas=3")
    assert (err.value.code, err.value.message) == (400, "field label not supported: spec.replicas")


def test_type_specific_field_labels() -> None:
    sel = parse_field_selector(
        "involvedObject.name=demo,involvedObject.kind=Rollout", ("involvedObject.name", "involvedObject.kind")
    )
    assert sel is not None and sel({"involvedObject": {"name": "demo", "kind": "Rollout"}, "metadata": {}})
