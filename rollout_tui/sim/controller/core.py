"""The simulated controller's engine: a work queue of object keys, a timer heap, and a thread.

Nothing is polled. Store events enqueue the keys they affect (an object, its owner); every
reconcile returns the next simulated instant it needs to look again (pause end, pod readiness,
next measurement, scale-down deadline...), which goes on a timer heap. A fleet of idle rollouts
therefore costs nothing: no queue entries, no timers.

Tests drive it on a manual SimClock with `tick()`/`run_until()`: time jumps from timer to timer
and the queue is drained at each stop, so a 10-minute canary runs in milliseconds.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import random
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from rollout_tui.sim.clock import SimClock
from rollout_tui.sim.controller.cache import WATCHED, Key, ObjectCache, controller_owner, key_of, slim_pod
from rollout_tui.sim.controller.events import EventRecorder
from rollout_tui.sim.controller.traffic.lag import RouterLag

log = logging.getLogger(__name__)

RECONCILED = ("rollouts", "deployments", "replicasets", "pods", "analysisruns", "experiments")
_OWNER_PLURALS = {
    "Rollout": "rollouts",
    "Experiment": "experiments",
    "ReplicaSet": "replicasets",
    "Deployment": "deployments",
}
# Kinds a Rollout's workloadRef may point at: a change re-enqueues the rollouts that use them.
_WORKLOADS = {"deployments": "Deployment", "replicasets": "ReplicaSet", "podtemplates": "PodTemplate"}


class ReconcileError(RuntimeError):
    """A reconciler raised (only surfaced in strict mode, which tests use)."""


class HotLoopError(RuntimeError):
    """The queue did not settle: some reconcile keeps producing changes."""


class Controller:
    def __init__(
        self,
        store: Any,
        clock: Any = None,
        *,
        strict: bool = False,
        seed: int = 0,
        max_events: int = 20000,
        aws_verify_target_group: bool = False,
    ) -> None:
        self.store = store
        self.clock = clock if clock is not None else (getattr(store, "clock", None) or SimClock())
        self.strict = strict
        self.rng = random.Random(seed)
        self.cache = ObjectCache()
        self.events = EventRecorder(store, self.clock, max_events=max_events, seed=seed)
        # --aws-verify-target-group: ALB weights are verified (status.canary.weights.verified)
        self.aws_verify_target_group = aws_verify_target_group
        self.router_lag = RouterLag()
        self.stats: Counter[str] = Counter()
        self.errors: list[str] = []
        self._queue: deque[Key] = deque()
        self._queued: set[Key] = set()
        self._timers: list[tuple[float, int, Key]] = []
        self._timer_due: dict[Key, float] = {}
        self._seq = itertools.count()
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._hooks: list[Callable[[], None]] = []
        self._tombstones: dict[Key, dict[str, Any]] = {}  # deleted pods the kubelet has to stop
        # Imported here: the reconcilers import this module's helpers.
        from rollout_tui.sim.analysis.run import AnalysisRunReconciler
        from rollout_tui.sim.controller.deployments import DeploymentReconciler
        from rollout_tui.sim.controller.experiments import ExperimentReconciler
        from rollout_tui.sim.controller.pods import PodReconciler, ReplicaSetReconciler
        from rollout_tui.sim.controller.rollout import RolloutReconciler

        self._pods = PodReconciler(self)
        self._reconcilers: dict[str, Callable[[dict[str, Any]], datetime | None]] = {
            "rollouts": RolloutReconciler(self).reconcile,
            "deployments": DeploymentReconciler(self).reconcile,
            "replicasets": ReplicaSetReconciler(self).reconcile,
            "pods": self._pods.reconcile,
            "analysisruns": AnalysisRunReconciler(self).reconcile,
            "experiments": ExperimentReconciler(self).reconcile,
        }
        store.add_listener(self._on_event)
        for plural in WATCHED:
            items, _rv = store.list(plural)
            for obj in items:
                self.cache.apply("ADDED", plural, obj)
        self._enqueue_everything()

    # ------------------------------------------------------------------ events and queue
    def _on_event(self, event_type: str, plural: str, obj: dict[str, Any]) -> None:
        if plural == "podtemplates":
            self._enqueue_all(self._rollouts_referencing(plural, obj))
            return
        if plural not in self.cache._objects or not self.cache.apply(event_type, plural, obj):
            return
        keys: list[Key] = []
        if plural in _WORKLOADS and controller_owner(obj) is None:
            keys += self._rollouts_referencing(plural, obj)
        if plural in RECONCILED and event_type != "DELETED":
            keys.append(key_of(plural, obj))
        owner = controller_owner(obj)
        if owner is not None and owner.get("kind") in _OWNER_PLURALS:
            keys.append(
                (_OWNER_PLURALS[owner["kind"]], obj["metadata"].get("namespace") or "", owner.get("name", ""))
            )
        if plural == "pods" and event_type == "MODIFIED":
            keys = keys[1:]  # a pod's own writes come from its timer; only its ReplicaSet recounts
        if plural == "pods" and event_type == "DELETED":
            key = key_of(plural, obj)
            with self._cond:
                self._tombstones[key] = slim_pod(obj)
            keys.append(key)
        if plural in ("analysistemplates", "clusteranalysistemplates") and event_type != "DELETED":
            keys += self._rollouts_waiting_for_templates(obj["metadata"].get("namespace"))
        if keys:
            with self._cond:
                for key in keys:
                    self._enqueue_locked(key)
                self._cond.notify()

    def _rollouts_referencing(self, plural: str, obj: dict[str, Any]) -> list[Key]:
        """Rollouts whose workloadRef names this object (a scan: workloads change rarely)."""
        meta = obj.get("metadata") or {}
        kind, found = _WORKLOADS[plural], []
        for ro in self.cache.all("rollouts"):
            ref = (ro.get("spec") or {}).get("workloadRef") or {}
            ro_meta = ro.get("metadata") or {}
            if (
                ref.get("kind") == kind
                and ref.get("name") == meta.get("name")
                and ro_meta.get("namespace") == meta.get("namespace")
            ):
                found.append(key_of("rollouts", ro))
        return found

    def _enqueue_all(self, keys: list[Key]) -> None:
        if keys:
            with self._cond:
                for key in keys:
                    self._enqueue_locked(key)
                self._cond.notify()

    def _rollouts_waiting_for_templates(self, namespace: str | None) -> list[Key]:
        """Rollouts held as InvalidSpec (e.g. a missing AnalysisTemplate) get another look when a
        template appears; a rare event, so a scan is fine."""
        waiting = []
        for ro in self.cache.all("rollouts"):
            meta = ro.get("metadata", {})
            if namespace and meta.get("namespace") != namespace:
                continue
            if any(
                c.get("type") == "InvalidSpec"
                for c in (ro.get("status") or {}).get("conditions") or []
                if isinstance(c, dict)
            ):
                waiting.append(key_of("rollouts", ro))
        return waiting

    def _enqueue_locked(self, key: Key) -> None:
        if key not in self._queued:
            self._queued.add(key)
            self._queue.append(key)

    def enqueue(self, key: Key) -> None:
        with self._cond:
            self._enqueue_locked(key)
            self._cond.notify()

    def _enqueue_everything(self) -> None:
        with self._cond:
            for plural in RECONCILED:
                for key in self.cache.keys(plural):
                    self._enqueue_locked(key)
            self._cond.notify()

    def schedule(self, key: Key, at: datetime) -> None:
        """Reconcile `key` again at simulated time `at` (earliest request wins)."""
        due = at.timestamp()
        with self._cond:
            current = self._timer_due.get(key)
            if current is not None and current <= due:
                return
            self._timer_due[key] = due
            heapq.heappush(self._timers, (due, next(self._seq), key))
            self._compact_timers()
            self._cond.notify()

    def _compact_timers(self) -> None:
        """Superseded entries stay in the heap until their time; rebuild it when they dominate
        (a churning fleet reschedules deadlines constantly)."""
        if len(self._timers) > 4 * len(self._timer_due) + 1024:
            self._timers = [(due, next(self._seq), key) for key, due in self._timer_due.items()]
            heapq.heapify(self._timers)

    def next_timer(self) -> datetime | None:
        with self._cond:
            return self._next_timer_locked()

    def pending_timers(self) -> int:
        with self._cond:
            return len(self._timer_due)

    def _fire_due_timers(self) -> None:
        now = self.clock.now().timestamp()
        with self._cond:
            while self._timers and self._timers[0][0] <= now:
                due, _seq, key = heapq.heappop(self._timers)
                if self._timer_due.get(key) == due:
                    del self._timer_due[key]
                    self._enqueue_locked(key)

    def add_hook(self, fn: Callable[[], None]) -> None:
        """Run `fn` after every drain (scenario drivers use it to act on simulated time)."""
        self._hooks.append(fn)

    # ------------------------------------------------------------------ processing
    def _pop(self) -> Key | None:
        with self._cond:
            if not self._queue:
                return None
            key = self._queue.popleft()
            self._queued.discard(key)
            return key

    def _process(self, key: Key) -> None:
        plural, namespace, name = key
        obj = self.cache.get(plural, namespace, name)
        if obj is None:
            with self._cond:
                tombstone = self._tombstones.pop(key, None)
            if tombstone is not None:
                self._pods.deleted(tombstone)
            return
        self.stats[plural] += 1
        try:
            wake = self._reconcilers[plural](obj)
        except Exception as exc:
            if getattr(exc, "code", None) in (404, 409):
                # Deleted or changed under us: the store event that follows re-enqueues it.
                self.stats["conflicts"] += 1
                return
            message = f"reconcile {plural} {namespace}/{name}: {exc!r}"
            self.errors.append(message)
            del self.errors[:-100]
            log.exception("%s", message)
            if self.strict:
                raise ReconcileError(message) from exc
            return
        self._set_timer(key, wake)

    def _set_timer(self, key: Key, wake: datetime | None) -> None:
        """A reconcile's answer replaces the key's timer: a rollout that became healthy drops its
        progress-deadline wake-up instead of waking once more for nothing."""
        with self._cond:
            if wake is None:
                self._timer_due.pop(key, None)  # its heap entry is now stale and skipped
                return
            due = wake.timestamp()
            if self._timer_due.get(key) == due:
                return
            self._timer_due[key] = due
            heapq.heappush(self._timers, (due, next(self._seq), key))
            self._compact_timers()
            self._cond.notify()

    def drain(self, max_steps: int = 500_000) -> int:
        """Reconcile until the queue is empty, running hooks (scenario drivers) in between until
        neither has anything left to do; returns how many reconciles ran."""
        steps = 0
        for _round in range(100):
            while True:
                key = self._pop()
                if key is None:
                    break
                self._process(key)
                steps += 1
                if steps >= max_steps:
                    message = f"queue did not settle after {max_steps} reconciles (last {key})"
                    self.errors.append(message)
                    if self.strict:
                        raise HotLoopError(message)
                    return steps
            for hook in self._hooks:
                hook()
            with self._cond:
                if not self._queue:
                    break
        return steps

    def reconcile_all(self) -> int:
        """One full pass: every rollout, ReplicaSet, pod, run and experiment, then until quiet."""
        self._enqueue_everything()
        self._fire_due_timers()
        return self.drain()

    # ------------------------------------------------------------------ simulated time (tests)
    def tick(self, seconds: float = 0.0) -> None:
        """Advance the clock by `seconds`, stopping at every timer on the way, reconciling until quiet."""
        target = self.clock.now() + timedelta(seconds=seconds)
        self.drain()
        while True:
            due = self.next_timer()
            if due is None or due > target:
                break
            gap = (due - self.clock.now()).total_seconds()
            if gap > 0:
                self.clock.advance(gap)
            self._fire_due_timers()
            self.drain()
        gap = (target - self.clock.now()).total_seconds()
        if gap > 0:
            self.clock.advance(gap)
        self._fire_due_timers()
        self.drain()

    def run_until(self, predicate: Callable[[], bool], max_seconds: float, step: float = 1.0) -> bool:
        """Tick in `step`s until `predicate()` holds; False if `max_seconds` of simulated time pass first."""
        waited = 0.0
        self.drain()
        while not predicate():
            if waited >= max_seconds:
                return False
            self.tick(step)
            waited += step
        return True

    # ------------------------------------------------------------------ background thread
    def start(self) -> None:
        if self._thread is not None:
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="sim-controller", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stopping.set()
        with self._cond:
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                self._fire_due_timers()
                self.drain()
            except Exception:  # strict mode is for tests; the thread must survive anything
                log.exception("controller pass failed")
            with self._cond:
                if self._queue or self._stopping.is_set():
                    continue
                wait = 1.0  # bounded so a clock jump (advance) is noticed promptly
                due = self._next_timer_locked()
                if due is not None:
                    wait = min(wait, self._real_wait(due))
                self._cond.wait(timeout=max(wait, 0.001))

    def _next_timer_locked(self) -> datetime | None:
        while self._timers and self._timer_due.get(self._timers[0][2]) != self._timers[0][0]:
            heapq.heappop(self._timers)  # superseded or cancelled
        return datetime.fromtimestamp(self._timers[0][0], UTC) if self._timers else None

    def _real_wait(self, due: datetime) -> float:
        sim_gap = (due - self.clock.now()).total_seconds()
        if getattr(self.clock, "is_manual", False):
            return 1.0
        speed = float(getattr(self.clock, "speed", 1.0) or 1.0)
        return max(0.0, sim_gap / speed)

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Block (real time) until the background thread has an empty queue; for integration tests."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._cond:
                if not self._queue:
                    return True
            time.sleep(0.01)
        return False
