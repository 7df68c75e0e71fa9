"""Status and kind glyphs: the plugin's Unicode set, and an ASCII set for `--ascii` terminals."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IconSet:
    waiting: str
    progressing: str
    warning: str
    unknown: str
    ok: str
    bad: str
    paused: str
    neutral: str
    rollout: str
    revision: str
    replicaset: str
    pod: str
    job: str
    experiment: str
    analysis: str
    tree_branch: str  # "├──"
    tree_last: str  # "└──"
    tree_pipe: str  # "│  "
    tree_space: str  # "   "

    def status(self, kind: str) -> str:
        """Glyph for a semantic status kind (see STATUS_KINDS); a space when there is none."""
        return getattr(self, kind, " ") if kind in STATUS_KINDS else " "

    def kind(self, kind: str) -> str:
        return getattr(self, _KIND_FIELDS.get(kind, ""), "?") if kind in _KIND_FIELDS else "?"


STATUS_KINDS = ("waiting", "progressing", "warning", "unknown", "ok", "bad", "paused", "neutral")
_KIND_FIELDS = {
    "Rollout": "rollout",
    "Revision": "revision",
    "ReplicaSet": "replicaset",
    "Pod": "pod",
    "Job": "job",
    "Experiment": "experiment",
    "AnalysisRun": "analysis",
}

UNICODE = IconSet(
    waiting="◷",
    progressing="◌",
    warning="⚠",
    unknown="?",
    ok="✔",
    bad="✖",
    paused="॥",
    neutral="•",
    rollout="⟳",
    revision="#",
    replicaset="⧉",
    pod="□",
    job="⊞",
    experiment="Σ",
    analysis="α",
    tree_branch="├──",
    tree_last="└──",
    tree_pipe="│  ",
    tree_space="   ",
)

ASCII = IconSet(
    waiting="~",
    progressing="o",
    warning="!",
    unknown="?",
    ok="+",
    bad="x",
    paused="=",
    neutral=".",
    rollout="@",
    revision="#",
    replicaset="=",
    pod="-",
    job="J",
    experiment="E",
    analysis="A",
    tree_branch="|--",
    tree_last="`--",
    tree_pipe="|  ",
    tree_space="   ",
)


def rollout_status_kind(status: str) -> str:
    return {
        "Progressing": "progressing",
        "Error": "warning",
        "InvalidSpec": "warning",
        "Paused": "paused",
        "Healthy": "ok",
        "Degraded": "bad",
        "Unknown": "unknown",
        "ScaledDown": "neutral",
    }.get(status, "")


def replicaset_status_kind(status: str) -> str:
    return {
        "Progressing": "progressing",
        "Healthy": "ok",
        "ReplicaFailure": "bad",
        "ScaledDown": "neutral",
    }.get(status, "")


def analysis_status_kind(phase: str) -> str:
    return {
        "Successful": "ok",
        "Inconclusive": "unknown",
        "Failed": "bad",
        "Error": "warning",
        "Running": "progressing",
        "Pending": "waiting",
    }.get(phase, "")


def pod_status_kind(status: str) -> str:
    if status.startswith("Init:"):
        return "progressing"
    if status.startswith(("Signal:", "ExitCode:")):
        return "bad"
    # kubelet reasons ending in Error or starting with Err (ErrImagePull, CreateContainerConfigError).
    if status.endswith("Error") or status.startswith("Err"):
        return "warning"
    return {
        "Pending": "progressing",
        "Terminating": "progressing",
        "ContainerCreating": "progressing",
        "Running": "ok",
        "Completed": "ok",
        "Failed": "bad",
        "InvalidImageName": "bad",
        "CrashLoopBackOff": "bad",
        "ImagePullBackOff": "warning",
        "RegistryUnavailable": "warning",
        "Unknown": "unknown",
    }.get(status, "")
