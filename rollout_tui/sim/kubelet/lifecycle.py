"""The life of each container of a pod, laid out in seconds since the pod was created.

Everything is a function of the pod's name, its spec and its behaviour, so status, events and
logs computed at different moments (or by different parts of the simulator) always agree, and
replays are identical. Times follow the kubelet's rhythm: sandbox ready after 1 s, image pulled
and container started after 3-5 s, crash back-off 10 s doubling to 5 min
(pkg/kubelet/kubelet.go, MaxContainerBackOff), image pull back-off the same
(pkg/kubelet/images, flowcontrol.Backoff).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from rollout_tui.sim.kubelet.behaviour import CRASHING, NEVER_READY, container_behaviour, containers

SANDBOX_READY = 1.0  # Initialized / PodReadyToStartContainers; ContainerCreating from here
BASE_BACKOFF = 10.0
MAX_BACKOFF = 300.0
CRASH_AFTER = 5.0  # a crashloop container panics this long after it starts
PULL_FAILS_AFTER = 1.8  # a failing pull is refused this long after it starts
ERR_IMAGE_PULL_FOR = 2.0  # ErrImagePull shows this long before ImagePullBackOff
DEFAULT_PROBE_PERIOD = 10.0


def digest(text: str) -> bytes:
    return hashlib.sha256(text.encode()).digest()


def backoff(attempt: int) -> float:
    """The wait before restart/pull ``attempt`` (1-based): 10 s doubling, at most 5 min."""
    return min(BASE_BACKOFF * 2 ** (attempt - 1), MAX_BACKOFF)


@dataclass(frozen=True)
class Run:
    """One instance of a container: started, and when and how it ended (None: still running)."""

    index: int  # 0 for the first start; equals the restart count while it runs
    started: float
    finished: float | None = None
    reason: str = ""  # Error | OOMKilled
    exit_code: int = 0


@dataclass(frozen=True)
class Pull:
    """One image pull attempt; ``failed`` is when it was refused (None: it succeeded)."""

    attempt: int
    started: float
    failed: float | None
    retry: float | None  # when the next attempt starts (after the back-off)


@dataclass(frozen=True)
class Probe:
    kind: str  # HTTP | TCP | exec
    description: str  # what a failure message names (an URL, an address, a command)
    initial_delay: float
    period: float
    failure_threshold: int = 3


class ContainerPlan:
    """The schedule of one container: pulls, runs, readiness and probes."""

    def __init__(self, pod: dict[str, Any], container: dict[str, Any]) -> None:
        name = str((pod.get("metadata") or {}).get("name", ""))
        self.name = str(container.get("name", ""))
        self.image = str(container.get("image", ""))
        self.behaviour = container_behaviour(pod, container)
        pod_digest = digest(name)
        own = digest(f"{name}/{self.name}")
        self.pull_started = SANDBOX_READY + 0.05 + own[4] % 15 / 100
        self.first_start = (
            (30.0 + pod_digest[3] % 11) if self.behaviour == "slow" else 3.0 + pod_digest[3] % 3
        )
        self.run_length = {"crashloop": CRASH_AFTER, "oomkilled": 15.0 + own[5] % 11}.get(self.behaviour)
        self.exit = {"crashloop": ("Error", 2), "oomkilled": ("OOMKilled", 137)}.get(self.behaviour, ("", 0))
        self.probe = readiness_probe(container)
        self.liveness = probe_of(container.get("livenessProbe"), container)
        if self.behaviour == "livenessfail":
            # Killed right after the failureThreshold-th failure (pkg/kubelet/prober/worker.go).
            live = self.liveness
            self.run_length = live.initial_delay + live.period * (live.failure_threshold - 1) + 0.5
            self.exit = ("Error", 143)
        self.image_bytes = 8_000_000 + int.from_bytes(own[6:9], "big") % 90_000_000

    # ------------------------------------------------------------------ image
    @property
    def pulls_fail(self) -> bool:
        return self.behaviour == "imagepullbackoff"

    def pulls(self, until: float) -> Iterator[Pull]:
        """Pull attempts that started by ``until`` (one, unless pulls fail)."""
        start, attempt = self.pull_started, 1
        while start <= until:
            if not self.pulls_fail:
                yield Pull(attempt, start, None, None)
                return
            failed = start + PULL_FAILS_AFTER
            retry = failed + backoff(attempt)
            yield Pull(attempt, start, failed, retry)
            start, attempt = retry, attempt + 1

    # ------------------------------------------------------------------ runs
    def runs(self, until: float) -> Iterator[Run]:
        """Container instances started by ``until``, in order."""
        if self.pulls_fail or self.first_start > until:
            return
        if self.run_length is None:
            yield Run(0, self.first_start)
            return
        start, index = self.first_start, 0
        reason, code = self.exit
        while start <= until:
            finished = start + self.run_length
            yield Run(index, start, finished, reason, code)
            index += 1
            start = finished + backoff(index)

    def at(self, age: float) -> tuple[Run | None, Run | None]:
        """(the latest run started by ``age``, the one before it)."""
        latest: Run | None = None
        before: Run | None = None
        for run in self.runs(age):
            before, latest = latest, run
        return latest, before

    @property
    def crashes(self) -> bool:
        return self.behaviour in CRASHING

    def ready_during(self, run: Run, age: float) -> bool:
        """Whether the readiness check passes at ``age`` in ``run``."""
        if self.behaviour in NEVER_READY:
            return False
        return run.finished is None or age < run.finished

    def probe_failures(self, since: float, until: float) -> Iterator[float]:
        """Readiness probe failures in (since, until] (only a ``probefail`` container fails)."""
        if self.behaviour != "probefail" or self.first_start > until:
            return
        first = self.first_start + self.probe.initial_delay
        period = self.probe.period
        k = max(0, int((since - first) // period) + 1) if since >= first else 0
        while (t := first + k * period) <= until:
            if t > since:
                yield t
            k += 1

    def liveness_failures(self, since: float, until: float) -> Iterator[float]:
        """Liveness probe failures in (since, until] (a ``livenessfail`` container's, in each run)."""
        if self.behaviour != "livenessfail":
            return
        live = self.liveness
        for run in self.runs(until):
            for k in range(live.failure_threshold):
                t = run.started + live.initial_delay + k * live.period
                if since < t <= until:
                    yield t


def readiness_probe(container: dict[str, Any]) -> Probe:
    """The container's readiness probe; a probefail container without one is checked as if it
    declared an HTTP GET on /healthz at its first port."""
    return probe_of(container.get("readinessProbe"), container)


def probe_of(probe: Any, container: dict[str, Any]) -> Probe:
    ports = [p for p in container.get("ports") or [] if isinstance(p, dict)]
    port = ports[0].get("containerPort", 8080) if ports else 8080
    if not isinstance(probe, dict):
        return Probe("HTTP", f"http://{{ip}}:{port}/healthz", 0.0, DEFAULT_PROBE_PERIOD)
    delay = float(probe.get("initialDelaySeconds") or 0)
    period = float(probe.get("periodSeconds") or DEFAULT_PROBE_PERIOD)
    threshold = max(int(probe.get("failureThreshold") or 3), 1)
    if isinstance(probe.get("httpGet"), dict):
        get = probe["httpGet"]
        scheme = str(get.get("scheme") or "HTTP").lower()
        url = f"{scheme}://{{ip}}:{get.get('port', port)}{get.get('path', '/')}"
        return Probe("HTTP", url, delay, period, threshold)
    if isinstance(probe.get("tcpSocket"), dict):
        return Probe("TCP", f"{{ip}}:{probe['tcpSocket'].get('port', port)}", delay, period, threshold)
    if isinstance(probe.get("exec"), dict):
        command = probe["exec"].get("command") or []
        return Probe("exec", " ".join(str(c) for c in command), delay, period, threshold)
    return Probe("HTTP", f"http://{{ip}}:{port}/healthz", delay, period, threshold)


def plans(pod: dict[str, Any]) -> list[ContainerPlan]:
    return [ContainerPlan(pod, c) for c in containers(pod)]
