"""Actions on what a rollout owns: retry an Experiment, terminate an AnalysisRun or Experiment.

Patches and messages from pkg/kubectl-argo-rollouts/cmd/{retry,terminate} (Experiment and
AnalysisRun have no status subresource: every patch goes to the main resource).
"""

from __future__ import annotations

from typing import Any

from rollout_tui.model.actions import patches
from rollout_tui.model.actions.spec import (
    ANALYSIS_RUN,
    ANALYSIS_RUNS,
    EXPERIMENT,
    EXPERIMENTS,
    ActionSpec,
    Command,
    Permission,
)
from rollout_tui.model.fields import as_str, dig

_RUNNING = ("Running", "Pending", "")


def _name(obj: dict[str, Any]) -> str:
    return as_str(dig(obj, "metadata", "name"))


def _terminate_possible(subject: Any) -> str:
    return "" if subject.status in _RUNNING else f"already {subject.status.lower()}"


TERMINATE_ANALYSIS_RUN = ActionSpec(
    id="terminate_analysisrun",
    key="T",
    title="Terminate analysis",
    label="Terminate",
    kind=ANALYSIS_RUN,
    permissions=(Permission("patch", "argoproj.io", "analysisruns"),),
    guard=(),
    possible=_terminate_possible,
    describe=lambda run, args: (
        f"terminate AnalysisRun {run.namespace}/{run.name}: stop measuring "
        "(spec.terminate=true); the run ends as it stands"
    ),
    writes=lambda target, args: (patches.main_write(_name(target.obj), patches.TERMINATE, ANALYSIS_RUNS),),
    done=lambda name, args: f"analysisRun '{name}' terminated",
    command=Command(
        ("terminate", "analysisrun"),
        metavar="ANALYSISRUN_NAME",
        aliases=("ar", "analysisruns"),
        help="Terminate an AnalysisRun",
    ),
)

TERMINATE_EXPERIMENT = ActionSpec(
    id="terminate_experiment",
    key="T",
    title="Terminate experiment",
    label="Terminate",
    kind=EXPERIMENT,
    permissions=(Permission("patch", "argoproj.io", "experiments"),),
    guard=(),
    possible=_terminate_possible,
    describe=lambda exp, args: (
        f"terminate Experiment {exp.namespace}/{exp.name}: scale its ReplicaSets "
        "down and stop its analyses (spec.terminate=true)"
    ),
    writes=lambda target, args: (patches.main_write(_name(target.obj), patches.TERMINATE, EXPERIMENTS),),
    # The plugin prints "retried" here (cmd/terminate/terminate.go); drop-in means the same words.
    done=lambda name, args: f"experiment '{name}' retried",
    command=Command(
        ("terminate", "experiment"),
        metavar="EXPERIMENT_NAME",
        aliases=("exp", "experiments"),
        help="Terminate an experiment",
    ),
)

RETRY_EXPERIMENT = ActionSpec(
    id="retry_experiment",
    key="",
    title="Retry experiment",
    label="Retry",
    kind=EXPERIMENT,
    permissions=(Permission("patch", "argoproj.io", "experiments"),),
    guard=(),
    possible=lambda exp: (
        "" if exp.status in ("Failed", "Error") else "only a failed experiment can be retried"
    ),
    describe=lambda exp, args: (
        f"retry Experiment {exp.namespace}/{exp.name}: clear its status so it runs again"
    ),
    writes=lambda target, args: (
        patches.main_write(_name(target.obj), patches.CLEAR_EXPERIMENT_STATUS, EXPERIMENTS),
    ),
    done=lambda name, args: f"experiment '{name}' retried",
    command=Command(
        ("retry", "experiment"),
        metavar="EXPERIMENT_NAME",
        aliases=("exp", "experiments"),
        help="Retry an experiment",
    ),
)

CHILD_ACTIONS = (TERMINATE_ANALYSIS_RUN, TERMINATE_EXPERIMENT, RETRY_EXPERIMENT)
