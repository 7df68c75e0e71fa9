"""`get rollout` / `get experiment` text, byte-compatible with `kubectl argo rollouts get`.

Pure functions of view models: no I/O, no clock (ages were computed by the model). All text
from objects passes through `safe.clean` before it is coloured or laid out.
"""

from __future__ import annotations

from rollout_tui.model.analysis import AnalysisRunInfo, JobInfo
from rollout_tui.model.experiments import ExperimentInfo
from rollout_tui.model.icons import UNICODE, IconSet
from rollout_tui.model.images import ImageInfo
from rollout_tui.model.replicasets import ReplicaSetInfo
from rollout_tui.model.rollout import RolloutInfo
from rollout_tui.render.ansi import Painter
from rollout_tui.render.safe import clean
from rollout_tui.render.tabwriter import tabwrite

# What `get -w` prints before each frame: cursor home, clear screen (as the plugin's Clear()).
CLEAR_SCREEN = "\x1b[H\x1b[2J\x1b[0;0H"
TREE_HEADER = "NAME\tKIND\tSTATUS\tAGE\tINFO\n"


def _field(label: str, value: object) -> str:
    return f"{label:<17}{value}\n"  # Go "%-17s%v": width in runes, like Python's format


class _Tree:
    """Accumulates tab-separated tree rows; one instance per rendering."""

    def __init__(self, paint: Painter, icons: IconSet) -> None:
        self.paint = paint
        self.icons = icons
        self.rows: list[str] = [TREE_HEADER]

    def prefixes(self, is_last: bool, sub: str) -> tuple[str, str]:
        if is_last:
            return sub + self.icons.tree_last, sub + self.icons.tree_space
        return sub + self.icons.tree_branch, sub + self.icons.tree_pipe

    def row(
        self,
        prefix: str,
        kind_icon: str,
        name: str,
        kind: str,
        status_icon: str,
        status: str,
        age: str,
        info: str,
    ) -> None:
        self.rows.append(f"{prefix}{kind_icon} {name}\t{kind}\t{status_icon} {status}\t{age}\t{info}\n")

    def status_icon(self, kind: str) -> str:
        return self.paint.icon(self.icons.status(kind), kind)

    def replicaset(self, rs: ReplicaSetInfo, prefix: str, sub: str) -> None:
        info_cols: list[str] = []
        name = clean(rs.name)
        for tag in rs.tags:
            info_cols.append(self.paint.word(tag))
            name = self.paint.by(name, tag)
        if rs.has_scale_down_annotation:
            info_cols.append(f"delay:{rs.scale_down_delay}")
        self.row(
            prefix,
            self.icons.replicaset,
            name,
            "ReplicaSet",
            self.status_icon(rs.icon_kind),
            clean(rs.status),
            rs.age,
            ",".join(info_cols),
        )
        for i, pod in enumerate(rs.pods):
            pod_prefix, _ = self.prefixes(i == len(rs.pods) - 1, sub)
            info = f"ready:{clean(pod.ready)}" + (f",restarts:{pod.restarts}" if pod.restarts > 0 else "")
            self.row(
                pod_prefix,
                self.icons.pod,
                clean(pod.name),
                "Pod",
                self.status_icon(pod.icon_kind),
                clean(pod.status),
                pod.age,
                info,
            )

    def analysisrun(self, run: AnalysisRunInfo, prefix: str, sub: str) -> None:
        counts = [
            ("ok", run.successful),
            ("bad", run.failed),
            ("unknown", run.inconclusive),
            ("warning", run.error),
        ]
        info = ",".join(f"{self.status_icon(kind)} {n}" for kind, n in counts if n > 0)
        self.row(
            prefix,
            self.icons.analysis,
            self.paint.by(clean(run.name), run.status),
            "AnalysisRun",
            self.status_icon(run.icon_kind),
            clean(run.status),
            run.age,
            info,
        )
        for i, job in enumerate(run.jobs):
            job_prefix, _ = self.prefixes(i == len(run.jobs) - 1, sub)
            self.job(job, job_prefix)

    def job(self, job: JobInfo, prefix: str) -> None:
        self.row(
            prefix,
            self.icons.job,
            self.paint.by(clean(job.name), job.status),
            "Job",
            self.status_icon(job.icon_kind),
            clean(job.status),
            job.age,
            "",
        )

    def experiment(self, exp: ExperimentInfo, prefix: str, sub: str) -> None:
        self.row(
            prefix,
            self.icons.experiment,
            self.paint.by(clean(exp.name), exp.status),
            "Experiment",
            self.status_icon(exp.icon_kind),
            clean(exp.status),
            exp.age,
            "",
        )
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
    lines = []
    for i, image in enumerate(images):
        lines.append(_field("Images:" if i == 0 else "", _format_image(image, paint)))
    return "".join(lines)


def _identity_fields(info: RolloutInfo | ExperimentInfo, paint: Painter, icons: IconSet) -> list[str]:
    """Name, Namespace, Status and (when set) Message: the block `get rollout` and `get experiment` share."""
    out = [
        _field("Name:", clean(info.name)),
        _field("Namespace:", clean(info.namespace)),
        _field("Status:", f"{paint.icon(icons.status(info.icon_kind), info.icon_kind)} {clean(info.status)}"),
    ]
    if info.message:
        out.append(_field("Message:", clean(info.message)))
    return out


def render_rollout(info: RolloutInfo, color: bool = False, icons: IconSet = UNICODE) -> str:
    """The full `get rollout` output: header block, blank line, tree."""
    paint = Painter(color)
    out = _identity_fields(info, paint, icons)
    out.append(_field("Strategy:", info.strategy))
    if info.strategy == "Canary":
        out.append(_field("  Step:", info.step))
        out.append(_field("  SetWeight:", info.set_weight))
        out.append(_field("  ActualWeight:", info.actual_weight))
    out.append(_images(info.images, paint))
    out.append("Replicas:\n")
    for label, value in (
        ("  Desired:", info.desired),
        ("  Current:", info.current),
        ("  Updated:", info.updated),
        ("  Ready:", info.ready),
        ("  Available:", info.available),
    ):
        out.append(_field(label, value))
    out.append("\n")
    out.append(render_rollout_tree(info, color, icons))
    return "".join(out)


def render_rollout_tree(info: RolloutInfo, color: bool = False, icons: IconSet = UNICODE) -> str:
    tree = _Tree(Painter(color), icons)
    tree.row(
        "",
        icons.rollout,
        clean(info.name),
        "Rollout",
        tree.status_icon(info.icon_kind),
        clean(info.status),
        info.age,
        "",
    )
    for i, revision in enumerate(info.revisions):
        prefix, sub = tree.prefixes(i == len(info.revisions) - 1, "")
        tree.rows.append(f"{prefix}{icons.revision} revision:{revision.revision}\t\t \t\t\n")
        children = (
            [(tree.replicaset, rs) for rs in revision.replicasets]
            + [(tree.experiment, exp) for exp in revision.experiments]
            + [(tree.analysisrun, run) for run in revision.analysisruns]
        )
        for j, (draw, child) in enumerate(children):
            draw(child, *tree.prefixes(j == len(children) - 1, sub))  # type: ignore[operator]
    return tree.text()


def render_rollout_for_watch(info: RolloutInfo, color: bool = False, icons: IconSet = UNICODE) -> str:
    """One `get rollout -w` frame: clear the screen, then the full output (as the plugin does)."""
    return CLEAR_SCREEN + render_rollout(info, color, icons)


def render_experiment(info: ExperimentInfo, color: bool = False, icons: IconSet = UNICODE) -> str:
    """The full `get experiment` output."""
    paint = Painter(color)
    out = _identity_fields(info, paint, icons)
    out.append(_images(info.images, paint))
    out.append("\n")
    tree = _Tree(paint, icons)
    tree.experiment(info, "", "")
    out.append(tree.text())
    return "".join(out)


def render_experiment_for_watch(info: ExperimentInfo, color: bool = False, icons: IconSet = UNICODE) -> str:
    return CLEAR_SCREEN + render_experiment(info, color, icons)
