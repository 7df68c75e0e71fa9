"""The revision tree: revisions -> ReplicaSets -> pods, Experiments, AnalysisRuns.

Built as keyed NodeSpecs from the model's RolloutInfo and applied in place (treesync), so
the operator's expansion and cursor survive every watch batch.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from rich.text import Text
from textual.geometry import Size
from textual.widgets import Tree

from rollout_tui.model.analysis import AnalysisRunInfo
from rollout_tui.model.experiments import ExperimentInfo
from rollout_tui.model.icons import IconSet
from rollout_tui.model.pods import PodInfo
from rollout_tui.model.replicasets import ReplicaSetInfo
from rollout_tui.model.rollout import RevisionInfo, RolloutInfo
from rollout_tui.ui.detail.text import ROLE_STYLE, icon_set, safe, status_text
from rollout_tui.ui.detail.treesync import NodeData, NodeSpec, SyncStats, sync_tree
from rollout_tui.ui.rows import coarse_age


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


def _status(icons: IconSet, kind: str, status: str) -> Text:
    return status_text(icons, kind, status or "Unknown")


def _label(icons: IconSet, kind_glyph: str, name: str, *parts: Text | str) -> Text:
    label = Text.assemble((kind_glyph + " ", "dim"), safe(name, limit=90))
    for part in parts:
        if part:
            label.append("  ")
            label.append_text(part if isinstance(part, Text) else Text(part, style="dim"))
    return label


def _roles(rs: ReplicaSetInfo) -> Text:
    roles = [
        r
        for r, on in (
            ("stable", rs.stable),
            ("canary", rs.canary),
            ("active", rs.active),
            ("preview", rs.preview),
            ("ping", rs.ping),
            ("pong", rs.pong),
        )
        if on
    ]
    text = Text()
    for i, role in enumerate(roles):
        if i:
            text.append(",")
        text.append(role, style=ROLE_STYLE.get(role, ""))
    if rs.scale_down_delay:
        text.append("," if roles else "")
        text.append_text(safe(f"delay:{rs.scale_down_delay}", "yellow", limit=30))
    return text


@lru_cache(maxsize=4096)  # pods rarely change between batches; their labels cost the most to build
def _pod_spec(pod: PodInfo, icons: IconSet) -> NodeSpec:
    info = f"ready:{pod.ready}" + (f",restarts:{pod.restarts}" if pod.restarts else "")
    label = _label(
        icons,
        icons.pod,
        pod.name,
        _status(icons, pod.icon_kind, pod.status),
        Text(info, style="red" if pod.restarts else "dim"),
        coarse_age(pod.age),
    )
    return NodeSpec(NodeData(f"pod/{pod.uid or pod.name}", "Pod", ref=pod.name), label)


def _rs_spec(rs: ReplicaSetInfo, icons: IconSet, revision: int | None, expand: bool) -> NodeSpec:
    counts = f"avail {rs.available}/{rs.desired if rs.desired is not None else '?'}"
    label = _label(
        icons,
        icons.replicaset,
        rs.name,
        _status(icons, rs.icon_kind, rs.status),
        _roles(rs),
        counts,
        coarse_age(rs.age),
    )
    pods = tuple(_pod_spec(p, icons) for p in rs.pods)
    return NodeSpec(
        NodeData(f"rs/{rs.uid or rs.name}", "ReplicaSet", revision, ref=rs.name),
        label,
        pods,
        expand=expand and rs.replicas > 0,
    )


def _run_spec(run: AnalysisRunInfo, icons: IconSet, revision: int | None) -> NodeSpec:
    counts = Text()
    for glyph, count, style in (
        (icons.ok, run.successful, "green"),
        (icons.bad, run.failed, "red"),
        (icons.unknown, run.inconclusive, "yellow"),
        (icons.warning, run.error, "red"),
    ):
        if count:
            counts.append("," if counts else "")
            counts.append(f"{glyph} {count}", style=style)
    kind = Text(run.rollout_type.lower(), style="dim") if run.rollout_type else ""
    label = _label(
        icons,
        icons.analysis,
        run.name,
        _status(icons, run.icon_kind, run.status),
        counts,
        kind,
        coarse_age(run.age),
    )
    jobs = tuple(
        NodeSpec(
            NodeData(f"job/{run.uid}/{job.name}", "Job", revision, ref=job.name),
            _label(
                icons, icons.job, job.name, _status(icons, job.icon_kind, job.status), coarse_age(job.age)
            ),
        )
        for job in run.jobs
    )
    return NodeSpec(
        NodeData(f"run/{run.uid or run.name}", "AnalysisRun", revision, ref=run.name),
        label,
        jobs,
        expand=False,
    )


def _experiment_spec(exp: ExperimentInfo, icons: IconSet, revision: int | None, expand: bool) -> NodeSpec:
    label = _label(
        icons, icons.experiment, exp.name, _status(icons, exp.icon_kind, exp.status), coarse_age(exp.age)
    )
    children = tuple(_rs_spec(rs, icons, revision, expand) for rs in exp.replicasets)
    children += tuple(_run_spec(run, icons, revision) for run in exp.analysisruns)
    return NodeSpec(
        NodeData(f"exp/{exp.uid or exp.name}", "Experiment", revision, ref=exp.name),
        label,
        children,
        expand=expand,
    )


def _revision_label(rev: RevisionInfo, icons: IconSet) -> Text:
    label = Text.assemble((f"{icons.revision} ", "dim"), (f"revision {rev.revision}", "bold"))
    roles = Text()
    for rs in rev.replicasets:
        roles.append_text(_roles(rs))
    if roles:
        label.append("  ")
        label.append_text(roles)
    images = tuple(dict.fromkeys(image for rs in rev.replicasets for image in rs.images))
    if images:
        label.append("  ")
        label.append_text(safe(", ".join(images), "dim", limit=80))
    return label


MAX_REVISIONS = 15  # a long history (revisionHistoryLimit raised) must not bury the live revisions


def revision_specs(info: RolloutInfo, ascii_only: bool) -> tuple[NodeSpec, ...]:
    """One node per revision, newest first and expanded; older revisions start collapsed."""
    icons = icon_set(ascii_only)
    specs = []
    for index, rev in enumerate(info.revisions[:MAX_REVISIONS]):
        fresh = index == 0
        live = fresh or any(rs.replicas > 0 for rs in rev.replicasets)
        children = tuple(_rs_spec(rs, icons, rev.revision, True) for rs in rev.replicasets)
        children += tuple(_experiment_spec(e, icons, rev.revision, fresh) for e in rev.experiments)
        children += tuple(_run_spec(r, icons, rev.revision) for r in rev.analysisruns)
        specs.append(
            NodeSpec(
                NodeData(f"rev/{rev.revision}", "Revision", rev.revision),
                _revision_label(rev, icons),
                children,
                expand=live,
            )
        )
    hidden = len(info.revisions) - MAX_REVISIONS
    if hidden > 0:
        more = "..." if ascii_only else "…"
        specs.append(
            NodeSpec(
                NodeData("rev/older", "More"),
                Text(f"{more} {hidden} older revisions (see `get rollout`)", style="dim"),
            )
        )
    return tuple(specs)
