"""What a wave reads from the fleet: an app's rollouts as the overview holds them, whether each
cluster is live and writable, and the scoped reads the overview does not make (the new revision's
pods and AnalysisRuns of one rollout, by its pod template hash).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from rollout_tui.kube.errors import classify
from rollout_tui.kube.fleet import Fleet
from rollout_tui.kube.resources import ANALYSIS_RUN, POD, ResourceClient
from rollout_tui.model.actions import action
from rollout_tui.model.attention import attention
from rollout_tui.model.replicasets import POD_TEMPLATE_HASH_LABEL
from rollout_tui.model.ring_config import RingConfig
from rollout_tui.model.ring_gate import Evidence, evidence_from
from rollout_tui.model.rings import Member, group_apps
from rollout_tui.model.wave_plan import ABORT, WavePlan

READ_TIMEOUT = (10.0, 30.0)


def fleet_members(fleet: Fleet, now: datetime, namespace: str | None = None) -> tuple[Member, ...]:
    """Every rollout the overview holds, as ring members (optionally of one namespace)."""
    return tuple(
        Member(context, state, attention(state, now))
        for context, states in fleet.rollouts().items()
        for state in states
        if namespace is None or state.namespace == namespace
    )


def app_members(
    fleet: Fleet, config: RingConfig, app: str, now: datetime, namespace: str | None = None
) -> tuple[Member, ...]:
    return group_apps(fleet_members(fleet, now, namespace), config).get(app, ())


def stale_contexts(fleet: Fleet) -> dict[str, str]:
    """{context: why its overview watch is not live} for every such context (live ones are absent)."""
    return {name: state.describe() for name, state in fleet.overview_states().items() if not state.ok}


def read_only_contexts(fleet: Fleet) -> set[str]:
    return {name for name, ctx in fleet.contexts.items() if fleet.read_only or ctx.read_only}


def current_member(fleet: Fleet, planned: Member, now: datetime) -> Member | None:
    """A planned member as the overview holds it now (None once it is gone)."""
    state = fleet.rollout_state(planned.context, planned.state.namespace, planned.state.name)
    if state is None:
        return None
    return Member(planned.context, state, attention(state, now))


def read_evidence(fleet: Fleet, member: Member, read_at: datetime) -> Evidence:
    """The member's current revision: its pods and its AnalysisRuns (raises KubeError)."""
    state = member.state
    client = fleet.hub(member.context).context.api_client
    selector = f"{POD_TEMPLATE_HASH_LABEL}={state.current_pod_hash}"
    try:
        pods, _ = ResourceClient(client, POD).list_all(
            state.namespace, label_selector=selector, request_timeout=READ_TIMEOUT
        )
        runs, _ = ResourceClient(client, ANALYSIS_RUN).list_all(
            state.namespace, label_selector=selector, request_timeout=READ_TIMEOUT
        )
    except Exception as exc:
        raise classify(exc) from None
    owned = [r for r in runs if _owned_by(r, state.uid)]
    return evidence_from(member.where, state.current_pod_hash, pods, owned, read_at)


def _owned_by(obj: Mapping[str, Any], uid: str) -> bool:
    refs = (obj.get("metadata") or {}).get("ownerReferences") or []
    return any(isinstance(ref, dict) and ref.get("uid") == uid for ref in refs)


def access_refusals(plan: WavePlan, fleet: Fleet) -> dict[int, list[str]]:
    """What RBAC (SelfSubjectAccessReviews) refuses among the plan's writes, and among the aborts
    `abort_on_failure` may need, per ring index."""
    refusals: dict[int, list[str]] = {}
    for ring in plan.rings:
        wanted = [(w.context, w.expected.namespace, w.action, w.where) for w in ring.writes]
        if plan.abort_on_failure:
            wanted += [(m.context, m.state.namespace, ABORT, m.where) for m in ring.members]
        for why in _denied(fleet, wanted):
            refusals.setdefault(ring.index, []).append(why)
    return refusals


def _denied(fleet: Fleet, wanted: Iterable[tuple[str, str, str, str]]) -> list[str]:
    found: list[str] = []
    for context, namespace, action_id, where in dict.fromkeys(wanted):
        try:
            actions = fleet.actions(context)
        except ValueError:  # a read-only context has no write path at all
            actions = None
        if actions is None:
            continue  # read-only: the plan refuses it already (read_only_contexts), once
        try:
            allowed, why = actions.can(action(action_id), namespace)
        except Exception as exc:
            allowed, why = False, f"cannot ask the cluster: {classify(exc)}"
        if not allowed:
            found.append(f"{where}: {action_id.replace('_', ' ')} not allowed: {why or 'RBAC'}")
    return found
