"""The scenario driver: keeps a demo lively forever by acting like a team of operators.

Per rollout, a scenario's `drive` block says what happens on the simulated clock:

    drive:
      images: [blue, yellow, green]   # tags (or full images) cycled by `set image`
      first: 20s                      # first update this long after start
      every: 150s                     # then a new image this long after the rollout settled
      promote_after: 60s              # promote a rollout paused (indefinitely) for this long
      retry_after: 90s                # retry an aborted rollout this long after it aborted

"Settled" means Healthy or Degraded (so an aborted canary is re-armed by the next image, and a
failing analysis fails again). Every action is exactly the API call the kubectl plugin makes:
PUT with a new image, merge patches to the status subresource for promote/retry.

With a manual clock (tests) nothing runs in the background: call `poll()` (or hand it to
`Controller.add_hook`). Otherwise `start()` runs a thread that polls about twice a second.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from rollout_tui.model.status import rollout_status
from rollout_tui.sim.naming import parse_duration
from rollout_tui.sim.objects import parse_time
from rollout_tui.sim.plugin import promote_patches

log = logging.getLogger(__name__)
MERGE = "application/merge-patch+json"


@dataclass
class Program:
    namespace: str
    name: str
    images: list[str]
    first: float = 20.0
    every: float = 150.0
    promote_after: float | None = None
    retry_after: float | None = None
    next_update: datetime | None = None
    image_index: int = 0
    last_status: str = field(default="")


def program_from(namespace: str, name: str, image: str, drive: dict[str, Any]) -> Program:
    repo = image.rsplit(":", 1)[0] if ":" in image.rsplit("/", 1)[-1] else image
    images = [t if ("/" in t or ":" in t) else f"{repo}:{t}" for t in (drive.get("images") or [])]
    return Program(
        namespace=namespace,
        name=name,
        images=images,
        first=parse_duration(drive.get("first")) or 20.0,
        every=parse_duration(drive.get("every")) or 150.0,
        promote_after=parse_duration(drive.get("promote_after")),
        retry_after=parse_duration(drive.get("retry_after")),
    )


class Driver:
    def __init__(self, store: Any, clock: Any, programs: list[Program]) -> None:
        self.store = store
        self.clock = clock
        self.programs = programs
        self.actions = 0
        self._started_at = clock.now()
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._lock = threading.Lock()
        for program in programs:
            program.next_update = self._started_at + timedelta(seconds=program.first)

    def poll(self) -> None:
        """Do whatever is due at the clock's current time."""
        if not self._lock.acquire(blocking=False):
            return
        try:
            now = self.clock.now()
            for program in self.programs:
                try:
                    self._drive(program, now)
                except Exception as exc:  # a deleted rollout or a conflict: skip this round
                    if getattr(exc, "code", None) not in (404, 409):
                        log.warning("scenario driver: %s/%s: %s", program.namespace, program.name, exc)
        finally:
            self._lock.release()

    def _drive(self, program: Program, now: datetime) -> None:
        ro = self.store.get("rollouts", program.namespace, program.name)
        status, _message = rollout_status(ro)
        ro_status = ro.get("status") or {}
        if status in ("Healthy", "Degraded") and program.next_update is None:
            program.next_update = now + timedelta(seconds=program.every)
        program.last_status = status
        if status == "Paused" and program.promote_after is not None:
            since = min(
                (parse_time(c.get("startTime")) or now for c in ro_status.get("pauseConditions") or []),
                default=now,
            )
            if (now - since).total_seconds() >= program.promote_after:
                self._promote(ro)
                return
        if ro_status.get("abort") and program.retry_after is not None:
            aborted = parse_time(ro_status.get("abortedAt")) or now
            if (now - aborted).total_seconds() >= program.retry_after:
                self.store.patch(
                    "rollouts",
                    program.namespace,
                    program.name,
                    {"status": {"abort": False}},
                    MERGE,
                    subresource="status",
                )
                self.actions += 1
                return
        if (
            program.images
            and program.next_update is not None
            and now >= program.next_update
            and status in ("Healthy", "Degraded")
        ):
            self._set_next_image(program, ro)
            program.next_update = None

    def _promote(self, ro: dict[str, Any]) -> None:
        meta = ro["metadata"]
        status_patch, spec_patch = promote_patches(ro)
        if status_patch is not None:
            self.store.patch(
                "rollouts", meta["namespace"], meta["name"], status_patch, MERGE, subresource="status"
            )
        if spec_patch is not None:
            self.store.patch("rollouts", meta["namespace"], meta["name"], spec_patch, MERGE)
        self.actions += 1

    def _set_next_image(self, program: Program, ro: dict[str, Any]) -> None:
        containers = ro["spec"]["template"]["spec"]["containers"]
        current = containers[0].get("image")
        for _ in range(len(program.images)):
            program.image_index = (program.image_index + 1) % len(program.images)
            if program.images[program.image_index] != current:
                break
        containers[0]["image"] = program.images[program.image_index]
        self.store.replace("rollouts", ro)  # `kubectl argo rollouts set image`: GET, edit, PUT
        self.actions += 1

    # ------------------------------------------------------------------ background
    def start(self) -> None:
        if self._thread is not None or getattr(self.clock, "is_manual", False):
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="sim-scenario-driver", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            with contextlib.suppress(Exception):
                self.poll()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(2.0)
            self._thread = None
