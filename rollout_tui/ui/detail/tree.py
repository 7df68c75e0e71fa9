"""The revision tree: revisions -> ReplicaSets -> pods, Experiments, AnalysisRuns.

Built as keyed NodeSpecs from the model's RolloutInfo and applied in place (treesync), so
the operator's expansion and cursor survive every watch batch.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from rich.text import Text
from textual.geometry import Size
from textual.widgets import Tree

from rollout_tui.model.analysis import AnalysisRunInfo
from rollout_tui.model.events import EventInfo, latest_warnings
from rollout_tui.model.experiments import ExperimentInfo
from rollout_tui.model.icons import Glyphs
from rollout_tui.model.pods import PodInfo
from rollout_tui.model.replicasets import ReplicaSetInfo
from rollout_tui.model.rollout import RevisionInfo, RolloutInfo
from rollout_tui.ui.detail.pod_nodes import pod_children
from rollout_tui.ui.detail.text import safe, status_text
from rollout_tui.ui.detail.treesync import NodeData, NodeSpec, SyncStats, sync_tree
from rollout_tui.ui.rows import age_cell
from rollout_tui.ui.styles import ROLE_STYLE


class RevisionTree(Tree[NodeData]):
    """A Tree that never parses labels as markup and reports the revision under the cursor."""

    DEFAULT_CSS = """
    RevisionTree { height: auto; padding: 0; background: transparent; scrollbar-size-horizontal: 0; }
    RevisionTree:focus { background-tint: $foreground 3%; }
    """

    def __init__(self, ascii_only: bool = False, **kwargs: Any) -> None:
        super().__init__(Text("revisions"), **kwargs)
        if ascii_only:
            self.ICON_NODE, self.ICON_NODE_EXPANDED = "+ ", "- "
            self.LINES = {style: ("  ", "| ", "`-", "|-") for style in ("default", "bold", "double")}
        self.show_root = False
        self.guide_depth = 3
        self.auto_expand = False  # Enter selects (opens a chart on an AnalysisRun), space toggles

    def watch_virtual_size(self, old: Size, new: Size) -> None:
        # Our height is auto, i.e. the virtual height, which Tree computes lazily (on idle or render)
        # after nodes change. Textual caches a widget's box model under `_layout_updates`, bumped by
        # refresh(layout=True) only when no layout is already pending; if a layout runs between the
        # nodes changing and the lines being built, it caches height 0, and the relayout that the new
        # virtual size asks for hits that cache: nodes present, nothing drawn (1 in 4 on a freshly
        # pushed detail screen). A new virtual height therefore invalidates the cached box model.
        if old.height != new.height:
            self._layout_updates += 1

    def process_label(self, label: str | Text) -> Text:
        # Tree would run str labels through Text.from_markup; cluster names must stay literal.
        text = label if isinstance(label, Text) else Text(label)
        return text.split()[0] if "\n" in text.plain else text

    def apply(self, specs: tuple[NodeSpec, ...]) -> SyncStats:
        return sync_tree(self, specs)

    def selected_revision(self) -> int | None:
        """Revision of the node under the cursor, or of its nearest ancestor that has one."""
        node = self.cursor_node
        while node is not None:
            if node.data is not None and node.data.revision is not None:
                return node.data.revision
            node = node.parent
        return None


def _status(glyphs: Glyphs, kind: str, status: str) -> Text:
    return status_text(glyphs, kind, status or "Unknown")


def _label(glyphs: Glyphs, kind_glyph: str, name: str, *parts: Text | str) -> Text:
    label = Text.assemble((kind_glyph + " ", "dim"), safe(name, limit=90))
    for part in parts:
        if part:
            label.append("  ")
            label.append_text(part if isinstance(part, Text) else Text(part, style="dim"))
    return label


def _roles(rs: ReplicaSetInfo, now: datetime) -> Text:
    roles = rs.roles()
    text = Text()
    for i, role in enumerate(roles):
        if i:
            text.append(",")
        text.append(role, style=ROLE_STYLE.get(role, ""))
    delay = rs.scale_down_delay(now)
    if delay:
        text.append("," if roles else "")
        text.append_text(safe(f"delay:{delay}", "yellow", limit=30))
    return text


# Pods rarely change between batches and their labels cost the most to build; the key holds the
# age text, so each minute adds entries: the bound is a few screenfuls of pods (one detail at a time).
@lru_cache(maxsize=512)
def _pod_spec(
    pod: PodInfo, glyphs: Glyphs, age: str, warning: EventInfo | None, warning_age: str
) -> NodeSpec:
    info = f"ready:{pod.ready}" + (f",restarts:{pod.restarts}" if pod.restarts else "")
    label = _label(
        glyphs,
        glyphs.pod,
        pod.name,
        _status(glyphs, pod.icon_kind, pod.status),
        Text(info, style="red" if pod.restarts else "dim"),
        age,
    )
    children = pod_children(pod, glyphs, warning, warning_age)  # the container truth, when in trouble
    return NodeSpec(NodeData(f"pod/{pod.uid or pod.name}", "Pod", ref=pod.name), label, children)


@dataclass(frozen=True)
class _Build:
    """What every node of one revision is built with: the glyphs, the revision it is under, the
    time ages are counted to, and each pod's latest warning event."""

    glyphs: Glyphs
    revision: int | None
    now: datetime
    warnings: dict[str, EventInfo]


def _pods(rs: ReplicaSetInfo, build: _Build) -> tuple[NodeSpec, ...]:
    specs = []
    now = build.now
    for p in rs.pods:
        warning = build.warnings.get(p.name)
        when = warning.last_seen if warning is not None else None
        specs.append(
            _pod_spec(p, build.glyphs, age_cell(p.created, now), warning, age_cell(when, now) if when else "")
        )
    return tuple(specs)


def _rs_spec(rs: ReplicaSetInfo, build: _Build, expand: bool) -> NodeSpec:
    glyphs, now = build.glyphs, build.now
    counts = f"avail {rs.available}/{rs.desired if rs.desired is not None else '?'}"
    status = _status(glyphs, rs.icon_kind, rs.status)
    label = _label(
        glyphs, glyphs.replicaset, rs.name, status, _roles(rs, now), counts, age_cell(rs.created, now)
    )
    data = NodeData(f"rs/{rs.uid or rs.name}", "ReplicaSet", build.revision, ref=rs.name)
    return NodeSpec(data, label, _pods(rs, build), expand=expand and rs.replicas > 0)


def _run_spec(run: AnalysisRunInfo, build: _Build) -> NodeSpec:
    glyphs, now, revision = build.glyphs, build.now, build.revision
    counts = Text()
    for glyph, count, style in (
        (glyphs.ok, run.successful, "green"),
        (glyphs.bad, run.failed, "red"),
        (glyphs.unknown, run.inconclusive, "yellow"),
        (glyphs.warning, run.error, "red"),
    ):
        if count:
            counts.append("," if counts else "")
            counts.append(f"{glyph} {count}", style=style)
    kind = Text(run.rollout_type.lower(), style="dim") if run.rollout_type else ""
    status = _status(glyphs, run.icon_kind, run.status)
    label = _label(glyphs, glyphs.analysis, run.name, status, counts, kind, age_cell(run.created, now))
    jobs = tuple(
        NodeSpec(
            NodeData(f"job/{run.uid}/{job.name}", "Job", revision, ref=job.name),
            _label(
                glyphs,
                glyphs.job,
                job.name,
                _status(glyphs, job.icon_kind, job.status),
                age_cell(job.created, now),
            ),
        )
        for job in run.jobs
    )
    data = NodeData(f"run/{run.uid or run.name}", "AnalysisRun", revision, ref=run.name)
    return NodeSpec(data, label, jobs, expand=False)


def _experiment_spec(exp: ExperimentInfo, build: _Build, expand: bool) -> NodeSpec:
    glyphs = build.glyphs
    status = _status(glyphs, exp.icon_kind, exp.status)
    label = _label(glyphs, glyphs.experiment, exp.name, status, age_cell(exp.created, build.now))
    children = tuple(_rs_spec(rs, build, expand) for rs in exp.replicasets)
    children += tuple(_run_spec(run, build) for run in exp.analysisruns)
    data = NodeData(f"exp/{exp.uid or exp.name}", "Experiment", build.revision, ref=exp.name)
    return NodeSpec(data, label, children, expand=expand)


def _revision_label(rev: RevisionInfo, glyphs: Glyphs, now: datetime) -> Text:
    label = Text.assemble((f"{glyphs.revision} ", "dim"), (f"revision {rev.revision}", "bold"))
    roles = Text()
    for rs in rev.replicasets:
        roles.append_text(_roles(rs, now))
    if roles:
        label.append("  ")
        label.append_text(roles)
    images = tuple(dict.fromkeys(image for rs in rev.replicasets for image in rs.images))
    if images:
        label.append("  ")
        label.append_text(safe(", ".join(images), "dim", limit=80))
    return label


MAX_REVISIONS = 15  # a long history (revisionHistoryLimit raised) must not bury the live revisions


def revision_specs(info: RolloutInfo, glyphs: Glyphs, now: datetime) -> tuple[NodeSpec, ...]:
    """One node per revision, newest first and expanded; older revisions start collapsed."""
    specs = []
    warnings = latest_warnings(info.events)
    for index, rev in enumerate(info.revisions[:MAX_REVISIONS]):
        fresh = index == 0
        live = fresh or any(rs.replicas > 0 for rs in rev.replicasets)
        build = _Build(glyphs, rev.revision, now, warnings)
        children = tuple(_rs_spec(rs, build, True) for rs in rev.replicasets)
        children += tuple(_experiment_spec(e, build, fresh) for e in rev.experiments)
        children += tuple(_run_spec(r, build) for r in rev.analysisruns)
        data = NodeData(f"rev/{rev.revision}", "Revision", rev.revision)
        specs.append(NodeSpec(data, _revision_label(rev, glyphs, now), children, expand=live))
    hidden = len(info.revisions) - MAX_REVISIONS
    if hidden > 0:
        text = Text(f"{glyphs.ellipsis} {hidden} older revisions (see `get rollout`)", style="dim")
        specs.append(NodeSpec(NodeData("rev/older", "More"), text))
    return tuple(specs)
