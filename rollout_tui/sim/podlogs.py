"""``GET /api/v1/namespaces/{ns}/pods/{name}/log``: container logs as kube-apiserver and the
kubelet serve them.

The API server's part (pkg/registry/core/pod/rest/log.go, pod/strategy.go LogLocation): the
PodLogOptions (``container``, ``follow``, ``previous``, ``timestamps``, ``tailLines``,
``sinceSeconds``, ``sinceTime``, ``limitBytes``) and their validation (422), the container
choice ("a container name must be specified for pod X, choose one of: [a b]"), an empty answer
for a pod not on a node yet. The kubelet's part (pkg/kubelet/kubelet_pods.go
validateContainerLogStatus, kuberuntime/logs): which container instance is read (the running
one, else the last terminated; ``previous`` the one before), the 400 answers when there is none
("previous terminated container ... not found", "is waiting to start: ..."), tail then since,
RFC 3339 timestamps with nanoseconds, the byte limit. Plain text; with ``follow`` chunked and
flushed per line, paced on the simulated clock, ending when the container stops or the pod goes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from rollout_tui.sim.auth import User, forbidden
from rollout_tui.sim.errors import ApiError, bad_request
from rollout_tui.sim.kubelet.logs import LogLine, RunLog, run_log_for
from rollout_tui.sim.kubelet.profile import profile_for
from rollout_tui.sim.objects import parse_time
from rollout_tui.sim.resources import RESOURCES
from rollout_tui.sim.routing import parse_bool
from rollout_tui.sim.stream import abort, client_gone

if TYPE_CHECKING:
    from rollout_tui.sim.handler import Handler

LOG_PATH = re.compile(r"^/api/v1/namespaces/([^/]+)/pods/([^/]+)/log$")
POLL = 0.5  # how often a quiet follower checks for a vanished client and a stopping server


@dataclass(frozen=True)
class LogOptions:
    container: str
    follow: bool
    previous: bool
    timestamps: bool
    tail: int | None
    since_seconds: int | None
    since_time: datetime | None
    limit_bytes: int | None


def _int(query: dict[str, str], key: str) -> int | None:
    raw = query.get(key)
    if raw is None or raw == "":
        return None
    try:
        return int(raw)
    except ValueError:
        raise bad_request(f'strconv.ParseInt: parsing "{raw}": invalid syntax') from None


def parse_options(query: dict[str, str], pod_name: str) -> LogOptions:
    """PodLogOptions from the query, validated as ValidatePodLogOptions does."""
    since_time = None
    if query.get("sinceTime"):
        since_time = parse_time(query["sinceTime"])
        if since_time is None:
            raise bad_request(
                f'parsing time "{query["sinceTime"]}" as "2006-01-02T15:04:05Z07:00": cannot parse'
            )
    options = LogOptions(
        container=query.get("container") or "",
        follow=parse_bool(query.get("follow"), "follow"),
        previous=parse_bool(query.get("previous"), "previous"),
        timestamps=parse_bool(query.get("timestamps"), "timestamps"),
        tail=_int(query, "tailLines"),
        since_seconds=_int(query, "sinceSeconds"),
        since_time=since_time,
        limit_bytes=_int(query, "limitBytes"),
    )
    problems = []
    if options.tail is not None and options.tail < 0:
        problems.append(f"tailLines: Invalid value: {options.tail}: must be greater than or equal to 0")
    if options.limit_bytes is not None and options.limit_bytes < 1:
        problems.append(f"limitBytes: Invalid value: {options.limit_bytes}: must be greater than 0")
    if options.since_seconds is not None and options.since_time is not None:
        problems.append("<nil>: Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified")
    elif options.since_seconds is not None and options.since_seconds < 1:
        problems.append(f"sinceSeconds: Invalid value: {options.since_seconds}: must be greater than 0")
    if problems:
        detail = problems[0] if len(problems) == 1 else "[" + ", ".join(problems) + "]"
        raise ApiError(
            422,
            "Invalid",
            f'PodLogOptions "{pod_name}" is invalid: {detail}',
            {
                "name": pod_name,
                "kind": "PodLogOptions",
                "causes": [{"reason": "FieldValueInvalid", "message": p} for p in problems],
            },
        )
    return options


def choose_container(pod: dict[str, Any], wanted: str) -> dict[str, Any]:
    """pod/strategy.go validateContainer."""
    name = str((pod.get("metadata") or {}).get("name", ""))
    spec = pod.get("spec") or {}

    def of(key: str) -> list[dict[str, Any]]:
        return [c for c in spec.get(key) or [] if isinstance(c, dict)]

    listed = of("containers")
    every = [*of("initContainers"), *listed, *of("ephemeralContainers")]  # podutil.VisitContainers order
    if not wanted:
        if len(listed) == 1:
            return listed[0]
        if not listed:
            raise bad_request(f"a container name must be specified for pod {name}")
        names = " ".join(str(c.get("name", "")) for c in every)
        raise bad_request(f"a container name must be specified for pod {name}, choose one of: [{names}]")
    for container in every:
        if container.get("name") == wanted:
            return container
    raise bad_request(f"container {wanted} is not valid for pod {name}")


@dataclass(frozen=True)
class Instance:
    """The container instance a log request reads."""

    index: int
    container_id: str
    started: datetime
    ended: datetime | None
    running: bool


def _terminated(state: dict[str, Any], index: int) -> Instance | None:
    started = parse_time(state.get("startedAt"))
    if not state.get("containerID") or started is None:
        return None
    return Instance(index, str(state["containerID"]), started, parse_time(state.get("finishedAt")), False)


def choose_instance(pod: dict[str, Any], container: str, previous: bool) -> Instance:
    """kubelet_pods.go validateContainerLogStatus: the running container, else the terminated
    one, else the last terminated; ``previous`` the last terminated (400s otherwise)."""
    pod_name = str((pod.get("metadata") or {}).get("name", ""))
    statuses = [
        s
        for key in ("containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses")
        for s in (pod.get("status") or {}).get(key) or []
        if isinstance(s, dict)
    ]
    status = next((s for s in statuses if s.get("name") == container), None)
    if status is None:
        raise bad_request(f'container "{container}" in pod "{pod_name}" is not available')
    restarts = int(status.get("restartCount") or 0)
    last = (status.get("lastState") or {}).get("terminated")
    state = status.get("state") or {}
    last_instance = _terminated(last, max(restarts - 1, 0)) if isinstance(last, dict) else None
    if previous:
        if last_instance is None:
            raise bad_request(f'previous terminated container "{container}" in pod "{pod_name}" not found')
        return last_instance
    if isinstance(state.get("running"), dict):
        started = parse_time(state["running"].get("startedAt")) or datetime.now(UTC)
        return Instance(restarts, str(status.get("containerID", "")), started, None, True)
    if isinstance(state.get("terminated"), dict):
        found = _terminated(state["terminated"], restarts) or last_instance
        if found is None:
            raise bad_request(f'container "{container}" in pod "{pod_name}" is terminated')
        return found
    if last_instance is not None:
        return last_instance
    reason = ((state.get("waiting") or {}).get("reason")) if isinstance(state.get("waiting"), dict) else None
    if reason == "ErrImagePull":
        raise bad_request(
            f'container "{container}" in pod "{pod_name}" is waiting to start: image can\'t be pulled'
        )
    if reason == "ImagePullBackOff":
        raise bad_request(
            f'container "{container}" in pod "{pod_name}" is waiting to start: trying and failing to pull image'
        )
    if reason:
        raise bad_request(f'container "{container}" in pod "{pod_name}" is waiting to start: {reason}')
    raise bad_request(f'container "{container}" in pod "{pod_name}" is waiting to start - no logs yet')


def run_log(store: Any, pod: dict[str, Any], container: dict[str, Any], instance: Instance) -> RunLog:
    return run_log_for(
        pod, container, instance.index, instance.started, instance.ended, profile_for(store, pod)
    )


class PodLogs:
    """Serves one log request on a handler's connection."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.api = handler.api
        self.store = handler.api.store
        self.clock = handler.api.store.clock
        self._budget: int | None = None
        self._timestamps = False

    def serve(self, method: str, namespace: str, name: str, query: dict[str, str], user: User) -> None:
        if method != "GET":
            raise ApiError(
                405, "MethodNotAllowed", "the server does not allow this method on the requested resource"
            )
        if not user.allowed("get", namespace):
            raise forbidden(user, "get", RESOURCES["pods"], "pods/log", "", namespace, name)
        options = parse_options(query, name)
        pod = self.store.get("pods", namespace, name)
        container = choose_container(pod, options.container)
        if not (pod.get("spec") or {}).get("nodeName"):
            self.handler.send(200, b"", "text/plain")  # not on a node: nothing to read yet
            return
        instance = choose_instance(pod, str(container.get("name", "")), options.previous)
        log = run_log(self.store, pod, container, instance)
        now = self.api.now()
        since = options.since_time
        if options.since_seconds is not None:
            since = now - timedelta(seconds=options.since_seconds)
        lines = log.lines(now, since, options.tail)
        self._budget, self._timestamps = options.limit_bytes, options.timestamps
        if not (options.follow and instance.running and not options.previous):
            self.handler.send(200, self._render(lines), "text/plain")
            return
        self.handler.send_response(200)
        self.handler.send_header("Content-Type", "text/plain")
        self.handler.send_header("Transfer-Encoding", "chunked")
        self.handler.send_header("Cache-Control", "no-cache, private")
        self.handler.end_headers()
        try:
            if self._write(lines):
                self._follow(pod, str(container.get("name", "")), instance, log, now)
            self._chunk(b"")
        except (BrokenPipeError, ConnectionResetError, OSError):
            self.handler.close_connection = True

    # ------------------------------------------------------------------ output
    def _render(self, lines: list[LogLine]) -> bytes:
        out = b"".join(self._format(line) for line in lines)
        return out if self._budget is None else out[: self._budget]

    def _format(self, line: LogLine) -> bytes:
        if not self._timestamps:
            return line.text.encode() + b"\n"
        at = line.at.astimezone(UTC)
        return f"{at:%Y-%m-%dT%H:%M:%S}.{at.microsecond * 1000:09d}Z {line.text}\n".encode()

    def _write(self, lines: list[LogLine]) -> bool:
        """Write lines as chunks (one per line); False once the byte limit is reached."""
        for line in lines:
            data = self._format(line)
            if self._budget is not None:
                data = data[: self._budget]
                self._budget -= len(data)
            if data:
                self._chunk(data)
            if self._budget is not None and self._budget <= 0:
                return False
        return True

    def _chunk(self, data: bytes) -> None:
        self.handler.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.handler.wfile.flush()

    # ------------------------------------------------------------------ follow
    def _follow(
        self, pod: dict[str, Any], container: str, instance: Instance, log: RunLog, cursor: datetime
    ) -> None:
        meta = pod["metadata"]
        generation = self.api.generation
        watch = self.store.watch(
            "pods",
            meta["namespace"],
            meta.get("resourceVersion"),
            field_selector=f"metadata.name={meta['name']}",
        )
        add = getattr(self.clock, "add_listener", None)
        if callable(add):
            add(watch.poke)  # a manual clock's advance wakes the follower
        try:
            while True:
                if self.api.generation != generation:
                    self.handler.close_connection = True
                    abort(self.handler.connection)
                    return
                if client_gone(self.handler.connection):
                    return
                now = self.api.now()
                if not self._write(list(log.after(cursor, now))):
                    return
                cursor = now
                if log.s.ended is not None and now >= log.s.ended:
                    return  # the container exited: the kubelet ends the stream
                event = watch.get(self._wait(log, now))
                if event is None:
                    continue
                # Whatever the container logged up to this change comes first.
                now = self.api.now()
                if not self._write(list(log.after(cursor, now))):
                    return
                cursor = now
                if event.type == "DELETED":
                    self._write(self._shutdown(now))
                if event.type in ("DELETED", "ERROR") or self._stopped(event.object, container, instance):
                    return
        finally:
            remove = getattr(self.clock, "remove_listener", None)
            if callable(remove):
                remove(watch.poke)
            watch.close()

    def _wait(self, log: RunLog, now: datetime) -> float:
        if getattr(self.clock, "is_manual", False):
            return POLL  # simulated time moves on advance(), which pokes the watch
        due = log.next_time(now)
        if due is None:
            return POLL
        gap = (due - now).total_seconds()
        real_seconds = getattr(self.clock, "real_seconds", None)  # a SimClock may run faster than time
        real = real_seconds(gap) if callable(real_seconds) else gap
        return max(0.001, min(POLL, float(real)))

    @staticmethod
    def _stopped(pod: dict[str, Any], container: str, instance: Instance) -> bool:
        for status in (pod.get("status") or {}).get("containerStatuses") or []:
            if isinstance(status, dict) and status.get("name") == container:
                running = isinstance((status.get("state") or {}).get("running"), dict)
                return not running or status.get("containerID") != instance.container_id
        return True

    @staticmethod
    def _shutdown(now: datetime) -> list[LogLine]:
        """What the app logs on SIGTERM when its pod is deleted."""
        stamp = now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"
        return [
            LogLine(now, f"{stamp} INFO  received signal, shutting down signal=terminated"),
            LogLine(now, f"{stamp} INFO  server stopped connections_drained=true"),
        ]
