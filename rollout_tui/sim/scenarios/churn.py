"""Operator churn for the scale fleet: random set image, promote, abort, retry and restart at a
rate, always with the plugin's exact patches (pkg/kubectl-argo-rollouts/cmd/*).

With a manual clock there is no thread; ``poll()`` performs the actions due for the simulated
time elapsed since the last call.
"""

from __future__ import annotations

import random
import threading
import time
from typing import Any

from rollout_tui.sim.clock import rfc3339
from rollout_tui.sim.plugin import promote_patches
from rollout_tui.sim.scenarios.driver import MERGE

MAX_CHURN = 1000.0


class Churn:
    """Operator activity at `rate` actions per second (bounded by MAX_CHURN)."""

    def __init__(self, store: Any, clock: Any, rate: float, seed: int = 0) -> None:
        self.store = store
        self.clock = clock
        self.rate = max(0.0, min(float(rate), MAX_CHURN))
        self.rng = random.Random(seed + 1)
        self.actions = 0
        self.failures = 0
        self._keys: list[tuple[str, str]] = []
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._last = clock.now()
        self._debt = 0.0

    def _targets(self) -> list[tuple[str, str]]:
        if not self._keys:
            items, _rv = self.store.list("rollouts")
            self._keys = [(o["metadata"]["namespace"], o["metadata"]["name"]) for o in items]
        return self._keys

    def act(self) -> None:
        """One operator action on a random rollout."""
        targets = self._targets()
        if not targets:
            return
        namespace, name = self.rng.choice(targets)
        try:
            ro = self.store.get("rollouts", namespace, name)
            status = ro.get("status") or {}
            roll = self.rng.random()
            if status.get("abort"):
                self.store.patch(
                    "rollouts", namespace, name, {"status": {"abort": False}}, MERGE, subresource="status"
                )
            elif status.get("pauseConditions") or roll < 0.1:
                status_patch, spec_patch = promote_patches(ro)
                if status_patch is not None:
                    self.store.patch("rollouts", namespace, name, status_patch, MERGE, subresource="status")
                if spec_patch is not None:
                    self.store.patch("rollouts", namespace, name, spec_patch, MERGE)
            elif roll < 0.15 and status.get("stableRS") != status.get("currentPodHash"):
                self.store.patch(
                    "rollouts", namespace, name, {"status": {"abort": True}}, MERGE, subresource="status"
                )
            elif roll < 0.2:
                self.store.patch(
                    "rollouts", namespace, name, {"spec": {"restartAt": rfc3339(self.clock.now())}}, MERGE
                )
            else:
                container = ro["spec"]["template"]["spec"]["containers"][0]
                repo, _, tag = container["image"].rpartition(":")
                major, minor, patch = [*tag.split("."), "0", "0", "0"][:3]
                container["image"] = f"{repo}:{major}.{minor}.{int(patch) + 1 if patch.isdigit() else 1}"
                self.store.replace("rollouts", ro)
            self.actions += 1
        except Exception:
            self.failures += 1  # conflicts with the controller are expected; the next action differs

    def poll(self) -> None:
        """Manual clocks: the actions due for the simulated time since the last poll."""
        now = self.clock.now()
        self._debt += (now - self._last).total_seconds() * self.rate
        self._last = now
        while self._debt >= 1:
            self._debt -= 1
            self.act()

    def start(self) -> None:
        if self.rate <= 0 or self._thread is not None or getattr(self.clock, "is_manual", False):
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="sim-scale-churn", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        interval = max(0.02, 1.0 / self.rate)
        per_tick = max(1, round(self.rate * interval))
        next_at = time.monotonic()
        while not self._stop.is_set():
            for _ in range(per_tick):
                self.act()
            next_at += interval
            self._stop.wait(max(0.0, next_at - time.monotonic()))

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(2.0)
            self._thread = None
