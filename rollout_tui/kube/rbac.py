"""Can this user do that here? SelfSubjectAccessReview per context x namespace, cached.

What ``kubectl auth can-i`` asks. Lets the UI disable an action and say why before the operator
tries; the action still handles a 403 at run time (permissions change, caches age).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any

from rollout_tui.kube.errors import classify
from rollout_tui.kube.transport import post_json
from rollout_tui.model.actions import Permission

SSAR_PATH = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"


class AccessChecker:
    def __init__(
        self,
        api_client: Any,
        user: str = "",
        ttl: float = 60.0,
        error_ttl: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.api_client = api_client
        self.user = user
        self.ttl = ttl
        self.error_ttl = error_ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, Permission], tuple[float, bool, str]] = {}
        self.reviews = 0  # SelfSubjectAccessReviews sent (tests check the cache)

    def can(self, permissions: tuple[Permission, ...], namespace: str) -> tuple[bool, str]:
        """(allowed, reason) for an action needing `permissions` (its spec's); the first denial is
        reported. Unknown permissions (review API unavailable) count as allowed, with the reason
        saying so: the server still has the last word at run time."""
        notes = []
        for attrs in permissions:
            allowed, reason = self._check(namespace, attrs)
            if not allowed:
                return False, reason
            if reason:
                notes.append(reason)
        return True, "; ".join(notes)

    def invalidate(self) -> None:
        with self._lock:
            self._cache.clear()

    def _check(self, namespace: str, attrs: Permission) -> tuple[bool, str]:
        key = (namespace, attrs)
        now = self._clock()
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None and hit[0] > now:
                return hit[1], hit[2]
        allowed, reason, ok = self._review(namespace, attrs)
        with self._lock:
            self._cache[key] = (now + (self.ttl if ok else self.error_ttl), allowed, reason)
        return allowed, reason

    def _review(self, namespace: str, attrs: Permission) -> tuple[bool, str, bool]:
        verb, group, resource, subresource = attrs.verb, attrs.group, attrs.resource, attrs.subresource
        resource_attributes = {"namespace": namespace, "verb": verb, "group": group, "resource": resource}
        if subresource:
            resource_attributes["subresource"] = subresource
        body = {
            "apiVersion": "authorization.k8s.io/v1",
            "kind": "SelfSubjectAccessReview",
            "spec": {"resourceAttributes": resource_attributes},
        }
        self.reviews += 1
        try:
            # Plain POST, not AuthorizationV1Api: importing the generated API and its models costs
            # seconds of CPU, competing for the GIL with the UI's first paint.
            resp = post_json(self.api_client, SSAR_PATH, body, request_timeout=(5, 10))
            data = json.loads(resp.data)
        except Exception as exc:
            return True, f"permissions unknown ({classify(exc)})", False
        status = data.get("status") if isinstance(data, dict) else None
        status = status if isinstance(status, dict) else {}
        target = f"{resource}/{subresource}" if subresource else resource
        if status.get("allowed") is True:
            return True, "", True
        who = self.user or "you"
        reason = f"{who} cannot {verb} {target} in namespace {namespace}"
        extra = status.get("reason") or status.get("evaluationError")
        if extra:
            reason += f" ({extra})"
        return False, reason, True
