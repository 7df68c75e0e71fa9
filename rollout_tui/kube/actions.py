"""Rollout actions: the plugin's exact requests, behind a stale-view guard, audited, never retried blindly.

Each method takes the ``ViewState`` the operator confirmed (``None`` = "as it is now", what the
CLI does) and returns an ``ActionResult``. Outcomes:
  applied  the server accepted every write
  noop     nothing needed sending (the plugin would send nothing either; e.g. undo to the
           current template). Not in the original API sketch: added so the UI can tell "done"
           from "nothing to do".
  stale    the rollout changed since the operator looked; nothing was written
  denied   RBAC said no (403); nothing was written
  unknown  the connection failed after a write may have reached the server: re-check, we do not
           retry (a retried promote could skip a step)
  failed   the server refused (404, 422 ...) or could not be reached before sending
Conflicts (409, or a failed JSON Patch ``test``) are the one retried case: the server guarantees
nothing was applied, so we re-read, re-run the guard, and try again (up to ``attempts`` times,
like the plugin's set image).
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from rollout_tui.kube.audit import AuditLog
from rollout_tui.kube.config import ClusterContext
from rollout_tui.kube.errors import ErrorKind, KubeError, classify
from rollout_tui.kube.guards import ViewState, stale_reason
from rollout_tui.kube.patches import (
    ABORT_PATCH,
    JSON_PATCH,
    MERGE,
    PAUSE_PATCH,
    RETRY_PATCH,
    UndoError,
    promote_plan,
    restart_patch,
    template_matches,
    undo_patch,
    undo_target,
    with_image,
)
from rollout_tui.kube.rbac import AccessChecker
from rollout_tui.kube.resources import REPLICA_SET, ROLLOUT, ResourceClient, label_selector

APPLIED, NOOP, STALE, DENIED, UNKNOWN, FAILED = "applied", "noop", "stale", "denied", "unknown", "failed"


@dataclass(frozen=True)
class ActionResult:
    ok: bool
    message: str
    outcome: str
    state: ViewState | None = None  # the rollout as last read (after a stale refusal: what it is now)


@dataclass(frozen=True)
class Write:
    target: str  # "status" | "main" | "put"
    body: Any
    content_type: str = MERGE
    fallback: Write | None = None  # sent to the main resource if /status answers NotFound
    plural: str = "rollouts"


class _Conflict(Exception):
    pass


class _Stop(Exception):
    def __init__(self, result: ActionResult) -> None:
        super().__init__(result.message)
        self.result = result


def with_precondition(write: Write, resource_version: str) -> Write:
    """Attach the resourceVersion the guard checked, so check-and-write is atomic on the server."""
    if not resource_version:
        return write
    if write.content_type == JSON_PATCH:
        body = [{"op": "test", "path": "/metadata/resourceVersion", "value": resource_version}, *write.body]
    elif write.target == "put":
        body = write.body  # a PUT carries the GET's resourceVersion already
    else:
        body = dict(copy.deepcopy(write.body))
        body.setdefault("metadata", {})["resourceVersion"] = resource_version
    fallback = with_precondition(write.fallback, resource_version) if write.fallback else None
    return Write(write.target, body, write.content_type, fallback, write.plural)


class Actions:
    def __init__(
        self,
        context: ClusterContext,
        audit: AuditLog | None = None,
        access: AccessChecker | None = None,
        now: Callable[[], datetime] | None = None,
        attempts: int = 5,
        request_timeout: tuple[float, float] = (10.0, 30.0),
    ) -> None:
        if context.read_only:
            raise ValueError("a read-only context has no write path")
        from kubernetes import client as kclient

        self.context = context
        self.audit = audit
        self.access = access or AccessChecker(context.api_client, context.user)
        self._now = now or (lambda: datetime.now(UTC))
        self.attempts = attempts
        self.request_timeout = request_timeout
        self._custom = kclient.CustomObjectsApi(context.api_client)

    # -- permissions --------------------------------------------------------------------------------
    def can(self, action: str, namespace: str) -> tuple[bool, str]:
        return self.access.can(action, namespace)

    # -- actions ------------------------------------------------------------------------------------
    def promote(
        self, namespace: str, name: str, expected: ViewState | None = None, full: bool = False
    ) -> ActionResult:
        def build(ro: dict) -> list[Write]:
            plan = promote_plan(ro, full)
            writes = []
            if plan.status is not None:
                writes.append(Write("status", plan.status, fallback=Write("main", plan.unified)))
            if plan.spec is not None:
                writes.append(Write("main", plan.spec))
            return writes

        done = f"rollout '{name}' fully promoted" if full else f"rollout '{name}' promoted"
        return self._run("promote_full" if full else "promote", namespace, name, expected, build, done)

    def abort(self, namespace: str, name: str, expected: ViewState | None = None) -> ActionResult:
        return self._run(
            "abort",
            namespace,
            name,
            expected,
            lambda ro: [Write("status", ABORT_PATCH, fallback=Write("main", ABORT_PATCH))],
            f"rollout '{name}' aborted",
        )

    def retry(self, namespace: str, name: str, expected: ViewState | None = None) -> ActionResult:
        return self._run(
            "retry",
            namespace,
            name,
            expected,
            lambda ro: [Write("status", RETRY_PATCH, fallback=Write("main", RETRY_PATCH))],
            f"rollout '{name}' retried",
        )

    def pause(self, namespace: str, name: str, expected: ViewState | None = None) -> ActionResult:
        return self._run(
            "pause",
            namespace,
            name,
            expected,
            lambda ro: [Write("main", PAUSE_PATCH)],
            f"rollout '{name}' paused",
        )

    def restart(
        self,
        namespace: str,
        name: str,
        expected: ViewState | None = None,
        delay: timedelta = timedelta(0),
        delay_text: str = "0s",
    ) -> ActionResult:
        at = self._now().astimezone(UTC) + delay
        return self._run(
            "restart",
            namespace,
            name,
            expected,
            lambda ro: [Write("main", restart_patch(at))],
            f"rollout '{name}' restarts in {delay_text}",
        )

    def undo(
        self, namespace: str, name: str, to_revision: int = 0, expected: ViewState | None = None
    ) -> ActionResult:
        def build(ro: dict) -> list[Write]:
            replicasets = self._list_replicasets(namespace, ro)
            try:
                rs = undo_target(ro, replicasets, to_revision)
            except UndoError as exc:
                raise _Stop(ActionResult(False, str(exc), FAILED, ViewState.of(ro))) from None
            if template_matches(ro, rs):
                raise _Stop(
                    ActionResult(
                        True,
                        f"skipped rollback (current template already matches revision {to_revision})",
                        NOOP,
                        ViewState.of(ro),
                    )
                )
            return [Write("main", undo_patch(rs), JSON_PATCH)]

        return self._run("undo", namespace, name, expected, build, f"rollout '{name}' undo")

    def set_image(
        self, namespace: str, name: str, container: str, image: str, expected: ViewState | None = None
    ) -> ActionResult:
        def build(ro: dict) -> list[Write]:
            if isinstance((ro.get("spec") or {}).get("workloadRef"), dict):
                raise _Stop(
                    ActionResult(
                        False,
                        "set image on a rollout with workloadRef is not supported "
                        "(set it on the referenced Deployment)",
                        FAILED,
                    )
                )
            try:
                return [Write("put", with_image(ro, container, image), "application/json")]
            except ValueError as exc:
                raise _Stop(ActionResult(False, str(exc), FAILED, ViewState.of(ro))) from None

        return self._run(
            "set_image",
            namespace,
            name,
            expected,
            build,
            f'rollout "{name}" image updated',
            audit_extra={"container": container, "image": image},
        )

    def retry_experiment(self, namespace: str, name: str) -> ActionResult:
        """The plugin's ``retry experiment``: clear the Experiment's status (no status subresource)."""
        sent: list[dict] = []
        try:
            self._send(namespace, name, Write("main", {"status": None}, plural="experiments"), sent)
            result = ActionResult(True, f"experiment '{name}' retried", APPLIED)
        except _Stop as stop:
            result = stop.result
        if self.audit is not None:
            self.audit.record(
                context=self.context.name,
                user=self.context.user,
                namespace=namespace,
                name=name,
                action="retry_experiment",
                patches=sent,
                outcome=result.outcome,
                message=result.message,
            )
        return result

    # -- the guarded write loop ---------------------------------------------------------------------
    def _run(
        self,
        action: str,
        namespace: str,
        name: str,
        expected: ViewState | None,
        build: Callable[[dict], list[Write]],
        done: str,
        audit_extra: dict | None = None,
    ) -> ActionResult:
        sent: list[dict] = []
        try:
            result = self._attempt(action, namespace, name, expected, build, done, sent)
        except _Stop as stop:
            result = stop.result
        if self.audit is not None:
            patches = sent
            if audit_extra:  # a PUT body is the whole object: record what changed instead
                patches = [dict(p, body=audit_extra) if p.get("method") == "PUT" else p for p in sent]
            self.audit.record(
                context=self.context.name,
                user=self.context.user,
                namespace=namespace,
                name=name,
                action=action,
                patches=patches,
                outcome=result.outcome,
                message=result.message,
            )
        return result

    def _attempt(
        self,
        action: str,
        namespace: str,
        name: str,
        expected: ViewState | None,
        build: Callable[[dict], list[Write]],
        done: str,
        sent: list[dict],
    ) -> ActionResult:
        confirmed = expected
        for _ in range(self.attempts):
            ro = self._get(namespace, name)
            current = ViewState.of(ro)
            if confirmed is None:
                confirmed = current  # CLI: act on what we just read, still atomically
            reason = stale_reason(action, confirmed, current)
            if reason:
                return ActionResult(False, reason, STALE, current)
            writes = build(ro)
            if not writes:
                return ActionResult(True, done, NOOP, current)
            try:
                self._send(namespace, name, with_precondition(writes[0], current.resource_version), sent)
            except _Conflict:
                continue
            except _FellBack:
                return ActionResult(True, done, APPLIED, current)  # unified patch replaced the rest
            for index, write in enumerate(writes[1:], start=1):
                try:
                    self._send(namespace, name, write, sent)
                except _Stop as stop:
                    partial = f"{stop.result.message} (after {index} of {len(writes)} patches were applied)"
                    raise _Stop(
                        ActionResult(
                            False, partial, UNKNOWN if stop.result.outcome == UNKNOWN else FAILED, current
                        )
                    ) from None
            return ActionResult(True, done, APPLIED, current)
        return ActionResult(
            False, f"rollout '{name}' kept changing; nothing applied after {self.attempts} attempts", FAILED
        )

    def _get(self, namespace: str, name: str) -> dict:
        try:
            return ResourceClient(self.context.api_client, ROLLOUT).get(namespace, name, self.request_timeout)
        except Exception as exc:
            raise _Stop(self._read_failure(exc)) from None

    def _list_replicasets(self, namespace: str, ro: dict) -> list[dict]:
        selector = label_selector((ro.get("spec") or {}).get("selector"))
        try:
            items, _ = ResourceClient(self.context.api_client, REPLICA_SET).list_all(
                namespace, label_selector=selector or None, request_timeout=self.request_timeout
            )
            return items
        except Exception as exc:
            raise _Stop(self._read_failure(exc)) from None

    def _read_failure(self, exc: BaseException) -> ActionResult:
        err = classify(exc)
        if err.kind is ErrorKind.FORBIDDEN:
            return ActionResult(False, f"forbidden: {err}", DENIED)
        if err.kind is ErrorKind.UNAUTHORIZED:
            self._reload()
        return ActionResult(False, f"{err}; nothing was changed", FAILED)

    def _reload(self) -> None:
        with contextlib.suppress(Exception):
            self.context.reload_credentials()

    def _send(self, namespace: str, name: str, write: Write, sent: list[dict]) -> None:
        args = (ROLLOUT.group, ROLLOUT.version, namespace, write.plural, name, write.body)
        kwargs: dict[str, Any] = {"_preload_content": False, "_request_timeout": self.request_timeout}
        record = {
            "method": "PUT" if write.target == "put" else "PATCH",
            "resource": write.plural,
            "subresource": "status" if write.target == "status" else "",
            "content_type": write.content_type,
            "body": write.body,
        }
        sent.append(record)
        try:
            if write.target == "status":
                self._custom.patch_namespaced_custom_object_status(
                    *args, _content_type=write.content_type, **kwargs
                )
            elif write.target == "main":
                self._custom.patch_namespaced_custom_object(*args, _content_type=write.content_type, **kwargs)
            else:
                self._custom.replace_namespaced_custom_object(*args, **kwargs)
            record["result"] = "ok"
        except Exception as exc:
            err = classify(exc)
            record["result"] = err.kind.value
            if err.kind is ErrorKind.NOT_FOUND and write.target == "status" and write.fallback is not None:
                # the plugin's pre-v0.10 fallback: no status subresource -> one patch to the main resource
                self._send(namespace, name, write.fallback, sent)
                raise _FellBack() from None
            if err.kind is ErrorKind.CONFLICT or (
                err.kind is ErrorKind.INVALID and err.status == 422 and write.content_type == JSON_PATCH
            ):
                raise _Conflict() from None
            raise _Stop(self._write_failure(err)) from None

    def _write_failure(self, err: KubeError) -> ActionResult:
        if err.kind is ErrorKind.FORBIDDEN:
            return ActionResult(False, f"forbidden: {err}", DENIED)
        if err.kind is ErrorKind.UNREACHABLE:  # the connection was never made: nothing was sent
            return ActionResult(False, f"{err}; nothing was changed", FAILED)
        if err.kind in (ErrorKind.TIMEOUT, ErrorKind.BROKEN, ErrorKind.SERVER, ErrorKind.OTHER):
            return ActionResult(False, f"outcome unknown, re-check the rollout: {err}", UNKNOWN)
        if err.kind is ErrorKind.UNAUTHORIZED:
            self._reload()
            return ActionResult(False, f"unauthorized (credentials reloaded, try again): {err}", FAILED)
        return ActionResult(False, str(err), FAILED)


class _FellBack(Exception):
    pass
