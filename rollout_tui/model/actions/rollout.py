"""The actions on a Rollout, each declared once (see `spec.ActionSpec`).

Patches and messages are the plugin's (pkg/kubectl-argo-rollouts/cmd/*); `possible` and
`describe` are rollout-tui's: when an action makes sense, and what it will do in words, from the
same `RolloutState` the screens show.
"""

from __future__ import annotations

from rollout_tui.model.actions import patches
from rollout_tui.model.actions.declare import rollout_action, spec_patch, status_patch
from rollout_tui.model.actions.guard import ABORTED, PAUSED, POD_HASH, STEP, revision_words
from rollout_tui.model.actions.spec import (
    WORKLOADS,
    ActionArgs,
    Command,
    Param,
    Permission,
    Target,
    Write,
)
from rollout_tui.model.revision_diff import revision_change
from rollout_tui.model.rollout import RolloutInfo
from rollout_tui.model.state import BLUE_GREEN, CANARY, RolloutState

PATCH_STATUS = Permission("patch", "argoproj.io", "rollouts", "status")
PATCH = Permission("patch", "argoproj.io", "rollouts")
UPDATE = Permission("update", "argoproj.io", "rollouts")
LIST_REPLICASETS = Permission("list", "apps", "replicasets")


def _workload(verb: str, kind: str) -> Permission:
    resource = WORKLOADS[kind][0] if kind in WORKLOADS else WORKLOADS["Deployment"][0]
    return Permission(verb, resource.group, resource.plural)


def _changing(args: ActionArgs) -> str:
    """ ": image red → blue, env LOG_LEVEL added" when the UI knows what the template change is."""
    return f" ({args.change})" if args.change else ""


def _promote_change(info: RolloutInfo, args: ActionArgs) -> str:
    """Promoting makes the current revision the stable one: what it changes against the stable."""
    return revision_change(info, to=info.state.current_pod_hash)


def _at(state: RolloutState) -> str:
    """ "step 1/8 (pause 30s)", or where a rollout without a current step is."""
    if state.current_step is not None:
        return state.current_step.numbered(state.step_count)
    if state.step_count:
        return f"step {state.step_label or state.step_count} (all steps done)"
    return "its current revision"


def _next(state: RolloutState) -> str:
    if state.next_step is not None:
        return state.next_step.numbered(state.step_count)
    return f"the end of the steps; {revision_words(state)} becomes stable"


# --- promote ------------------------------------------------------------------------------------


def _promote_possible(state: RolloutState) -> str:
    if state.aborted:
        return "aborted: retry it first"
    if state.strategy == BLUE_GREEN:
        return "" if state.pause_reasons or state.paused_by_hand else "not paused: nothing to promote"
    if state.strategy != CANARY:
        return "no canary or blue-green strategy"
    if not state.step_count:
        return "" if state.paused_by_hand else "no steps: nothing to promote"
    if state.steps_complete and not state.paused:
        return "all steps complete"
    return ""


def _promote_describe(state: RolloutState, args: ActionArgs) -> str:
    return _promote_words(state, args) + _changing(args)


def _promote_words(state: RolloutState, args: ActionArgs) -> str:
    target = state.target
    if state.strategy == BLUE_GREEN:
        return f"promote {target}: switch the active service to the preview, {revision_words(state)}"
    unpause = " and unpause it (spec.paused=false)" if state.paused_by_hand else ""
    if not state.step_count:
        return f"promote {target}: unpause it (spec.paused=false)"
    if state.analysis.step == "Inconclusive" and state.pause_reasons and state.controller_pause:
        return f"promote {target}: accept the inconclusive analysis at {_at(state)}, go on to {_next(state)}{unpause}"
    if state.pause_reasons:
        return f"promote {target}: end the pause at {_at(state)} and go on to {_next(state)}{unpause}"
    current = state.current_step
    skipped = "skip the running analysis at" if current is not None and current.kind == "analysis" else "skip"
    advice = "; resume (Z) unpauses without skipping" if state.paused_by_hand else ""
    return f"promote {target}: {skipped} {_at(state)} and go to {_next(state)}{unpause}{advice}"


PROMOTE = rollout_action(
    "promote",
    "p",
    "Promote",
    permissions=(PATCH_STATUS,),
    guard=(POD_HASH, STEP, PAUSED, ABORTED),
    possible=_promote_possible,
    describe=_promote_describe,
    writes=lambda target, args: patches.promote_writes(target.rollout),
    done="promoted",
    template_change=_promote_change,
    command=Command(
        ("promote",),
        help="Promote a rollout",
        description="Promotes a rollout paused at a canary step, or a paused blue-green pre-promotion. "
        "To skip analysis, pauses and steps entirely, use '--full' to fully promote the rollout",
    ),
)


def _full_possible(state: RolloutState) -> str:
    if state.aborted:
        return "aborted: retry it first"
    if state.fully_promoted and not state.paused_by_hand:
        return "already fully promoted"
    return ""


def _full_describe(state: RolloutState, args: ActionArgs) -> str:
    if state.strategy == BLUE_GREEN:
        return (
            f"promote {state.target} fully: switch the active service to {revision_words(state)} "
            "and skip the remaining analysis and pauses"
        ) + _changing(args)
    return (
        f"promote {state.target} fully from {_at(state)}: skip every remaining step and analysis and "
        f"make {revision_words(state)} stable"
    ) + _changing(args)


PROMOTE_FULL = rollout_action(
    "promote_full",
    "P",
    "Promote fully",
    label="Full",
    permissions=(PATCH_STATUS, PATCH),
    guard=(POD_HASH, ABORTED),
    possible=_full_possible,
    describe=_full_describe,
    template_change=_promote_change,
    writes=lambda target, args: patches.promote_full_writes(target.rollout),
    done="fully promoted",
    command=Command(
        ("promote",), switch="--full", help="Perform a full promotion, skipping analysis, pauses, and steps"
    ),
)

RESUME = rollout_action(
    "resume",
    "Z",
    "Resume",
    permissions=(PATCH,),
    guard=(POD_HASH, STEP, PAUSED),
    possible=lambda s: "" if s.paused_by_hand else "not paused by hand (spec.paused is false)",
    describe=lambda s, a: (
        f"resume {s.target}: unpause it (spec.paused=false) and carry on at {_at(s)}, skipping nothing"
    ),
    writes=spec_patch(patches.UNPAUSE),
    done="resumed",
    command=Command(
        ("resume",),
        help="Resume a rollout paused by hand",
        description="Unpauses a rollout (spec.paused=false) without moving its step: unlike promote, "
        "no step or analysis is skipped.",
    ),
)


# --- abort, retry, pause, restart -----------------------------------------------------------------


def _abort_possible(state: RolloutState) -> str:
    if state.aborted:
        return "already aborted"
    if state.status == "Healthy":
        return "healthy: no update in progress to abort"
    return ""


def _abort_describe(state: RolloutState, args: ActionArgs) -> str:
    back = (
        "switch the active service back to the stable revision"
        if state.strategy == BLUE_GREEN
        else ("send all traffic back to the stable revision and scale the canary down")
    )
    return f"abort {state.target}: {back} (status.abort=true)"


ABORT = rollout_action(
    "abort",
    "x",
    "Abort",
    permissions=(PATCH_STATUS,),
    guard=(POD_HASH, ABORTED),
    possible=_abort_possible,
    describe=_abort_describe,
    writes=status_patch(patches.ABORT),
    done="aborted",
    command=Command(
        ("abort",),
        help="Abort a rollout",
        description="This command stops progressing the current rollout and reverts all steps. "
        "The previous ReplicaSet will be active.",
    ),
)

RETRY = rollout_action(
    "retry",
    "y",
    "Retry",
    permissions=(PATCH_STATUS,),
    guard=(POD_HASH, ABORTED),
    possible=lambda s: "" if s.aborted else "only an aborted rollout can be retried",
    describe=lambda s, a: (
        f"retry {s.target}: clear the abort and start the update again"
        + (" from step 0" if s.step_count else "")
    ),
    writes=status_patch(patches.RETRY),
    done="retried",
    command=Command(("retry", "rollout"), aliases=("ro", "rollouts"), help="Retry an aborted rollout"),
)

PAUSE = rollout_action(
    "pause",
    "z",
    "Pause",
    permissions=(PATCH,),
    guard=(POD_HASH, PAUSED),
    possible=lambda s: "already paused by hand (resume unpauses)" if s.paused_by_hand else "",
    describe=lambda s, a: (
        f"pause {s.target} at {_at(s)} (spec.paused=true): nothing moves until it is resumed"
    ),
    writes=spec_patch(patches.PAUSE),
    done="paused",
    command=Command(("pause",), help="Pause a rollout"),
)


def _restart_describe(state: RolloutState, args: ActionArgs) -> str:
    when = f" in {args.delay_text}" if args.delay else ""
    return (
        f"restart {state.target}{when}: replace every pod, a few at a time within maxUnavailable "
        "(spec.restartAt)"
    )


RESTART = rollout_action(
    "restart",
    "R",
    "Restart",
    permissions=(PATCH,),
    guard=(POD_HASH,),
    possible=lambda s: "",
    describe=_restart_describe,
    writes=lambda target, args: (
        patches.main_write(target.rollout.name, patches.restart_body(args.now + args.delay)),
    ),
    done=lambda name, args: f"rollout '{name}' restarts in {args.delay_text}",
    command=Command(
        ("restart",),
        metavar="ROLLOUT",
        help="Restart the pods of a rollout",
        params=(
            Param(("-i", "--in"), "delay", "Amount of time before a restart. (e.g. 30s, 5m, 1h)", "duration"),
        ),
    ),
)


# --- undo, set image ----------------------------------------------------------------------------


def _undo_describe(state: RolloutState, args: ActionArgs) -> str:
    which = f"revision {args.revision}" if args.revision else "the previous revision"
    where = f" of {state.workload_ref} (spec.workloadRef)" if state.workload_ref else ""
    return (
        f"undo {state.target}: roll the pod template{where} back to {which} (this starts an update to it)"
        + _changing(args)
    )


def _undo_writes(target: Target, args: ActionArgs) -> tuple[Write, ...]:
    return patches.undo_writes(target.obj, target.replicasets, args.revision, target.workload)


def _undo_change(info: RolloutInfo, args: ActionArgs) -> str:
    """What rolling back changes against the template running now (revision 0: the previous one,
    the second-highest revision, as rolloutRevision picks it)."""
    numbers = [rev.revision for rev in info.revisions]
    wanted = args.revision or (numbers[1] if len(numbers) > 1 else 0)
    return revision_change(info, to_revision=wanted, against=info.state.current_pod_hash)


UNDO = rollout_action(
    "undo",
    "u",
    "Undo (roll back)",
    label="Undo",
    permissions=(PATCH, LIST_REPLICASETS),
    guard=(POD_HASH,),
    possible=lambda s: "",
    describe=_undo_describe,
    writes=_undo_writes,
    done="undo",
    template_change=_undo_change,
    workload_permissions=lambda kind: (_workload("patch", kind), LIST_REPLICASETS),
    command=Command(
        ("undo",),
        help="Undo a rollout",
        description="Rollback to the previous rollout.",
        params=(
            Param(
                ("--to-revision",),
                "revision",
                "The revision to rollback to. Default to 0 (last revision).",
                "int",
                0,
            ),
        ),
    ),
    needs_replicasets=True,
    needs_input="revision",
    prompt="Undo: roll back to which revision? (0 = the previous one)",
)


def _image_describe(state: RolloutState, args: ActionArgs) -> str:
    which = "every container" if args.container in ("", "*") else f"container {args.container}"
    where = f" (its spec.workloadRef {state.workload_ref})" if state.workload_ref else ""
    return f"set the image of {which} of {state.target}{where} to {args.image} (this starts an update)"


def _image_done(target: Target, args: ActionArgs) -> str:
    """cmd/set/set_image.go prints the kind and name of the object it updated."""
    written = target.workload if target.workload is not None else target.obj
    meta = written.get("metadata") or {}
    return f'{str(written.get("kind") or "rollout").lower()} "{meta.get("name", "")}" image updated'


SET_IMAGE = rollout_action(
    "set_image",
    "i",
    "Set image",
    label="Image",
    permissions=(UPDATE,),
    guard=(POD_HASH,),
    possible=lambda s: "",
    describe=_image_describe,
    writes=lambda target, args: patches.set_image_writes(
        target.obj, args.container, args.image, target.workload
    ),
    done=lambda name, args: f'rollout "{name}" image updated',
    done_target=_image_done,
    workload_permissions=lambda kind: (_workload("update", kind),),
    command=Command(
        ("set", "image"),
        help="Update the image of a rollout",
        params=(
            Param(
                ("assignment",), "image", "CONTAINER=IMAGE ('*' as the container: all of them)", "assignment"
            ),
        ),
    ),
    needs_input="image",
    prompt="Set image: [container=]image (no container: all containers)",
)

ROLLOUT_ACTIONS = (PROMOTE, PROMOTE_FULL, RESUME, ABORT, RETRY, PAUSE, RESTART, UNDO, SET_IMAGE)
