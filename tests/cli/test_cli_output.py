"""``-o json|yaml`` against the simulator over HTTP: one truth with the text output and the model.

The examples shipped in the package (a canary with analyses, a blue-green with a preview) are
loaded into a simulator without a controller; every JSON fact is compared with what ``get`` /
``list`` print as text for the same objects and with the model computed from the same objects.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from rollout_tui.cli import parse
from rollout_tui.model.attention import attention
from rollout_tui.model.fields import parse_time
from rollout_tui.model.objects import ObjectSet
from rollout_tui.model.rollout import rollout_info
from tests.cli.conftest import Run
from tests.kube.conftest import rollout, wait_for

EXAMPLES = Path(__file__).resolve().parents[2] / "rollout_tui" / "examples"
NOW = "2026-11-26T08:17:00Z"
PLURALS = ("rollouts", "replicasets", "pods", "analysisruns", "experiments")


@pytest.fixture
def examples(tmp_path: Path) -> Iterator[tuple[Any, str]]:
    from rollout_tui.sim import Simulator

    with Simulator(controller=False, tls=False, load=[EXAMPLES]) as sim:
        yield sim, str(sim.write_kubeconfig(tmp_path / "kc", context="shop-ctx", namespace="shop"))


def text_fields(text: str) -> dict[str, str]:
    """`Label:   value` lines of the `get` header block."""
    fields = {}
    for line in text.split("\n\n")[0].splitlines():
        label, sep, value = line.partition(":")
        if sep and value.strip():
            fields[label.strip()] = value.strip()
    return fields


def tree_rows(text: str) -> dict[str, tuple[str, str]]:
    """name -> (kind, status) of every row of the `get` tree."""
    rows = {}
    for line in text.split("\n\n", 1)[1].splitlines()[1:]:
        match = re.match(
            r"^[│├└─ ]*\S+ (\S+)\s+(ReplicaSet|Pod|AnalysisRun|Experiment|Job|Rollout)\s+\S+ (\S+)", line
        )
        if match:
            rows[match.group(1)] = (match.group(2), match.group(3))
    return rows


def model_info(sim: Any, name: str) -> Any:
    objects = ObjectSet.from_objects(o for plural in PLURALS for o in sim.store.list(plural)[0])
    return rollout_info(sim.store.get("rollouts", "shop", name), objects)


@pytest.mark.parametrize("name", ["checkout", "storefront"])
def test_get_rollout_json_states_what_the_text_shows_and_the_model_computes(
    examples: tuple[Any, str], run: Run, name: str
) -> None:
    sim, kc = examples
    code, text, err = run("get", "rollout", name, "--kubeconfig", kc, "--now", NOW, "--no-color")
    assert (code, err) == (0, "")
    code, out, err = run("get", "rollout", name, "--kubeconfig", kc, "--now", NOW, "-o", "json")
    assert (code, err) == (0, "")
    view = json.loads(out)
    assert (view["schemaVersion"], view["kind"], view["context"]) == (1, "RolloutDetail", "shop-ctx")

    shown = text_fields(text)
    assert (shown["Name"], shown["Namespace"], shown["Strategy"]) == (name, "shop", view["strategy"])
    assert shown["Status"].split()[-1] == view["status"]
    assert shown.get("Message", "") == view["message"]
    if view["strategy"] == "Canary":
        assert shown["Step"] == view["step"]["label"]
        assert int(shown["SetWeight"]) == view["weights"]["set"]
        assert int(shown["ActualWeight"]) == view["weights"]["actual"]
    for label in ("Desired", "Current", "Updated", "Ready", "Available"):
        assert int(shown[label]) == view["replicas"][label.lower()]

    rows = tree_rows(text)
    in_json = {}
    for revision in view["revisions"]:
        for rs in revision["replicaSets"]:
            in_json[rs["name"]] = ("ReplicaSet", rs["status"])
            in_json.update({pod["name"]: ("Pod", pod["status"]) for pod in rs["pods"]})
        in_json.update({run["name"]: ("AnalysisRun", run["status"]) for run in revision["analysisRuns"]})
    assert in_json and {k: v for k, v in rows.items() if v[0] != "Rollout"} == in_json
    assert f"revision:{view['revisions'][0]['revision']}" in text

    info = model_info(sim, name)  # the same objects, straight into the model
    state, looks = info.state, attention(info.state, parse_time(NOW))
    assert (view["status"], view["message"], view["revision"]) == (
        state.status,
        state.message,
        state.revision,
    )
    assert view["pause"]["reasons"] == list(state.pause_reasons)
    assert parse_time(view["pause"]["autoPromoteAt"]) == state.auto_promote_at
    assert parse_time(view["pause"]["endsAt"]) == state.pause_ends_at
    assert (view["attention"]["level"], view["attention"]["needsMe"]) == (looks.level, looks.needs_me)
    assert [r["text"] for r in view["attention"]["reasons"]] == [r.text for r in looks.reasons]
    assert [s["state"] for s in view["steps"]] == [s.state for s in (info.steps.steps if info.steps else ())]


def test_yaml_is_the_same_document_and_list_matches_the_table(examples: tuple[Any, str], run: Run) -> None:
    _, kc = examples
    as_json = json.loads(run("get", "rollout", "checkout", "--kubeconfig", kc, "--now", NOW, "-o", "json")[1])
    as_yaml = yaml.safe_load(
        run("get", "rollout", "checkout", "--kubeconfig", kc, "--now", NOW, "-o", "yaml")[1]
    )
    assert as_yaml == as_json

    code, table, _ = run("list", "rollouts", "--kubeconfig", kc, "--now", NOW)
    code, out, err = run("list", "rollouts", "--kubeconfig", kc, "--now", NOW, "-o", "json")
    assert (code, err) == (0, "")
    listed = json.loads(out)
    assert listed["kind"] == "RolloutSummaryList"
    rows = {line.split()[0]: line.split() for line in table.splitlines()[1:]}
    assert sorted(rows) == [item["name"] for item in listed["items"]]
    for item in listed["items"]:
        assert item["kind"] == "RolloutSummary" and "revisions" not in item
        _name, strategy, status, step, weight, ready, desired, updated, available = rows[item["name"]]
        assert (strategy, status) == (item["strategy"], item["status"])
        assert step == ((item["step"] or {}).get("label") or "-")
        assert weight == str((item["weights"] or {}).get("set", "-"))
        replicas = item["replicas"]
        assert ready == f"{replicas['ready']}/{replicas['current']}"
        assert (int(desired), int(updated), int(available)) == (
            replicas["desired"],
            replicas["updated"],
            replicas["available"],
        )


def test_list_of_nothing_is_an_empty_document(sim: Any, kubeconfig: str, run: Run) -> None:
    code, out, err = run("list", "rollouts", "--kubeconfig", kubeconfig, "-o", "json")
    assert (code, err, json.loads(out)["items"]) == (0, "", [])


def test_experiments_as_documents(sim: Any, kubeconfig: str, run: Run) -> None:
    from tests.cli.test_cli_list_get_version import experiment, set_status

    sim.store.create("experiments", experiment("running-exp"), seed=True)
    set_status(sim, "experiments", "running-exp", {"phase": "Running", "availableAt": "2026-11-26T03:55:00Z"})
    code, out, err = run("list", "experiments", "--kubeconfig", kubeconfig, "-o", "json")
    assert (code, err) == (0, "")
    (item,) = json.loads(out)["items"]
    assert (item["kind"], item["name"], item["status"]) == ("ExperimentSummary", "running-exp", "Running")
    assert (item["durationSeconds"], item["endsAt"]) == (600.0, "2026-11-26T04:05:00Z")
    code, out, err = run("get", "experiment", "running-exp", "--kubeconfig", kubeconfig, "-o", "yaml")
    detail = yaml.safe_load(out)
    assert (detail["kind"], detail["status"], detail["replicaSets"]) == ("ExperimentDetail", "Running", [])


def test_status_document_carries_the_status_line(examples: tuple[Any, str], run: Run) -> None:
    _, kc = examples
    code, line, _ = run("status", "storefront", "--watch=false", "--kubeconfig", kc)
    code_json, out, err = run("status", "storefront", "--watch=false", "--kubeconfig", kc, "-o", "json")
    assert code == code_json == 0 and err == ""
    view = json.loads(out)
    assert view["kind"] == "RolloutStatus"
    assert line.strip() == f"{view['status']} - {view['message']}"
    assert view["rollout"]["name"] == "storefront" and view["rollout"]["kind"] == "RolloutSummary"


def test_cluster_text_is_escaped_not_cleaned(sim: Any, kubeconfig: str, run: Run) -> None:
    hostile = rollout("hostile")
    hostile["metadata"]["labels"] = {"note": "\x1b]0;pwned\x07\u202eevil"}
    sim.store.create("rollouts", hostile)
    code, out, _ = run("get", "rollout", "hostile", "--kubeconfig", kubeconfig, "-o", "json")
    assert code == 0 and "\x1b" not in out and "\u202e" not in out and out.isascii()
    assert json.loads(out)["labels"]["note"] == "\x1b]0;pwned\x07\u202eevil"  # exact, only escaped
    code, out, _ = run("get", "rollout", "hostile", "--kubeconfig", kubeconfig, "-o", "yaml")
    assert "\x1b" not in out and yaml.safe_load(out)["labels"]["note"] == "\x1b]0;pwned\x07\u202eevil"


def events(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def test_list_watch_json_is_an_event_stream(sim: Any, kubeconfig: str, capsys: Any) -> None:
    from rollout_tui.commands.list_watch import watch_rollouts

    sim.store.create("rollouts", rollout("alpha"))
    args = parse(["list", "rollouts", "-w", "-o", "json", "--kubeconfig", kubeconfig])

    def changes() -> None:
        time.sleep(0.8)
        sim.store.create("rollouts", rollout("beta"))
        sim.store.patch(
            "rollouts",
            "default",
            "alpha",
            {"status": {"phase": "Degraded", "message": "broken"}},
            "application/merge-patch+json",
            subresource="status",
        )
        time.sleep(0.5)
        sim.store.delete("rollouts", "default", "beta")

    thread = threading.Thread(target=changes)
    thread.start()
    assert watch_rollouts(args, max_seconds=2.5) == 0
    thread.join()
    stream = events(capsys.readouterr().out)
    assert all(e["kind"] == "RolloutEvent" and e["schemaVersion"] == 1 for e in stream)
    seen = [(e["type"], e["rollout"]["name"]) for e in stream]
    assert seen == [("ADDED", "alpha"), ("ADDED", "beta"), ("MODIFIED", "alpha"), ("DELETED", "beta")]
    modified = stream[2]["rollout"]
    assert (modified["status"], modified["attention"]["level"]) == ("Degraded", "failing")
    assert modified["context"] == "sim" and parse_time(stream[2]["time"]) is not None


def test_get_rollout_watch_json_is_one_line_per_change(
    sim: Any, kubeconfig: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    from rollout_tui.commands import _watch

    sim.store.create("rollouts", rollout("demo"))
    out = io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    args = parse(["get", "rollout", "demo", "-w", "-o", "json", "--kubeconfig", kubeconfig])
    done = threading.Event()
    thread = threading.Thread(
        target=lambda: (_watch.watch_rollout(args, max_frames=2), done.set()), daemon=True
    )
    thread.start()
    wait_for(lambda: out.getvalue().count("\n") >= 1, message="the first document")
    sim.store.patch("rollouts", "default", "demo", {"spec": {"paused": True}}, "application/merge-patch+json")
    assert done.wait(10)
    first, second = events(out.getvalue())
    assert first["kind"] == second["kind"] == "RolloutDetail"
    assert (first["pause"]["byHand"], second["pause"]["byHand"]) == (False, True)
    assert "paused by hand" in [r["text"] for r in second["attention"]["reasons"]]
