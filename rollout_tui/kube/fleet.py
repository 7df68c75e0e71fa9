"""Fleet: every chosen context, its overview Rollout watches, detail watches and actions.

- ``batches``: the one queue every change arrives on (``coalesce.Batch``: the overview's Rollouts
  with their states, a detail's objects, connection states).
- ``rollouts()``: what the overview holds now, ``{context: (RolloutState, ...)}``. The overview's
  store keeps these states, not the Rollout objects (``slim``): the detail watches its rollout by
  name and an action reads the rollout again before writing.
- ``rollout(context, namespace, name)``: the full object when a detail (or another full watch)
  holds it, else None.
- ``open_detail(context, namespace, rollout)`` accepts the rollout dict (preferred: its uid and
  selector scope the watches) or its name (then it is read once with a GET).
- ``Fleet(..., overview=False)`` watches no Rollouts list (the live CLI's ``get -w`` only needs a
  detail watch). With the overview, Warning Events (``type=Warning``, the same scopes) are watched
  too, for the rows' warning counts and "canary pods failing" (``warnings=False`` turns that off):
  a few objects, where watching every pod would be tens of thousands that change on every probe.
- ``list_lookahead``: lists pause between pages while that many batches wait unconsumed (the UI
  starts the fleet before it has imported Textual; see ``Coalescer.pace``).
- ``actions(context)``: None in read-only mode, and for a context in ``read_only_contexts`` (a
  per-context policy: that context's client refuses writes too; the others still act).
  ``audit`` defaults to the standard trail ($XDG_STATE_HOME/rollout-tui/audit.jsonl) unless a
  caller explicitly passes ``audit=None``.
"""

from __future__ import annotations

import enum
import queue
import threading
import time
from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from rollout_tui.kube.audit import AuditLog
from rollout_tui.kube.coalesce import OVERVIEW_KIND, Batch, Coalescer
from rollout_tui.kube.config import ClusterContext
from rollout_tui.kube.errors import classify
from rollout_tui.kube.hub import ContextHub, Keep
from rollout_tui.kube.readonly import make_context_read_only
from rollout_tui.kube.reflector import ReflectorParams, Scope
from rollout_tui.kube.resources import EVENT, ROLLOUT
from rollout_tui.kube.slim import overview_state
from rollout_tui.kube.state import ConnectionState, worst
from rollout_tui.model.state import RolloutState

if TYPE_CHECKING:  # imported when first used: the overview's lists start ~0.1 s sooner without them
    from rollout_tui.kube.actions import Actions
    from rollout_tui.kube.detail import DetailWatch

__all__ = ["DEFAULT_AUDIT", "Batch", "Fleet"]


class _Audit(enum.Enum):
    DEFAULT = "the standard audit trail"


DEFAULT_AUDIT = _Audit.DEFAULT  # None disables auditing
OVERVIEW_KEEP = Keep(OVERVIEW_KIND, overview_state, defer=True)  # states of the versions read


class Fleet:
    def __init__(
        self,
        contexts: list[ClusterContext],
        namespaces: list[str] | None = None,
        read_only: bool = False,
        audit: AuditLog | _Audit | None = DEFAULT_AUDIT,
        params: ReflectorParams | None = None,
        coalesce_interval: float = 0.05,
        overview: bool = True,
        read_only_contexts: Collection[str] = (),
        list_lookahead: int | None = None,
        warnings: bool = True,
    ) -> None:
        names = [c.name for c in contexts]
        if len(set(names)) != len(names):
            raise ValueError("duplicate context names")
        self.read_only = read_only
        self.namespaces = list(namespaces) if namespaces else None
        self.overview = overview
        self.warnings = warnings
        self.audit: AuditLog | None = AuditLog() if audit is _Audit.DEFAULT else audit
        self.params = params or ReflectorParams()
        self.batches: queue.Queue[Batch] = queue.Queue()
        self.coalescer = Coalescer(self.batches, self.states, coalesce_interval, list_lookahead)
        self.contexts = {c.name: c for c in contexts}
        for context in contexts:
            if read_only or context.name in read_only_contexts:
                make_context_read_only(context)  # enforced in the HTTP layer, not only here
        self._hubs = {c.name: ContextHub(c, self.coalescer, self.params) for c in contexts}
        self._actions: dict[str, Actions] = {}
        self._details: list[DetailWatch] = []
        self._lock = threading.Lock()
        self._started = False

    # -- lifecycle ------------------------------------------------------------------------------------
    def start(self) -> Fleet:
        if self._started:
            return self
        self._started = True
        self.coalescer.start()
        if self.overview:
            for hub in self._hubs.values():
                scopes: list[str | None] = list(self.namespaces) if self.namespaces else [None]
                for namespace in scopes:
                    hub.add(ROLLOUT, Scope(namespace), tag="overview", keep=OVERVIEW_KEEP)
                    if self.warnings:  # rows count them and see canary pods failing (model.warnings)
                        hub.add(EVENT, Scope(namespace, field_selector="type=Warning"), tag="warnings")
        return self

    def stop(self) -> None:
        with self._lock:
            details, self._details = self._details, []
        for detail in details:
            detail.close()
        for hub in self._hubs.values():
            hub.stop()
        self.coalescer.stop()

    def __enter__(self) -> Fleet:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def wait_synced(self, timeout: float) -> bool:
        """Block until every current reflector has listed once (or the timeout passes)."""
        deadline = time.monotonic() + timeout
        for hub in self._hubs.values():
            for reflector in hub.reflectors():
                if not reflector.synced.wait(max(0.0, deadline - time.monotonic())):
                    return False
        return True

    # -- reads ----------------------------------------------------------------------------------------
    def hub(self, context: str) -> ContextHub:
        try:
            return self._hubs[context]
        except KeyError:
            raise KeyError(f"unknown context {context!r}") from None

    def rollouts(self) -> dict[str, tuple[RolloutState, ...]]:
        """The overview's rollouts per context now (seeds a view before its first batch)."""
        out: dict[str, tuple[RolloutState, ...]] = {}
        for name, hub in self._hubs.items():
            states = hub.cache.objects_of(OVERVIEW_KIND)
            out[name] = tuple(sorted(states, key=lambda s: s.key))
        return out

    def warning_events(self) -> dict[str, list[dict[str, Any]]]:
        """The Warning Events the overview holds now, per context (seeds a view like `rollouts()`)."""
        out: dict[str, list[dict[str, Any]]] = {}
        for name, hub in self._hubs.items():
            for reflector in hub.reflectors():
                if reflector.kind is EVENT and reflector.name.endswith("/warnings"):
                    out.setdefault(name, []).extend(hub.cache.held_by(reflector.name))
        return out

    def rollout(self, context: str, namespace: str, name: str) -> dict[str, Any] | None:
        """The whole Rollout, held only while a watch of its own (detail, status) keeps it."""
        return self.hub(context).cache.get(ROLLOUT.kind, namespace, name)

    def rollout_state(self, context: str, namespace: str, name: str) -> RolloutState | None:
        """One rollout as the overview holds it now (None when it does not)."""
        state: RolloutState | None = self.hub(context).cache.find(OVERVIEW_KIND, namespace, name)
        return state

    def states(self) -> dict[str, ConnectionState]:
        return {name: hub.connection_state() for name, hub in self._hubs.items()}

    def overview_states(self) -> dict[str, ConnectionState]:
        """Each context as its overview Rollout watches see it: what `rollouts()` is as fresh as.
        A detail watch still syncing, or refused, does not make the overview's data stale."""
        return {
            name: worst([r.state for r in hub.reflectors() if r.name.endswith("/overview")])
            for name, hub in self._hubs.items()
        }

    # -- detail ---------------------------------------------------------------------------------------
    def open_detail(self, context: str, namespace: str, rollout: dict[str, Any] | str) -> DetailWatch:
        from rollout_tui.kube.detail import DetailWatch

        hub = self.hub(context)
        if isinstance(rollout, str):
            rollout = self._get_rollout(hub, namespace, rollout)
        detail = DetailWatch(hub, namespace, rollout)
        with self._lock:
            self._details = [d for d in self._details if not d.closed] + [detail]
        return detail

    def _get_rollout(self, hub: ContextHub, namespace: str, name: str) -> dict[str, Any]:
        try:
            return hub.client(ROLLOUT).get(
                namespace, name, (self.params.connect_timeout, self.params.list_timeout)
            )
        except Exception as exc:
            raise classify(exc) from None

    # -- actions --------------------------------------------------------------------------------------
    def actions(self, context: str) -> Actions | None:
        """None in read-only mode or for a read-only context: there is no object through which a
        write could be made."""
        if self.read_only or self.hub(context).context.read_only:
            return None
        from rollout_tui.kube.actions import Actions

        with self._lock:
            if context not in self._actions:
                self._actions[context] = Actions(self.hub(context).context, audit=self.audit)
            return self._actions[context]
