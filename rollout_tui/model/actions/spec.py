"""What an action is: the declaration every part of rollout-tui reads (keys, footer, help, palette,
RBAC checks, confirmations, the stale-view guard, the requests sent and the CLI commands).

Pure data and pure functions: the kube layer reads the objects an action needs, asks the spec for
its writes and sends them (kube.actions); the UI asks whether the action is possible now and what
it would do; the CLI builds its subcommands from the specs (commands.actions).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rollout_tui.model.rollout import RolloutInfo
    from rollout_tui.model.state import RolloutState

MERGE = "application/merge-patch+json"
JSON_PATCH = "application/json-patch+json"
JSON = "application/json"

ROLLOUT, ANALYSIS_RUN, EXPERIMENT = "Rollout", "AnalysisRun", "Experiment"


@dataclass(frozen=True, slots=True)
class Permission:
    """One SelfSubjectAccessReview an action needs (what `kubectl auth can-i` asks)."""

    verb: str
    group: str
    resource: str
    subresource: str = ""

    def describe(self) -> str:
        return f"{self.resource}/{self.subresource}" if self.subresource else self.resource


@dataclass(frozen=True, slots=True)
class Resource:
    group: str
    version: str
    plural: str


ROLLOUTS = Resource("argoproj.io", "v1alpha1", "rollouts")
ANALYSIS_RUNS = Resource("argoproj.io", "v1alpha1", "analysisruns")
EXPERIMENTS = Resource("argoproj.io", "v1alpha1", "experiments")
DEPLOYMENTS = Resource("apps", "v1", "deployments")
REPLICA_SETS = Resource("apps", "v1", "replicasets")
POD_TEMPLATES = Resource("", "v1", "podtemplates")
# spec.workloadRef kinds (rollout/templateref.go): (resource, path of the pod template in it)
WORKLOADS: dict[str, tuple[Resource, tuple[str, ...]]] = {
    "Deployment": (DEPLOYMENTS, ("spec", "template")),
    "ReplicaSet": (REPLICA_SETS, ("spec", "template")),
    "PodTemplate": (POD_TEMPLATES, ("template",)),
}


@dataclass(frozen=True, slots=True)
class Write:
    """One request: a PATCH (merge or JSON patch) or a PUT of `body` to `resource`/`name`."""

    resource: Resource
    name: str
    body: Any
    content_type: str = MERGE
    subresource: str = ""  # "status" for the Rollout status subresource
    method: str = "PATCH"
    # The plugin's pre-v0.10 fallback: when the status subresource answers NotFound, this one
    # request to the main resource is sent instead of the rest.
    fallback: Write | None = None


@dataclass(frozen=True, slots=True)
class ActionArgs:
    """What the operator adds to an action: a revision, an image, a delay."""

    revision: int = 0  # undo: 0 = the previous revision
    container: str = "*"  # set image: container name, "*" = every container
    image: str = ""
    delay: timedelta = timedelta(0)  # restart --in
    delay_text: str = "0s"
    now: datetime = field(default_factory=lambda: datetime.now(UTC))  # restartAt = now + delay
    change: str = ""  # what the action changes in the pod template, in words (spec.template_change)


@dataclass(frozen=True, slots=True)
class Target:
    """The objects an action is built from, as read just before writing."""

    obj: dict[str, Any]  # the Rollout (or AnalysisRun / Experiment) itself
    state: RolloutState | None = None  # the Rollout's state (kind ROLLOUT)
    replicasets: tuple[dict[str, Any], ...] = ()  # the rollout's ReplicaSets, when the action needs them
    workload: dict[str, Any] | None = None  # what spec.workloadRef names, when the action needs it

    @property
    def rollout(self) -> RolloutState:
        if self.state is None:
            raise ActionRefused("not a rollout")
        return self.state

    def version_of(self, write: Write) -> str:
        """The resourceVersion of the object `write` goes to (as read just before writing)."""
        written = self.obj
        if self.workload is not None and write.resource in {r for r, _ in WORKLOADS.values()}:
            written = self.workload
        return str((written.get("metadata") or {}).get("resourceVersion") or "")


class ActionRefused(Exception):
    """The action cannot be built from these objects (nothing is sent); `noop` when nothing needs
    sending and the plugin would report success (e.g. undo to the template already running)."""

    def __init__(self, message: str, noop: bool = False) -> None:
        super().__init__(message)
        self.noop = noop


@dataclass(frozen=True, slots=True)
class Param:
    """A CLI parameter of an action (argparse keywords; `dest` names the ActionArgs field)."""

    flags: tuple[str, ...]
    dest: str
    help: str
    kind: str = "str"  # "str", "int", "duration", "assignment" (CONTAINER=IMAGE)
    default: Any = None


@dataclass(frozen=True, slots=True)
class Command:
    """Where an action sits on the plugin's command line: `promote NAME [--full]`, `retry rollout NAME`."""

    path: tuple[str, ...]  # ("promote",) or ("retry", "rollout")
    metavar: str = "ROLLOUT_NAME"
    aliases: tuple[str, ...] = ()  # aliases of the last word (cobra Aliases)
    switch: str = ""  # a flag that selects this action among those sharing a path ("--full")
    help: str = ""
    description: str = ""
    params: tuple[Param, ...] = ()


@dataclass(frozen=True, slots=True)
class ActionSpec:
    id: str  # binding id (keymaps refer to it), audit action name
    key: str  # default key in the UI ("" = no key)
    title: str  # confirmation title, help, palette
    label: str  # footer (short)
    kind: str  # ROLLOUT, ANALYSIS_RUN or EXPERIMENT: what it acts on
    permissions: tuple[Permission, ...]
    guard: tuple[str, ...]  # RolloutState fields the operator's view must still match
    # The subject is the RolloutState for kind ROLLOUT, else the AnalysisRunInfo / ExperimentInfo.
    possible: Callable[[Any], str]  # why not now ("" = possible); the UI greys it out
    describe: Callable[[Any, ActionArgs], str]  # exactly what will happen, for the confirmation
    writes: Callable[[Target, ActionArgs], tuple[Write, ...]]  # may raise ActionRefused
    done: Callable[[str, ActionArgs], str]  # the plugin's success message for object `name`
    command: Command | None = None
    needs_replicasets: bool = False
    needs_input: str = ""  # "revision" or "image": the UI asks for it before confirming
    prompt: str = ""  # the question asked for needs_input
    # A rollout with spec.workloadRef: the action writes the workload instead (the kube layer reads
    # it into Target.workload), needing these permissions (by the workload's kind) instead.
    workload_permissions: Callable[[str], tuple[Permission, ...]] | None = None
    # The pod-template change the action makes, in words ("image red → blue"), from the detail's
    # view; the UI puts it in ActionArgs.change for `describe`.
    template_change: Callable[[RolloutInfo, ActionArgs], str] | None = None
    # The success message when it is about the object written rather than `name` (set image on a
    # workloadRef: the plugin names the Deployment).
    done_target: Callable[[Target, ActionArgs], str] | None = None

    def permissions_for(self, state: RolloutState | None) -> tuple[Permission, ...]:
        if state is not None and state.workload_ref and self.workload_permissions is not None:
            return self.workload_permissions(state.workload_ref.partition("/")[0])
        return self.permissions
