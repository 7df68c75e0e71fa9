"""The one glyph set: the plugin's Unicode icons and rollout-tui's own marks, or plain ASCII.

Status glyphs are keyed by a semantic status kind (STATUS_KINDS), so a rollout, a ReplicaSet, a
pod and an AnalysisRun in the same state look alike everywhere: the `get` output, the table, the
detail. `--ascii` swaps the whole set.
"""

from __future__ import annotations

from dataclasses import dataclass

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


# Keyed by model.attention's level names (icons is imported by the model, not the other way round).
ATTENTION_MARKS = {"failing": "!", "stuck": "!", "waiting": "?"}


@dataclass(frozen=True, slots=True)
class Glyphs:
    ascii: bool
    # status kinds (the plugin's icons)
    waiting: str
    progressing: str
    warning: str
    unknown: str
    ok: str
    bad: str
    paused: str
    neutral: str
    # object kinds (the plugin's tree)
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
    # rollout-tui's marks: steps, the traffic bar, separators
    current: str
    pending: str
    skipped: str
    bar_stable: str
    bar_canary: str
    bar_empty: str
    marker: str
    infinity: str
    bullet: str
    arrow: str
    ellipsis: str
    sep: str
    dash: str

    @property
    def done(self) -> str:
        """A completed step: the same mark as a healthy object."""
        return self.ok

    def status(self, kind: str) -> str:
        """Glyph for a semantic status kind (see STATUS_KINDS); a space when there is none."""
        return str(getattr(self, kind)) if kind in STATUS_KINDS else " "

    def of_status(self, status: str) -> str:
        """Glyph for a rollout status name ("Healthy", "Degraded" ...); "?" when unknown."""
        kind = rollout_status_kind(status)
        return self.status(kind) if kind else self.unknown

    def kind(self, kind: str) -> str:
        field = _KIND_FIELDS.get(kind)
        return str(getattr(self, field)) if field else "?"

    def of_attention(self, level: str) -> str:
        """The needs-me mark of an attention level (model.attention): "!" something is wrong,
        "?" a decision waits for a human, " " carrying on by itself or healthy. ASCII already."""
        return ATTENTION_MARKS.get(level, " ")


UNICODE = Glyphs(
    ascii=False,
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
    current="▶",
    pending="○",
    skipped="↷",
    bar_stable="█",
    bar_canary="▓",
    bar_empty="░",
    marker="┃",
    infinity="∞",
    bullet="·",
    arrow="→",
    ellipsis="…",
    sep=" · ",
    dash="—",
)

ASCII = Glyphs(
    ascii=True,
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
    current=">",
    pending="-",
    skipped="/",
    bar_stable="=",
    bar_canary="#",
    bar_empty=".",
    marker="|",
    infinity="inf",
    bullet="-",
    arrow="->",
    ellipsis="...",
    sep=" | ",
    dash="-",
)


def glyphs_for(ascii_only: bool) -> Glyphs:
    return ASCII if ascii_only else UNICODE


def _status_kinds(**statuses: tuple[str, ...]) -> dict[str, str]:
    """A status → kind table, written kind by kind (each keyword one of STATUS_KINDS)."""
    unknown = set(statuses) - set(STATUS_KINDS)
    if unknown:
        raise ValueError(f"not status kinds: {sorted(unknown)}")
    return {status: kind for kind, names in statuses.items() for status in names}


_ROLLOUT_KINDS = _status_kinds(
    progressing=("Progressing",),
    warning=("Error", "InvalidSpec"),
    paused=("Paused",),
    ok=("Healthy",),
    bad=("Degraded",),
    unknown=("Unknown",),
    neutral=("ScaledDown",),
)
_REPLICASET_KINDS = _status_kinds(
    progressing=("Progressing",), ok=("Healthy",), bad=("ReplicaFailure",), neutral=("ScaledDown",)
)
_ANALYSIS_KINDS = _status_kinds(
    ok=("Successful",),
    unknown=("Inconclusive",),
    bad=("Failed",),
    warning=("Error",),
    progressing=("Running",),
    waiting=("Pending",),
)
_POD_KINDS = _status_kinds(
    progressing=("Pending", "Terminating", "ContainerCreating"),
    ok=("Running", "Completed"),
    bad=("Failed", "InvalidImageName", "CrashLoopBackOff"),
    warning=("ImagePullBackOff", "RegistryUnavailable"),
    unknown=("Unknown",),
)


def rollout_status_kind(status: str) -> str:
    return _ROLLOUT_KINDS.get(status, "")


def replicaset_status_kind(status: str) -> str:
    return _REPLICASET_KINDS.get(status, "")


def analysis_status_kind(phase: str) -> str:
    return _ANALYSIS_KINDS.get(phase, "")


def pod_status_kind(status: str) -> str:
    if status.startswith("Init:"):
        return "progressing"
    if status.startswith(("Signal:", "ExitCode:")):
        return "bad"
    # kubelet reasons ending in Error or starting with Err (ErrImagePull, CreateContainerConfigError).
    if status.endswith("Error") or status.startswith("Err"):
        return "warning"
    return _POD_KINDS.get(status, "")
