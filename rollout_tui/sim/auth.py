"""Bearer-token users and the simulator's small RBAC model.

A user may be limited to some namespaces (``namespaces``: reads and writes elsewhere are
forbidden, as are cluster-wide lists) and may be read-only in some or all namespaces
(``read_only_namespaces``: ``"*"`` means everywhere). Denials carry the API server's wording so
kubectl prints what an operator would see from a real cluster.

Impersonation (``Impersonate-User``/``-Group``/``-Uid`` headers, as kubectl ``--as`` sends them) is
allowed to users created with ``may_impersonate`` (the administrator is); a request then runs
with the impersonated user's permissions: a registered user's own, ``system:masters`` in the
groups for everything, an unknown user for nothing, as RBAC without bindings would. Every
impersonated request is recorded (``Users.impersonations``) so tests can see it on the wire.
"""

from __future__ import annotations

import secrets
import threading
from collections import deque
from dataclasses import dataclass, replace
from typing import Any

from rollout_tui.sim.errors import ApiError
from rollout_tui.sim.resources import RESOURCES, ResourceType

READ_VERBS = frozenset({"get", "list", "watch"})


@dataclass(frozen=True)
class User:
    name: str
    token: str
    read_only_namespaces: frozenset[str] | None = None  # None: may write everywhere; "*": nowhere
    namespaces: frozenset[str] | None = None  # None: every namespace is visible
    may_impersonate: bool = False
    groups: tuple[str, ...] = ()

    def allowed(self, verb: str, namespace: str | None) -> bool:
        """``namespace`` None means a cluster-scoped object or an all-namespaces request."""
        if self.namespaces is not None and (namespace is None or namespace not in self.namespaces):
            return False
        if verb in READ_VERBS or self.read_only_namespaces is None:
            return True
        if "*" in self.read_only_namespaces:
            return False
        return namespace is not None and namespace not in self.read_only_namespaces


def forbidden(
    user: User,
    verb: str,
    rt: ResourceType | None,
    resource: str,
    group: str,
    namespace: str | None,
    name: str | None,
) -> ApiError:
    target = (f'{rt.group_resource} "{name}"' if name else rt.group_resource) if rt else resource
    where = f'in the namespace "{namespace}"' if namespace else "at the cluster scope"
    message = (
        f'{target} is forbidden: User "{user.name}" cannot {verb} resource "{resource}" in API group '
        f'"{group}" {where}'
    )
    return ApiError(
        403, "Forbidden", message, {"name": name or "", "group": group, "kind": rt.plural if rt else resource}
    )


UNAUTHORIZED = ApiError(401, "Unauthorized", "Unauthorized")
MASTERS = "system:masters"


@dataclass(frozen=True)
class ImpersonationRecord:
    """One request sent with impersonation headers: who sent it, as whom, for what."""

    by: str
    user: str
    groups: tuple[str, ...]
    uid: str
    method: str
    path: str


def impersonation_forbidden(actor: User, resource: str, name: str, group: str = "") -> ApiError:
    """kube-apiserver's denial of an impersonation (its impersonation filter)."""
    message = (
        f'{resource} "{name}" is forbidden: User "{actor.name}" cannot impersonate resource "{resource}" '
        f'in API group "{group}" at the cluster scope'
    )
    return ApiError(403, "Forbidden", message, {"name": name, "group": group, "kind": resource})


class Users:
    """Token registry; the first user is an administrator created with the simulator."""

    def __init__(self, admin_token: str | None = None) -> None:
        self._lock = threading.Lock()
        self._by_token: dict[str, User] = {}
        self.impersonations: deque[ImpersonationRecord] = deque(maxlen=1000)
        # hex: a urlsafe token begins with "-" one time in 64, and `--token -x…` reads as an option
        self.admin = self.add(User("admin", admin_token or secrets.token_hex(24), may_impersonate=True))

    def add(self, user: User) -> User:
        """Accept ``user.token`` from now on (in place of any user it named before)."""
        with self._lock:
            self._by_token[user.token] = user
        return user

    def revoke(self, token: str) -> bool:
        """Stop accepting ``token`` (401 from the next request on); False if it was unknown."""
        with self._lock:
            return self._by_token.pop(token, None) is not None

    def authenticate(self, authorization: str | None) -> User:
        if not authorization or not authorization.startswith("Bearer "):
            raise UNAUTHORIZED
        with self._lock:
            user = self._by_token.get(authorization[len("Bearer ") :].strip())
        if user is None:
            raise UNAUTHORIZED
        return user

    def by_name(self, name: str) -> User | None:
        with self._lock:
            return next((u for u in self._by_token.values() if u.name == name), None)

    def impersonate(self, actor: User, headers: Any, method: str, path: str) -> User:
        """The user a request acts as: ``actor``, or whom its Impersonate-* headers name."""
        name = headers.get("Impersonate-User") or ""
        groups = tuple(headers.get_all("Impersonate-Group") or ())
        uid = headers.get("Impersonate-Uid") or ""
        if not (name or groups or uid):
            return actor
        if not name:
            raise ApiError(400, "BadRequest", "requested groups or uid without impersonating a user")
        if not actor.may_impersonate:
            raise impersonation_forbidden(actor, "users", name)
        self.impersonations.append(ImpersonationRecord(actor.name, name, groups, uid, method, path))
        known = self.by_name(name)
        if MASTERS in groups:
            return User(name, "", groups=groups)
        if known is not None:
            return replace(known, token="", groups=groups)
        return User(name, "", namespaces=frozenset(), groups=groups)  # no RBAC bindings: nothing


def access_review(review: dict[str, Any], user: User) -> dict[str, Any]:
    """Answer a SelfSubjectAccessReview for ``user`` (what ``kubectl auth can-i`` asks)."""
    spec = review.get("spec") or {}
    attrs = spec.get("resourceAttributes")
    allowed, reason = True, ""
    if attrs:
        # kubectl may leave the group empty for a custom resource: match on the plural then.
        plural, group = attrs.get("resource"), attrs.get("group") or ""
        rt = next((r for r in RESOURCES.values() if r.plural == plural and r.group == group), None) or next(
            (r for r in RESOURCES.values() if r.plural == plural), None
        )
        namespace = attrs.get("namespace") or None
        if rt is not None and not rt.namespaced:
            namespace = None
        allowed = user.allowed(attrs.get("verb") or "", namespace)
        if not allowed:
            reason = f'User "{user.name}" may not {attrs.get("verb")} here'
    status: dict[str, Any] = {"allowed": allowed}
    if not allowed:
        status.update({"denied": True, "reason": reason})
    return {
        "kind": "SelfSubjectAccessReview",
        "apiVersion": "authorization.k8s.io/v1",
        "metadata": {"creationTimestamp": None},
        "spec": spec,
        "status": status,
    }
