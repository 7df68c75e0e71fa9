"""Staged rings: one app across clusters, grouped into ordered rings, each cell what its ring runs.

An *app* is every rollout that is "the same app" wherever it runs: the same name, or the same value
of a label key (`RingConfig.app_label`, e.g. ``app.kubernetes.io/name``). A *ring* is a set of
contexts (optionally narrowed to namespaces) with a bake time (`ring_config`); rings are ordered,
and a new revision goes to ring N+1 only once ring N has proved it (see `ring_gate`).

A revision is compared across clusters by its images (revision numbers are per cluster): the
*target* is the set of container images a ring must run to be "at the new revision".

Pure and clock-free: a `RingCell` holds instants (healthy since, bake ends at), never countdowns.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from rollout_tui.model.attention import FAILING, STUCK, Attention
from rollout_tui.model.ring_config import Ring, RingConfig
from rollout_tui.model.state import HUMAN_PAUSES, RolloutState

HEALTHY = "Healthy"
# Worst first: the status a cell shows when its ring's rollouts disagree.
_STATUS_ORDER = ("Degraded", "Progressing", "Paused", HEALTHY)


# --- apps --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Member:
    """One rollout of an app, where it runs, and what it needs from a human now."""

    context: str
    state: RolloutState
    attention: Attention

    @property
    def where(self) -> str:
        return f"{self.context}/{self.state.namespace}/{self.state.name}"


def app_of(state: RolloutState, app_label: str) -> str:
    """The app a rollout belongs to: its name, or its `app_label` label ("" when it has none)."""
    if not app_label:
        return state.name
    return dict(state.labels).get(app_label, "")


def group_apps(members: Iterable[Member], config: RingConfig) -> dict[str, tuple[Member, ...]]:
    """{app: its rollouts inside some ring}, apps sorted by name, members in ring order."""
    grouped: dict[str, list[tuple[int, Member]]] = {}
    for member in members:
        ring = config.ring_of(member.context, member.state.namespace)
        app = app_of(member.state, config.app_label)
        if ring is not None and app:
            grouped.setdefault(app, []).append((ring, member))
    return {
        app: tuple(m for _, m in sorted(found, key=lambda rm: (rm[0], rm[1].where)))
        for app, found in sorted(grouped.items())
    }


# --- the revision a wave propagates ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Target:
    """The images a rollout must run to be at the new revision: (container, image) pairs, where
    container "*" means every container."""

    images: tuple[tuple[str, str], ...]
    source: str  # "--image" or "ring 0 (east)": where the revision comes from

    def met_by(self, state: RolloutState) -> bool:
        running = dict(state.containers)
        if not running:
            return False
        for container, image in self.images:
            if container == "*":
                if any(img != image for img in running.values()):
                    return False
            elif running.get(container) != image:
                return False
        return True

    @property
    def short(self) -> str:
        """ "green", "api=green,sidecar=v2": tags are what tell revisions apart on screen."""
        if len(self.images) == 1:
            return image_tag(self.images[0][1])
        return ",".join(f"{c}={image_tag(i)}" for c, i in self.images)

    @property
    def full(self) -> str:
        return ", ".join(image if c == "*" else f"{c}={image}" for c, image in self.images)


def image_tag(image: str) -> str:
    """ "argoproj/rollouts-demo:green" -> "green"; a digest -> its first 12 hex digits."""
    if "@" in image:
        return image.rsplit("@", 1)[1].removeprefix("sha256:")[:12]
    last = image.rsplit("/", 1)[-1]
    return last.rsplit(":", 1)[1] if ":" in last else last


def lead_target(members: Iterable[Member], config: RingConfig) -> Target | str:
    """The revision the first ring the app runs in runs (what a wave without `--image` propagates:
    ring 0, usually), or why there is none."""
    members = tuple(members)
    for index, ring in enumerate(config.rings):
        lead = [m for m in members if ring.holds(m.context, m.state.namespace)]
        if not lead:
            continue
        revisions = {m.state.containers for m in lead}
        if len(revisions) > 1:
            return f"ring {index} runs {len(revisions)} different revisions: name the image with --image"
        containers = lead[0].state.containers
        if not containers:
            return f"{lead[0].where} has no containers in its template (workloadRef): name the image"
        return Target(containers, f"ring {index} ({ring.where})")
    return "the app runs in no ring"


def image_target(value: str) -> Target | str:
    """`[CONTAINER=]IMAGE` as given to `--image` (no container: every container)."""
    container, sep, image = value.strip().partition("=")
    if not sep:
        container, image = "*", container
    container, image = container.strip() or "*", image.strip()
    if not image or "=" in image:
        return "--image takes [CONTAINER=]IMAGE, e.g. frontend=registry/frontend:v2"
    return Target(((container, image),), "--image")


# --- one ring's cell --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RingCell:
    """What one ring of one app runs, against the target."""

    index: int
    ring: Ring
    members: tuple[Member, ...]
    at_target: bool  # every member runs the target images (False without members or target)
    healthy: bool  # at target, Healthy, fully promoted, not aborted, and seen live
    status: str  # the worst member status ("" without members)
    image: str  # the tag most members run ("" without members)
    step: str  # the least advanced member's "N/M" ("" when none)
    weight: int | None  # the canary weight that member's step sets
    healthy_since: datetime | None  # healthy: since when every member has been (the latest of them)
    stale: str  # why what this ring shows may be out of date ("" when every cluster is live)
    read_only: tuple[str, ...]  # contexts of this ring that cannot be written
    failure: str  # "" or why a member is failing ("analysis failed", "degraded"...)
    waiting: str  # "" or what a member waits for from a human

    def bake_ends_at(self, not_before: datetime | None = None) -> datetime | None:
        """When the bake is over: the ring's bake time after it became healthy at the target, that
        instant taken no earlier than `not_before` (a wave that started this ring counts from when
        it saw it healthy); None while not healthy, or when neither instant is known."""
        if not self.healthy:
            return None
        since = self.healthy_since
        if not_before is not None:
            since = max(since, not_before) if since is not None else not_before
        return since + self.ring.bake if since is not None else None

    @property
    def empty(self) -> bool:
        return not self.members


def ring_cells(
    members: Iterable[Member],
    config: RingConfig,
    target: Target | None,
    stale: Mapping[str, str],
    read_only: Iterable[str] = (),
) -> tuple[RingCell, ...]:
    """One cell per ring for one app. `stale`: context -> why it is not live ("" or absent = live)."""
    members = tuple(members)
    locked = set(read_only)
    return tuple(
        _cell(
            index,
            ring,
            tuple(m for m in members if ring.holds(m.context, m.state.namespace)),
            target,
            stale,
            locked,
        )
        for index, ring in enumerate(config.rings)
    )


def _cell(
    index: int,
    ring: Ring,
    members: tuple[Member, ...],
    target: Target | None,
    stale: Mapping[str, str],
    locked: set[str],
) -> RingCell:
    stale_text = "; ".join(f"{c} {stale[c]}" for c in ring.contexts if stale.get(c))
    at_target = bool(members) and target is not None and all(target.met_by(m.state) for m in members)
    healthy = at_target and not stale_text and all(_settled(m.state) for m in members)
    laggard = min(members, key=lambda m: (m.state.step_position, m.state.set_weight or 0), default=None)
    statuses = [m.state.status or "Unknown" for m in members]
    tags = [image_tag(m.state.images[0]) if m.state.images else "?" for m in members]
    since = [m.state.healthy_since for m in members]
    return RingCell(
        index=index,
        ring=ring,
        members=members,
        at_target=at_target,
        healthy=healthy,
        status=min(statuses, key=_status_rank) if statuses else "",
        image=max(set(tags), key=tags.count) if tags else "",
        step=laggard.state.step_label if laggard is not None else "",
        weight=laggard.state.set_weight if laggard is not None else None,
        healthy_since=max((s for s in since if s is not None), default=None) if healthy else None,
        stale=stale_text,
        read_only=tuple(c for c in ring.contexts if c in locked),
        failure=_first(_failure(m) for m in members if target is None or target.met_by(m.state)),
        waiting=_first(_waiting_for(m) for m in members),
    )


def _settled(state: RolloutState) -> bool:
    return state.status == HEALTHY and state.fully_promoted and not state.aborted and not state.paused


def _status_rank(status: str) -> int:
    return _STATUS_ORDER.index(status) if status in _STATUS_ORDER else -1  # unknown statuses first


def _failure(member: Member) -> str:
    """Why a member fails the ring: attention's failing or stuck reason, or an inconclusive
    analysis (a wave does not accept one). Not while its status is about a previous spec."""
    if not member.state.spec_observed:
        return ""
    if member.attention.level in (FAILING, STUCK):
        return f"{member.context}: {member.attention.headline}"
    if HUMAN_PAUSES.intersection(member.state.pause_reasons):
        return f"{member.context}: inconclusive analysis"
    return ""


def _waiting_for(member: Member) -> str:
    if member.attention.needs_me and member.attention.level not in (FAILING, STUCK):
        return f"{member.context}: {member.attention.headline}"
    return ""


def _first(texts: Iterable[str]) -> str:
    return next((t for t in texts if t), "")
