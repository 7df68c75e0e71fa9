"""Running an action: the plugin's exact requests, behind the stale-view guard, audited, never
retried blindly.

`Actions.run(spec, namespace, name, expected, args)` reads the object again, refuses when the
fields the operator confirmed (`expected`, the RolloutState shown in the confirmation; None =
"as it is now", what the CLI does) have changed, asks the spec for its writes and sends them, the
first one carrying the resourceVersion the guard checked (a merge patch `metadata.resourceVersion`,
a JSON Patch `test` op, or the PUT's own), so check and write are atomic on the server.

Outcomes (`ActionResult.outcome`):
  applied  the server accepted every write
  noop     nothing needed sending (the plugin sends nothing either)
  stale    the rollout changed since the operator looked; nothing was written
  denied   RBAC said no (403); nothing was written
  unknown  the connection failed after a write may have reached the server: re-check; never
           retried (a retried promote could skip a step)
  failed   the server refused (404, 422 ...) or could not be reached before sending
A conflict (409, or a failed JSON Patch `test`) is the one retried case: the server guarantees
nothing was applied, so the object is read again, the guard re-run, and the writes rebuilt (up to
`attempts` times, like the plugin's set image).
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rollout_tui.kube.audit import AuditLog
from rollout_tui.kube.config import ClusterContext
from rollout_tui.kube.errors import ErrorKind, KubeError, classify
from rollout_tui.kube.kinds import WORKLOAD_KINDS
from rollout_tui.kube.rbac import AccessChecker
from rollout_tui.kube.resources import (
    ANALYSIS_RUN,
    EXPERIMENT,
    REPLICA_SET,
    ROLLOUT,
    Kind,
    ResourceClient,
    label_selector,
)
from rollout_tui.kube.transport import send_json
from rollout_tui.model.actions import ROLLOUT as ROLLOUT_KIND
from rollout_tui.model.actions import ActionArgs, ActionRefused, ActionSpec, Target, Write
from rollout_tui.model.actions.guard import stale_reason
from rollout_tui.model.actions.spec import JSON_PATCH
from rollout_tui.model.state import RolloutState, rollout_state

APPLIED, NOOP, STALE, DENIED, UNKNOWN, FAILED = "applied", "noop", "stale", "denied", "unknown", "failed"
_KINDS: dict[str, Kind] = {"Rollout": ROLLOUT, "AnalysisRun": ANALYSIS_RUN, "Experiment": EXPERIMENT}


@dataclass(frozen=True, slots=True)
class ActionResult:
    """How an action ended: the one result type from kube to the UI and the CLI."""

    ok: bool
    outcome: str  # APPLIED, NOOP, STALE, DENIED, UNKNOWN or FAILED
    message: str  # the plugin's message on success, else what went wrong, in one line
    state: RolloutState | None = None  # the rollout as last read (after a stale refusal: what it is now)


class _Conflict(Exception):
    pass


class _Stop(Exception):
    def __init__(self, result: ActionResult) -> None:
        super().__init__(result.message)
        self.result = result


def with_precondition(write: Write, resource_version: str) -> Write:
    """Attach the resourceVersion the guard checked, so check-and-write is atomic on the server."""
    if not resource_version or write.method == "PUT":  # a PUT carries the GET's resourceVersion already
        return write
    if write.content_type == JSON_PATCH:
        body: Any = [
            {"op": "test", "path": "/metadata/resourceVersion", "value": resource_version},
            *write.body,
        ]
    else:
        body = copy.deepcopy(write.body)
        body.setdefault("metadata", {})["resourceVersion"] = resource_version
    fallback = with_precondition(write.fallback, resource_version) if write.fallback else None
    return Write(
        write.resource, write.name, body, write.content_type, write.subresource, write.method, fallback
    )


class Actions:
    """Guarded, audited writes for one context. There is no instance for a read-only context."""

    def __init__(
        self,
        context: ClusterContext,
        audit: AuditLog | None = None,
        access: AccessChecker | None = None,
        attempts: int = 5,
        request_timeout: tuple[float, float] = (10.0, 30.0),
    ) -> None:
        if context.read_only:
            raise ValueError("a read-only context has no write path")
        self.context = context
        self.audit = audit
        self.access = access or AccessChecker(context.api_client, context.user)
        self.attempts = attempts
        self.request_timeout = request_timeout

    def can(self, spec: ActionSpec, namespace: str, state: RolloutState | None = None) -> tuple[bool, str]:
        """(allowed, why not) from the cached SelfSubjectAccessReviews of the spec's permissions
        (for `state`: a rollout with spec.workloadRef writes its workload)."""
        return self.access.can(spec.permissions_for(state), namespace)

    def run(
        self,
        spec: ActionSpec,
        namespace: str,
        name: str,
        expected: RolloutState | None = None,
        args: ActionArgs | None = None,
        *,
        wave: str = "",
    ) -> ActionResult:
        """`wave`: the id of the wave this write belongs to, recorded with it in the audit trail."""
        args = args or ActionArgs()
        sent: list[dict[str, Any]] = []
        try:
            result = self._attempt(spec, namespace, name, expected, args, sent)
        except _Stop as stop:
            result = stop.result
        if self.audit is not None:
            # A PUT body is the whole object: the trail records what the operator changed instead.
            changed = {"container": args.container, "image": args.image}
            self.audit.record(
                context=self.context.name,
                user=self.context.user,
                namespace=namespace,
                name=name,
                action=spec.id,
                patches=[dict(p, body=changed) if p["method"] == "PUT" else p for p in sent],
                outcome=result.outcome,
                message=result.message,
                wave=wave,
            )
        return result

    def preflight(
        self, spec: ActionSpec, namespace: str, name: str, args: ActionArgs | None = None
    ) -> ActionResult | None:
        """What `run` would refuse before sending anything, from the objects as they are now;
        nothing is written. None when it would send its writes. The UI checks an operator's input
        this way (undo's revision) before asking to confirm it."""
        try:
            target = self._target(spec, namespace, name)
        except _Stop as stop:
            return stop.result
        try:
            spec.writes(target, args or ActionArgs())
        except ActionRefused as refused:
            return ActionResult(refused.noop, NOOP if refused.noop else FAILED, str(refused), target.state)
        return None

    # -- the guarded write loop ---------------------------------------------------------------------
    def _attempt(
        self,
        spec: ActionSpec,
        namespace: str,
        name: str,
        expected: RolloutState | None,
        args: ActionArgs,
        sent: list[dict[str, Any]],
    ) -> ActionResult:
        for _ in range(self.attempts):
            target = self._target(spec, namespace, name)
            current = target.state
            if expected is not None and current is not None:
                reason = stale_reason(spec.guard, expected, current)
                if reason:
                    return ActionResult(False, STALE, reason, current)
            try:
                writes = spec.writes(target, args)
            except ActionRefused as refused:
                outcome = NOOP if refused.noop else FAILED
                return ActionResult(refused.noop, outcome, str(refused), current)
            done = spec.done_target(target, args) if spec.done_target else spec.done(name, args)
            if not writes:
                return ActionResult(True, NOOP, done, current)
            try:
                first = with_precondition(writes[0], target.version_of(writes[0]))
                fell_back = self._send(namespace, first, sent)
            except _Conflict:
                continue
            if not fell_back:  # the plugin's unified fallback patch replaces the rest
                self._send_rest(namespace, writes, sent, current)
            return ActionResult(True, APPLIED, done, current)
        message = (
            f"{spec.kind.lower()} '{name}' kept changing; nothing applied after {self.attempts} attempts"
        )
        return ActionResult(False, FAILED, message)

    def _send_rest(
        self,
        namespace: str,
        writes: tuple[Write, ...],
        sent: list[dict[str, Any]],
        state: RolloutState | None,
    ) -> None:
        for index, write in enumerate(writes[1:], start=1):
            try:
                self._send(namespace, write, sent)
            except (_Stop, _Conflict) as exc:
                text = exc.result.message if isinstance(exc, _Stop) else "conflict"
                outcome = (
                    exc.result.outcome if isinstance(exc, _Stop) and exc.result.outcome == UNKNOWN else FAILED
                )
                partial = f"{text} (after {index} of {len(writes)} requests were applied)"
                raise _Stop(ActionResult(False, outcome, partial, state)) from None

    def _target(self, spec: ActionSpec, namespace: str, name: str) -> Target:
        obj = self._read(lambda: self._client(_KINDS[spec.kind]).get(namespace, name, self.request_timeout))
        if spec.kind != ROLLOUT_KIND:
            return Target(obj)
        replicasets: tuple[dict[str, Any], ...] = ()
        if spec.needs_replicasets:
            selector = label_selector((obj.get("spec") or {}).get("selector"))
            items, _ = self._read(
                lambda: self._client(REPLICA_SET).list_all(
                    namespace, label_selector=selector or None, request_timeout=self.request_timeout
                )
            )
            replicasets = tuple(items)
        return Target(obj, rollout_state(obj), replicasets, self._workload(spec, namespace, obj))

    def _workload(self, spec: ActionSpec, namespace: str, rollout: dict[str, Any]) -> dict[str, Any] | None:
        """The object spec.workloadRef names, for an action that writes it (None otherwise)."""
        ref = (rollout.get("spec") or {}).get("workloadRef")
        kind = WORKLOAD_KINDS.get(str(ref.get("kind"))) if isinstance(ref, dict) else None
        if spec.workload_permissions is None or kind is None or not isinstance(ref, dict):
            return None
        name = str(ref.get("name") or "")
        found: dict[str, Any] = self._read(
            lambda: self._client(kind).get(namespace, name, self.request_timeout)
        )
        return found

    def _client(self, kind: Kind) -> ResourceClient:
        return ResourceClient(self.context.api_client, kind)

    def _read(self, call: Callable[[], Any]) -> Any:
        try:
            return call()
        except Exception as exc:
            err = classify(exc)
            if err.kind is ErrorKind.FORBIDDEN:
                raise _Stop(ActionResult(False, DENIED, f"forbidden: {err}")) from None
            if err.kind is ErrorKind.UNAUTHORIZED:
                self._reload()
            raise _Stop(ActionResult(False, FAILED, f"{err}; nothing was changed")) from None

    def _reload(self) -> None:
        with contextlib.suppress(Exception):
            self.context.reload_credentials()

    def _send(self, namespace: str, write: Write, sent: list[dict[str, Any]]) -> bool:
        """Send one write; True when the plugin's fallback replaced it (and the rest)."""
        record: dict[str, Any] = {
            "method": write.method,
            "resource": write.resource.plural,
            "subresource": write.subresource,
            "content_type": write.content_type,
            "body": write.body,
        }
        sent.append(record)
        try:
            send_json(self.context.api_client, write, namespace, self.request_timeout)
            record["result"] = "ok"
            return False
        except Exception as exc:
            err = classify(exc)
            record["result"] = err.kind.value
            if (
                err.kind is ErrorKind.NOT_FOUND
                and write.subresource == "status"
                and write.fallback is not None
            ):
                self._send(namespace, write.fallback, sent)
                return True
            conflict = err.kind is ErrorKind.CONFLICT
            if conflict or (
                err.kind is ErrorKind.INVALID and err.status == 422 and write.content_type == JSON_PATCH
            ):
                raise _Conflict() from None
            raise _Stop(self._write_failure(err)) from None

    def _write_failure(self, err: KubeError) -> ActionResult:
        if err.kind is ErrorKind.FORBIDDEN:
            return ActionResult(False, DENIED, f"forbidden: {err}")
        if err.kind is ErrorKind.UNREACHABLE:  # the connection was never made: nothing was sent
            return ActionResult(False, FAILED, f"{err}; nothing was changed")
        if err.kind in (ErrorKind.TIMEOUT, ErrorKind.BROKEN, ErrorKind.SERVER, ErrorKind.OTHER):
            return ActionResult(False, UNKNOWN, f"outcome unknown, re-check the rollout: {err}")
        if err.kind is ErrorKind.UNAUTHORIZED:
            self._reload()
            return ActionResult(False, FAILED, f"unauthorized (credentials reloaded, try again): {err}")
        return ActionResult(False, FAILED, str(err))
