"""``terminate analysisrun|experiment`` (cmd/terminate/terminate.go) against the simulator: the
plugin's merge patch on the wire, its messages (including "retried" for an experiment), its
aliases, and one clear line when the object does not exist."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import Run
from tests.kube.conftest import RecordingProxy, proxied_kubeconfig

RUN = {
    "apiVersion": "argoproj.io/v1alpha1",
    "kind": "AnalysisRun",
    "metadata": {"name": "checkout-5-2", "namespace": "default"},
    "spec": {"metrics": [{"name": "rate", "provider": {"job": {}}}]},
}
EXPERIMENT = {
    "apiVersion": "argoproj.io/v1alpha1",
    "kind": "Experiment",
    "metadata": {"name": "checkout-exp", "namespace": "default"},
    "spec": {"templates": []},
}


@pytest.fixture
def wired(sim: Any, proxy: RecordingProxy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    sim.store.create("analysisruns", RUN)
    sim.store.create("experiments", EXPERIMENT)
    return proxied_kubeconfig(sim, proxy, tmp_path / "kc")


@pytest.mark.parametrize(
    ("argv", "plural", "name", "message"),
    [
        (
            ["terminate", "analysisrun"],
            "analysisruns",
            "checkout-5-2",
            "analysisRun 'checkout-5-2' terminated",
        ),
        (["terminate", "ar"], "analysisruns", "checkout-5-2", "analysisRun 'checkout-5-2' terminated"),
        (["terminate", "experiment"], "experiments", "checkout-exp", "experiment 'checkout-exp' retried"),
        (["terminate", "exp"], "experiments", "checkout-exp", "experiment 'checkout-exp' retried"),
    ],
)
def test_terminate_sends_the_plugins_patch_and_prints_its_message(
    sim: Any,
    proxy: RecordingProxy,
    wired: str,
    run: Run,
    argv: list[str],
    plural: str,
    name: str,
    message: str,
) -> None:
    assert run(*argv, name, "--kubeconfig", wired) == (0, message + "\n", "")
    (write,) = proxy.writes()
    assert (write["method"], write["content_type"]) == ("PATCH", "application/merge-patch+json")
    assert write["path"] == f"/apis/argoproj.io/v1alpha1/namespaces/default/{plural}/{name}"
    assert json.loads(write["body"])["spec"] == {"terminate": True}
    assert sim.store.get(plural, "default", name)["spec"]["terminate"] is True


@pytest.mark.parametrize(("kind", "plural"), [("analysisrun", "analysisruns"), ("experiment", "experiments")])
def test_terminate_of_a_missing_object_is_one_line_and_writes_nothing(
    proxy: RecordingProxy, wired: str, run: Run, kind: str, plural: str
) -> None:
    code, out, err = run("terminate", kind, "nope", "--kubeconfig", wired)
    assert (code, out) == (1, "")
    assert err.count("\n") == 1 and f'{plural}.argoproj.io "nope" not found' in err
    assert proxy.writes() == []


def test_terminate_without_a_kind_shows_the_choices(run: Run) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run("terminate")
    assert exit_info.value.code == 2
