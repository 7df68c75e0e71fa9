"""The detail's incident keys, on whatever the revision tree's cursor is on:

  l  logs: a pod's; a ReplicaSet's, experiment's or revision's pods merged (stable and canary
     side by side when the terminal is wide enough)
  Y  the object's YAML (on a revision's line: the Rollout's)
  d  the revision's pod-template diff against the stable one
  a  an AnalysisRun in full (the run under the cursor, else the live one)
  T  terminate the AnalysisRun or Experiment under the cursor (the registry's
     terminate_analysisrun / terminate_experiment, confirmed like every action)

A mixin of DetailPane (its `info` and tree); the objects and the API client are the open
DetailWatch's (the shell's `feed`), so a pane shown without a cluster says so instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual.binding import BindingType
from textual.widget import Widget

from rollout_tui.model.actions import action
from rollout_tui.model.analysis import AnalysisRunInfo
from rollout_tui.model.experiments import ExperimentInfo
from rollout_tui.model.pods import PodInfo
from rollout_tui.model.replicasets import ReplicaSetInfo
from rollout_tui.model.revision_diff import revision_diff
from rollout_tui.model.rollout import RolloutInfo
from rollout_tui.ui.detail.tree import RevisionTree
from rollout_tui.ui.detail.treesync import NodeData
from rollout_tui.ui.detail_keys import DETAIL_KEYS
from rollout_tui.ui.safe import clean
from rollout_tui.ui.screens.analysis_screen import AnalysisScreen
from rollout_tui.ui.screens.diff_screen import DiffScreen
from rollout_tui.ui.screens.logs_screen import LogOptions, LogsScreen, LogTarget
from rollout_tui.ui.screens.yaml_screen import YamlScreen

if TYPE_CHECKING:
    from rollout_tui.kube.detail import DetailWatch

SIDE_BY_SIDE = 160  # terminal columns from which stable and canary logs sit side by side


def _all_replicasets(info: RolloutInfo) -> list[ReplicaSetInfo]:
    return [*info.replicasets, *(rs for e in info.experiments for rs in e.replicasets)]


def _all_runs(info: RolloutInfo) -> list[AnalysisRunInfo]:
    return [*info.analysisruns, *(r for e in info.experiments for r in e.analysisruns)]


class IncidentKeys(Widget):
    BINDINGS: ClassVar[list[BindingType]] = [k.binding() for k in DETAIL_KEYS]
    info: RolloutInfo | None
    ascii_only: bool

    # -- where the cursor is ------------------------------------------------------------------
    def _node(self) -> NodeData | None:
        trees = self.query(RevisionTree)
        node = trees.first().cursor_node if trees else None
        return node.data if node is not None else None

    def _detail_watch(self) -> DetailWatch | None:
        feed = getattr(self.app, "feed", None)
        watch = getattr(feed, "watch", None)
        if watch is None:
            self.notify("not connected to a cluster", severity="warning")
        return watch

    def _live_selection(self) -> tuple[RolloutInfo, DetailWatch, NodeData | None] | None:
        """The rollout shown, its cluster watch and the node under the cursor; None when there is no
        rollout or no cluster (the latter is told with a warning)."""
        info = self.info
        watch = self._detail_watch() if info is not None else None
        if info is None or watch is None:
            return None
        return info, watch, self._node()

    def _revision_number(self) -> int | None:
        trees = self.query(RevisionTree)
        chosen = trees.first().selected_revision() if trees else None
        if chosen is None and self.info is not None and self.info.revisions:
            return self.info.revisions[0].revision
        return chosen

    # -- l ------------------------------------------------------------------------------------
    def _log_targets(self, info: RolloutInfo, data: NodeData | None) -> tuple[list[LogTarget], str]:
        namespace = info.state.namespace
        kind, ref = (data.kind, data.ref) if data is not None else ("", None)
        if kind == "Container" or (kind == "Event" and isinstance(ref, str)):  # a line under a pod
            kind, ref = "Pod", ref[0] if isinstance(ref, tuple) else ref
        if kind == "Pod":
            pod = next((p for rs in _all_replicasets(info) for p in rs.pods if p.name == ref), None)
            return ([LogTarget(f"pod {pod.name}", namespace, (pod,))] if pod else []), f"pod {ref}"
        if kind == "ReplicaSet":
            rs = next((r for r in _all_replicasets(info) if r.name == ref), None)
            return (self._beside(info, rs) if rs else []), f"ReplicaSet {ref}"
        if kind == "Experiment":
            exp = next((e for e in info.experiments if e.name == ref), None)
            pods: tuple[PodInfo, ...] = tuple(p for rs in exp.replicasets for p in rs.pods) if exp else ()
            return [LogTarget(f"experiment {ref}", namespace, pods)], f"experiment {ref}"
        number = self._revision_number()
        revision = next((r for r in info.revisions if r.revision == number), None)
        if revision is None:
            return [], "no revision"
        live = [rs for rs in revision.replicasets if rs.pods]
        if len(live) == 1:
            return self._beside(info, live[0]), f"revision {number}"
        pods = tuple(p for rs in revision.replicasets for p in rs.pods)
        return [LogTarget(f"revision {number}", namespace, pods)], f"revision {number}"

    def _beside(self, info: RolloutInfo, rs: ReplicaSetInfo) -> list[LogTarget]:
        """The ReplicaSet's pods; with the other of stable/canary beside it on a wide terminal."""
        namespace = info.state.namespace
        mine = LogTarget(f"{'/'.join(rs.tags) or 'ReplicaSet'} {rs.name}", namespace, rs.pods)
        if self.app.size.width < SIDE_BY_SIDE or not (rs.stable or rs.canary):
            return [mine]
        other = next(
            (o for o in info.replicasets if o.pods and o is not rs and (o.stable if rs.canary else o.canary)),
            None,
        )
        if other is None:
            return [mine]
        theirs = LogTarget(f"{'/'.join(other.tags)} {other.name}", namespace, other.pods)
        return [mine, theirs] if rs.stable else [theirs, mine]

    def action_logs(self) -> None:
        live = self._live_selection()
        if live is None:
            return
        info, watch, data = live
        targets, what = self._log_targets(info, data)
        if not any(t.pods for t in targets):
            self.notify(clean(f"no pods to read logs from ({what})", 200), severity="warning", markup=False)
            return
        container = data.ref[1] if data is not None and data.kind == "Container" else ""
        heading = f"{info.state.target} · {what}"
        options = LogOptions(container=container)
        self.app.push_screen(LogsScreen(watch.hub.context.api_client, targets, heading, options))

    # -- Y ------------------------------------------------------------------------------------
    def action_yaml(self) -> None:
        live = self._live_selection()
        if live is None:
            return
        info, watch, data = live
        kind, name = ("Rollout", info.state.name)  # a revision's line, or no line: the rollout's
        if data is not None and data.kind in ("Pod", "ReplicaSet", "AnalysisRun", "Experiment", "Job"):
            kind, name = data.kind, str(data.ref)
        obj = watch.objects().get(kind, info.state.namespace, name)
        if obj is None and kind == "Job":
            self.run_worker(
                lambda: self._fetch_job(watch, info.state.namespace, name), thread=True, exit_on_error=False
            )
            return
        if obj is None:
            self.notify(
                clean(f"{kind} {name} is not in the detail's watches", 200), severity="warning", markup=False
            )
            return
        self.app.push_screen(YamlScreen(obj))

    def _fetch_job(self, watch: DetailWatch, namespace: str, name: str) -> None:
        """On a worker thread: Jobs are not watched; one GET with timeouts."""
        from rollout_tui.kube.kinds import JOB

        try:
            obj = watch.hub.client(JOB).get(namespace, name, (10.0, 30.0))
        except Exception as exc:
            self.app.call_from_thread(
                self.notify, clean(f"Job {name}: {exc}", 200), severity="error", markup=False
            )
            return
        self.app.call_from_thread(self.app.push_screen, YamlScreen(obj))

    # -- d ------------------------------------------------------------------------------------
    def action_diff(self) -> None:
        info = self.info
        number = self._revision_number()
        if info is None or number is None:
            self.notify("no revision to compare", severity="warning")
            return
        found = revision_diff(info, number)
        if isinstance(found, str):
            self.notify(clean(found, 200), title="Revision diff", severity="warning", markup=False)
            return
        self.app.push_screen(DiffScreen(info.state.target, found, self.ascii_only))

    # -- a ------------------------------------------------------------------------------------
    def _selected_run(self) -> AnalysisRunInfo | None:
        info = self.info
        if info is None:
            return None
        runs = _all_runs(info)
        data = self._node()
        if data is not None and data.kind == "AnalysisRun":
            return next((r for r in runs if r.name == data.ref), None)
        live = [r for r in runs if r.status in ("Running", "Pending", "")]
        newest = info.revisions[0].analysisruns if info.revisions else ()
        found = live or list(newest) or runs
        return found[0] if found else None

    def action_analysis(self) -> None:
        run = self._selected_run()
        if run is None:
            self.notify("no AnalysisRun here", severity="warning")
            return
        self.app.push_screen(AnalysisScreen(run))

    # -- T ------------------------------------------------------------------------------------
    def _child(self) -> tuple[str, Any] | None:
        info, data = self.info, self._node()
        if info is None or data is None:
            return None
        if data.kind == "AnalysisRun":
            run = next((r for r in _all_runs(info) if r.name == data.ref), None)
            return ("terminate_analysisrun", run) if run else None
        if data.kind == "Experiment":
            exp: ExperimentInfo | None = next((e for e in info.experiments if e.name == data.ref), None)
            return ("terminate_experiment", exp) if exp else None
        return None

    def action_terminate(self) -> None:
        from rollout_tui.ui.child_actions import propose_child

        found = self._child()
        if found is None or self.info is None:
            self.notify("put the cursor on an AnalysisRun or Experiment to terminate it", severity="warning")
            return
        propose_child(self.app, action(found[0]), self.info.state, found[1])
