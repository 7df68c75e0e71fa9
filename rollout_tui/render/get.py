"""`get rollout` / `get experiment` text, byte-compatible with `kubectl argo rollouts get`.

Pure functions of the model's views and the instant `now` the ages are computed at (the plugin's
pkg/kubectl-argo-rollouts/cmd/get/get_rollout.go and get_experiment.go). All text from objects
passes through `safe.clean` before it is coloured or laid out.
"""

from __future__ import annotations

from datetime import datetime

from rollout_tui.model.analysis import AnalysisRunInfo, JobInfo
from rollout_tui.model.durations import age_at
from rollout_tui.model.experiments import ExperimentInfo
from rollout_tui.model.icons import UNICODE, Glyphs
from rollout_tui.model.images import ImageInfo
from rollout_tui.model.replicasets import ReplicaSetInfo
from rollout_tui.model.rollout import RolloutInfo
from rollout_tui.render.ansi import Painter
from rollout_tui.render.safe import clean
from rollout_tui.render.tabwriter import tabwrite

TREE_HEADER = "NAME\tKIND\tSTATUS\tAGE\tINFO\n"


def _field(label: str, value: object) -> str:
    return f"{label:<17}{value}\n"  # Go "%-17s%v": width in runes, like Python's format


class _Tree:
    """Accumulates tab-separated tree rows; one instance per rendering."""

    def __init__(self, paint: Painter, glyphs: Glyphs, now: datetime) -> None:
        self.paint = paint
        self.glyphs = glyphs
        self.now = now
        self.rows: list[str] = [TREE_HEADER]

    def prefixes(self, is_last: bool, sub: str) -> tuple[str, str]:
        if is_last:
            return sub + self.glyphs.tree_last, sub + self.glyphs.tree_space
        return sub + self.glyphs.tree_branch, sub + self.glyphs.tree_pipe

    def row(
        self, prefix: str, kind_icon: str, name: str, kind: str, status: str, age: str, info: str
    ) -> None:
        self.rows.append(f"{prefix}{kind_icon} {name}\t{kind}\t{status}\t{age}\t{info}\n")

    def status(self, kind: str, status: str) -> str:
        return f"{self.paint.icon(self.glyphs.status(kind), kind)} {clean(status)}"

    def age(self, created: datetime | None) -> str:
        return age_at(created, self.now)

    def replicaset(self, rs: ReplicaSetInfo, prefix: str, sub: str) -> None:
        info_cols: list[str] = []
        name = clean(rs.name)
        for tag in rs.tags:
            info_cols.append(self.paint.word(tag))
            name = self.paint.by(name, tag)
        if rs.has_scale_down_annotation:
            info_cols.append(f"delay:{rs.scale_down_delay(self.now)}")
        status = self.status(rs.icon_kind, rs.status)
        self.row(
            prefix,
            self.glyphs.replicaset,
            name,
            "ReplicaSet",
            status,
            self.age(rs.created),
            ",".join(info_cols),
        )
        for i, pod in enumerate(rs.pods):
            pod_prefix, _ = self.prefixes(i == len(rs.pods) - 1, sub)
            info = f"ready:{clean(pod.ready)}" + (f",restarts:{pod.restarts}" if pod.restarts > 0 else "")
            pod_status = self.status(pod.icon_kind, pod.status)
            self.row(
                pod_prefix, self.glyphs.pod, clean(pod.name), "Pod", pod_status, self.age(pod.created), info
            )

    def analysisrun(self, run: AnalysisRunInfo, prefix: str, sub: str) -> None:
        counts = [
            ("ok", run.successful),
            ("bad", run.failed),
            ("unknown", run.inconclusive),
            ("warning", run.error),
        ]
        info = ",".join(
            f"{self.paint.icon(self.glyphs.status(kind), kind)} {n}" for kind, n in counts if n > 0
        )
        name = self.paint.by(clean(run.name), run.status)
        status = self.status(run.icon_kind, run.status)
        self.row(prefix, self.glyphs.analysis, name, "AnalysisRun", status, self.age(run.created), info)
        for i, job in enumerate(run.jobs):
            job_prefix, _ = self.prefixes(i == len(run.jobs) - 1, sub)
            self.job(job, job_prefix)

    def job(self, job: JobInfo, prefix: str) -> None:
        name = self.paint.by(clean(job.name), job.status)
        self.row(
            prefix,
            self.glyphs.job,
            name,
            "Job",
            self.status(job.icon_kind, job.status),
            self.age(job.created),
            "",
        )

    def experiment(self, exp: ExperimentInfo, prefix: str, sub: str) -> None:
        name = self.paint.by(clean(exp.name), exp.status)
        status = self.status(exp.icon_kind, exp.status)
        self.row(prefix, self.glyphs.experiment, name, "Experiment", status, self.age(exp.created), "")
        total = len(exp.replicasets) + len(exp.analysisruns)
        for i, rs in enumerate(exp.replicasets):
            self.replicaset(rs, *self.prefixes(i == total - 1, sub))
        for j, run in enumerate(exp.analysisruns, start=len(exp.replicasets)):
            self.analysisrun(run, *self.prefixes(j == total - 1, sub))

    def text(self) -> str:
        return tabwrite("".join(self.rows))


def _format_image(image: ImageInfo, paint: Painter) -> str:
    if not image.tags:
        return clean(image.image)
    return f"{clean(image.image)} ({', '.join(paint.word(clean(tag)) for tag in image.tags)})"


def _images(images: tuple[ImageInfo, ...], paint: Painter) -> str:
    return "".join(
        _field("Images:" if i == 0 else "", _format_image(image, paint)) for i, image in enumerate(images)
    )


def _identity_fields(
    name: str, namespace: str, icon_kind: str, status: str, message: str, paint: Painter, glyphs: Glyphs
) -> list[str]:
    """Name, Namespace, Status and (when set) Message: the block `get rollout` and `get experiment` share."""
    out = [
        _field("Name:", clean(name)),
        _field("Namespace:", clean(namespace)),
        _field("Status:", f"{paint.icon(glyphs.status(icon_kind), icon_kind)} {clean(status)}"),
    ]
    if message:
        out.append(_field("Message:", clean(message)))
    return out


def render_rollout(info: RolloutInfo, now: datetime, color: bool = False, glyphs: Glyphs = UNICODE) -> str:
    """The full `get rollout` output: header block, blank line, tree."""
    paint = Painter(color)
    state = info.state
    out = _identity_fields(
        state.name, state.namespace, state.icon_kind, state.status, state.message, paint, glyphs
    )
    out.append(_field("Strategy:", state.strategy))
    if state.strategy == "Canary":
        out.append(_field("  Step:", state.step_label))
        out.append(_field("  SetWeight:", state.set_weight))
        out.append(_field("  ActualWeight:", state.actual_weight))
    out.append(_images(info.images, paint))
    out.append("Replicas:\n")
    for label, value in (
        ("  Desired:", state.replicas.desired),
        ("  Current:", state.replicas.current),
        ("  Updated:", state.replicas.updated),
        ("  Ready:", state.replicas.ready),
        ("  Available:", state.replicas.available),
    ):
        out.append(_field(label, value))
    out.append("\n")
    out.append(render_rollout_tree(info, now, color, glyphs))
    return "".join(out)


def render_rollout_tree(
    info: RolloutInfo, now: datetime, color: bool = False, glyphs: Glyphs = UNICODE
) -> str:
    tree = _Tree(Painter(color), glyphs, now)
    state = info.state
    status = tree.status(state.icon_kind, state.status)
    tree.row("", glyphs.rollout, clean(state.name), "Rollout", status, age_at(state.created, now), "")
    for i, revision in enumerate(info.revisions):
        prefix, sub = tree.prefixes(i == len(info.revisions) - 1, "")
        tree.rows.append(f"{prefix}{glyphs.revision} revision:{revision.revision}\t\t \t\t\n")
        count = len(revision.replicasets) + len(revision.experiments) + len(revision.analysisruns)
        position = 0
        for rs in revision.replicasets:
            position += 1
            tree.replicaset(rs, *tree.prefixes(position == count, sub))
        for exp in revision.experiments:
            position += 1
            tree.experiment(exp, *tree.prefixes(position == count, sub))
        for run in revision.analysisruns:
            position += 1
            tree.analysisrun(run, *tree.prefixes(position == count, sub))
    return tree.text()


def render_experiment(
    info: ExperimentInfo, now: datetime, color: bool = False, glyphs: Glyphs = UNICODE
) -> str:
    """The full `get experiment` output."""
    paint = Painter(color)
    out = _identity_fields(
        info.name, info.namespace, info.icon_kind, info.status, info.message, paint, glyphs
    )
    out.append(_images(info.images, paint))
    out.append("\n")
    tree = _Tree(paint, glyphs, now)
    tree.experiment(info, "", "")
    out.append(tree.text())
    return "".join(out)
