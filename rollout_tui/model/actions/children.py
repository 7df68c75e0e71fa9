"""Actions on what a rollout owns: retry an Experiment, terminate an AnalysisRun or Experiment.

Patches and messages from pkg/kubectl-argo-rollouts/cmd/{retry,terminate} (Experiment and
AnalysisRun have no status subresource: every patch goes to the main resource).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rollout_tui.model.actions import patches
from rollout_tui.model.actions.spec import (
    ANALYSIS_RUN,
    ANALYSIS_RUNS,
    EXPERIMENT,
    EXPERIMENTS,
    ActionArgs,
    ActionSpec,
    Command,
    Permission,
    Resource,
)
from rollout_tui.model.fields import as_str, dig

_RUNNING = ("Running", "Pending", "")


@dataclass(frozen=True, slots=True)
class _Child:
    """How the plugin names a kind of child: its resource, CLI word, metavar, aliases, messages."""

    resource: Resource
    word: str  # `terminate analysisrun NAME`
    metavar: str
    aliases: tuple[str, ...]
    noun: str  # "analysisRun 'NAME' terminated"


_CHILDREN = {
    ANALYSIS_RUN: _Child(
        ANALYSIS_RUNS, "analysisrun", "ANALYSISRUN_NAME", ("ar", "analysisruns"), "analysisRun"
    ),
    EXPERIMENT: _Child(EXPERIMENTS, "experiment", "EXPERIMENT_NAME", ("exp", "experiments"), "experiment"),
}


def _child_action(
    verb: str,
    kind: str,
    *,
    title: str,
    label: str,
    body: dict[str, Any],
    possible: Callable[[Any], str],
    describe: Callable[[Any, ActionArgs], str],
    done: str,
    help: str,
    key: str = "T",
) -> ActionSpec:
    """`verb` (CLI word) on a child of `kind`: one merge patch of `body` to the child itself."""
    child = _CHILDREN[kind]
    return ActionSpec(
        id=f"{verb}_{child.word}",
        key=key,
        title=title,
        label=label,
        kind=kind,
        permissions=(Permission("patch", child.resource.group, child.resource.plural),),
        guard=(),
        possible=possible,
        describe=describe,
        writes=lambda target, args: (patches.main_write(_name(target.obj), body, child.resource),),
        done=lambda name, args: f"{child.noun} '{name}' {done}",
        command=Command((verb, child.word), metavar=child.metavar, aliases=child.aliases, help=help),
    )


def _name(obj: dict[str, Any]) -> str:
    return as_str(dig(obj, "metadata", "name"))


def _terminate_possible(subject: Any) -> str:
    return "" if subject.status in _RUNNING else f"already {subject.status.lower()}"


def _terminate_action(kind: str, what: str, outcome: str, *, title: str, done: str, help: str) -> ActionSpec:
    """Terminate (spec.terminate=true) a running child of `kind`, `what` its name in prose and
    `outcome` what terminating does to it."""
    return _child_action(
        "terminate",
        kind,
        title=title,
        label="Terminate",
        body=patches.TERMINATE,
        possible=_terminate_possible,
        describe=lambda child, args: f"terminate {what} {child.namespace}/{child.name}: {outcome}",
        done=done,
        help=help,
    )


TERMINATE_ANALYSIS_RUN = _terminate_action(
    ANALYSIS_RUN,
    "AnalysisRun",
    "stop measuring (spec.terminate=true); the run ends as it stands",
    title="Terminate analysis",
    done="terminated",
    help="Terminate an AnalysisRun",
)

TERMINATE_EXPERIMENT = _terminate_action(
    EXPERIMENT,
    "Experiment",
    "scale its ReplicaSets down and stop its analyses (spec.terminate=true)",
    title="Terminate experiment",
    # The plugin prints "retried" here (cmd/terminate/terminate.go); drop-in means the same words.
    done="retried",
    help="Terminate an experiment",
)

RETRY_EXPERIMENT = _child_action(
    "retry",
    EXPERIMENT,
    key="",
    title="Retry experiment",
    label="Retry",
    body=patches.CLEAR_EXPERIMENT_STATUS,
    possible=lambda exp: (
        "" if exp.status in ("Failed", "Error") else "only a failed experiment can be retried"
    ),
    describe=lambda exp, args: (
        f"retry Experiment {exp.namespace}/{exp.name}: clear its status so it runs again"
    ),
    done="retried",
    help="Retry an experiment",
)

CHILD_ACTIONS = (TERMINATE_ANALYSIS_RUN, TERMINATE_EXPERIMENT, RETRY_EXPERIMENT)
