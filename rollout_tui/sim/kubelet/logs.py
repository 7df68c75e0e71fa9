"""Container log lines: generated on demand, deterministic per pod, container and restart.

Nothing is stored: a run's log is a function of its seed (namespace/pod/container/run), its start
and end, its behaviour and the pod's health profile (``profile``). Lines are laid out in
one-second buckets, each seeded on its own, so any window (a tail, ``sinceTime``, the next
line to follow) costs only the lines in it. Older lines are gone as they would be after the
kubelet rotated the file (containerLogMaxSize); ``ROTATION_SECONDS`` of history are kept.

What a run logs:
- a startup (config, dependencies, listening) and then requests, with 5xx errors or slow
  requests at the rate the profile gives (a canary whose analysis fails logs what fails it);
- ``crashloop``: the startup, dependency retries, then a Go panic and its stack trace;
- ``oomkilled``: requests and rising heap warnings until the kernel kills it (no last word);
- ``probefail``: a failed health check at every readiness probe;
- ``livenessfail``: a failed health check at every liveness probe, then the SIGTERM it gets.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

ROTATION_SECONDS = 2 * 3600.0
STARTUP_SECONDS = 1.0


@dataclass(frozen=True)
class LogLine:
    at: datetime
    text: str


@dataclass(frozen=True)
class Profile:
    """How unhealthy a run's traffic is: the share of failing (5xx) and slow requests, rising
    from ``baseline`` to the maximum over ``ramp`` seconds after the run starts."""

    errors: float = 0.0
    slow: float = 0.0
    ramp: float = 60.0
    baseline: float = 0.002

    def share(self, peak: float, seconds: float) -> float:
        if peak <= 0:
            return 0.0
        grown = min(1.0, max(0.0, seconds) / self.ramp) if self.ramp > 0 else 1.0
        return self.baseline + (peak - self.baseline) * grown


@dataclass(frozen=True)
class RunSource:
    namespace: str
    pod: str
    app: str
    container: str
    version: str
    run: int
    started: datetime
    ended: datetime | None  # None: still running, no end known
    behaviour: str = "normal"
    profile: Profile = field(default_factory=Profile)
    probe_first: float | None = None  # first failing readiness probe, seconds after start
    probe_period: float = 10.0


def app_time(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"


class RunLog:
    """The log of one container run."""

    def __init__(self, source: RunSource) -> None:
        self.s = source
        self.seed = f"{source.namespace}/{source.pod}/{source.container}/{source.run}"
        rng = random.Random(self.seed)
        self._ip = f"10.96.{rng.randrange(256)}.{rng.randrange(1, 255)}"
        self._dependency = rng.choice(
            [("postgres", 5432), ("redis", 6379), ("payments-api", 8443), ("inventory", 9090)]
        )
        self._terminal = self._terminal_lines()
        forever = datetime.max.replace(tzinfo=source.started.tzinfo)
        # A crash-looping app never gets to serve; the others serve until they end.
        self._requests_end = source.started if source.behaviour == "crashloop" else (source.ended or forever)

    # ------------------------------------------------------------------ content
    def _line(self, at: datetime, level: str, message: str) -> LogLine:
        return LogLine(at, f"{app_time(at)} {level:<5} {message}")

    def _startup(self) -> list[LogLine]:
        s, t0 = self.s, self.s.started
        name, port = self._dependency
        at = [t0 + timedelta(seconds=x) for x in (0.011, 0.038, 0.212, 0.640)]
        lines = [
            self._line(at[0], "INFO", f"starting {s.app} version={s.version} pid=1"),
            self._line(at[1], "INFO", f"loaded configuration path=/etc/{s.app}/config.yaml"),
        ]
        if s.behaviour == "crashloop":
            return lines
        lines.append(self._line(at[2], "INFO", f"connected to {name} addr={name}.{s.namespace}.svc:{port}"))
        lines.append(self._line(at[3], "INFO", "listening addr=:8080"))
        return lines

    def _terminal_lines(self) -> list[LogLine]:
        s = self.s
        if s.ended is None:
            return []
        end = s.ended
        name, port = self._dependency
        if s.behaviour == "crashloop":
            error = f"dial tcp {self._ip}:{port}: connect: connection refused"
            lines = [
                self._line(
                    s.started + timedelta(seconds=1.3 + k * 1.2),
                    "WARN",
                    f'{name} not reachable, retrying attempt={k + 1} error="{error}"',
                )
                for k in range(3)
            ]
            at = end - timedelta(milliseconds=40)
            lines.append(
                self._line(
                    at, "ERROR", f'giving up on {name} addr={name}.{s.namespace}.svc:{port} error="{error}"'
                )
            )
            panic = end - timedelta(milliseconds=20)
            stack = [
                f"panic: {name}: {error}",
                "",
                "goroutine 1 [running]:",
                "main.mustConnect({0xc000014120, 0x14})",
                f"\t/src/cmd/{s.app}/main.go:58 +0x1f4",
                "main.main()",
                f"\t/src/cmd/{s.app}/main.go:31 +0x9e",
            ]
            return [
                *lines,
                *(LogLine(panic + timedelta(microseconds=k), text) for k, text in enumerate(stack)),
            ]
        if s.behaviour == "livenessfail":
            stamp = end - timedelta(milliseconds=30)
            return [self._line(stamp, "INFO", "received signal, shutting down signal=terminated")]
        if s.behaviour == "oomkilled":
            out = []
            for k in range(4, 0, -1):
                at = end - timedelta(seconds=2 * k - 0.5)
                heap = 512 - 9 * k - random.Random(f"{self.seed}/heap/{k}").randrange(4)
                out.append(
                    self._line(at, "WARN", f"heap usage high heap_mb={heap} limit_mb=512 gc_pause=180ms")
                )
            return out
        return []

    def _requests(self, bucket: int) -> list[LogLine]:
        """Request lines of the one-second bucket ``bucket`` after startup."""
        s = self.s
        rng = random.Random(f"{self.seed}/{bucket}")
        count = rng.choice((0, 1, 1, 1, 2, 2, 3))
        base = s.started + timedelta(seconds=STARTUP_SECONDS + bucket)
        offsets = sorted(rng.random() for _ in range(count))
        elapsed = STARTUP_SECONDS + bucket
        out = []
        for offset in offsets:
            at = base + timedelta(seconds=offset)
            method = rng.choices(("GET", "POST", "PUT", "DELETE"), (70, 20, 7, 3))[0]
            path = rng.choice(
                (f"/api/{s.app}", f"/api/{s.app}/{rng.randrange(1000, 9999)}", f"/api/{s.app}/search")
            )
            roll = rng.random()
            errors = s.profile.share(s.profile.errors, elapsed)
            slow = s.profile.share(s.profile.slow, elapsed)
            if roll < errors:
                out.append(
                    self._line(
                        at,
                        "ERROR",
                        f"request failed method={method} path={path} status=503 duration={rng.randrange(1, 9)}ms "
                        'error="upstream connect error or disconnect/reset before headers. reset reason: connection failure"',
                    )
                )
            elif roll < errors + slow:
                took = 1.0 + rng.random() * 1.5
                out.append(
                    self._line(
                        at,
                        "WARN",
                        f"slow request method={method} path={path} status=200 duration={took:.3f}s",
                    )
                )
            else:
                status = (
                    rng.choices((200, 201, 204, 404), (80, 8, 8, 4))[0]
                    if method != "GET"
                    else rng.choices((200, 404), (97, 3))[0]
                )
                took = max(1, int(rng.lognormvariate(2.6, 0.5)))
                out.append(
                    self._line(
                        at, "INFO", f"request method={method} path={path} status={status} duration={took}ms"
                    )
                )
        return out

    def _probe_lines(self, start: datetime, end: datetime) -> list[LogLine]:
        s = self.s
        if s.probe_first is None or s.probe_period <= 0 or end <= start:
            return []
        name, _port = self._dependency
        lead = timedelta(milliseconds=3)  # the app logs its failed check just before the probe reads it
        first = s.started + timedelta(seconds=s.probe_first) - lead
        k = max(0, int((start - first).total_seconds() // s.probe_period))
        out = []
        while (at := first + timedelta(seconds=k * s.probe_period)) < end:
            if at >= start:
                out.append(
                    self._line(
                        at, "WARN", f'health check failed check={name} error="context deadline exceeded"'
                    )
                )
            k += 1
        return out

    # ------------------------------------------------------------------ windows
    def _window(self, start: datetime, end: datetime) -> list[LogLine]:
        """Lines with start <= at < end, in order."""
        s = self.s
        lines = [ln for ln in self._startup() if start <= ln.at < end]
        first = max(start, s.started + timedelta(seconds=STARTUP_SECONDS))
        last = min(end, self._requests_end)
        if first < last:
            b0 = int((first - s.started).total_seconds() - STARTUP_SECONDS)
            b1 = int((last - s.started).total_seconds() - STARTUP_SECONDS)
            for bucket in range(max(b0, 0), b1 + 1):
                lines += [ln for ln in self._requests(bucket) if first <= ln.at < last]
        lines += self._probe_lines(start, min(end, self._requests_end))
        lines += [ln for ln in self._terminal if start <= ln.at < end]
        lines.sort(key=lambda ln: ln.at)
        return lines

    def _bounds(self, until: datetime) -> tuple[datetime, datetime]:
        """The window that exists at ``until``: from the run's start (or the rotation horizon)
        to ``until`` (or the run's end)."""
        horizon = until - timedelta(seconds=ROTATION_SECONDS)
        end = min(until, self.s.ended) if self.s.ended is not None else until
        return max(self.s.started, horizon), end + timedelta(microseconds=1)

    def lines(self, until: datetime, since: datetime | None = None, tail: int | None = None) -> list[LogLine]:
        """What ``kubectl logs`` prints at ``until``: the last ``tail`` lines, of those the ones
        at or after ``since`` (the kubelet applies tail first, then since)."""
        start, end = self._bounds(until)
        picked = self._window(start, end) if tail is None else self._tail(start, end, tail)
        if since is not None:
            picked = [ln for ln in picked if ln.at >= since]
        return picked

    def _tail(self, start: datetime, end: datetime, n: int) -> list[LogLine]:
        if n <= 0:
            return []
        collected: list[LogLine] = []
        cursor = end
        step = timedelta(seconds=60)
        while cursor > start and len(collected) < n:
            lo = max(start, cursor - step)
            collected = self._window(lo, cursor) + collected
            cursor = lo
        return collected[-n:]

    def after(self, moment: datetime, until: datetime) -> Iterator[LogLine]:
        """Lines with moment < at <= until (what a follower writes next)."""
        start, end = self._bounds(until)
        for line in self._window(max(start, moment), end):
            if line.at > moment:
                yield line

    def next_time(self, moment: datetime) -> datetime | None:
        """When the first line after ``moment`` is due (None: this run logs nothing more)."""
        limit = self.s.ended or (moment + timedelta(days=1))
        cursor = moment
        while cursor < limit:
            window_end = min(cursor + timedelta(seconds=30), limit + timedelta(microseconds=1))
            for line in self._window(cursor, window_end):
                if line.at > moment:
                    return line.at
            cursor = window_end
        return None


def termination_message(log: RunLog, max_lines: int = 80, max_bytes: int = 2048) -> str:
    """FallbackToLogsOnError: the end of the run's log, as the kubelet keeps it."""
    assert log.s.ended is not None
    text = "\n".join(line.text for line in log.lines(log.s.ended, tail=max_lines))
    return text[:max_bytes]  # limitBytes keeps the start of the tail window


def run_log_for(
    pod: dict[str, Any],
    container: dict[str, Any],
    run: int,
    started: datetime,
    ended: datetime | None,
    profile: Profile,
) -> RunLog:
    """The log of instance ``run`` of ``container``; a running instance of a crashing behaviour
    gets its known end (its last words are part of the plan)."""
    from rollout_tui.sim.kubelet.lifecycle import ContainerPlan

    meta = pod.get("metadata") or {}
    plan = ContainerPlan(pod, container)
    if ended is None and plan.run_length is not None:
        ended = started + timedelta(seconds=plan.run_length)
    image = str(container.get("image", ""))
    tag = image.rsplit(":", 1)[1] if ":" in image.rsplit("/", 1)[-1] else "latest"
    probe = plan.liveness if plan.behaviour == "livenessfail" else plan.probe
    probing = plan.behaviour in ("probefail", "livenessfail")
    source = RunSource(
        namespace=str(meta.get("namespace", "")),
        pod=str(meta.get("name", "")),
        app=str((meta.get("labels") or {}).get("app") or container.get("name", "")),
        container=str(container.get("name", "")),
        version=tag,
        run=run,
        started=started,
        ended=ended,
        behaviour=plan.behaviour,
        profile=profile,
        probe_first=probe.initial_delay if probing else None,
        probe_period=probe.period,
    )
    return RunLog(source)
