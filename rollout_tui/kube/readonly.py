"""Read-only as a property of the client: its HTTP layer cannot send a write.

Every request of the ``kubernetes`` client, typed or custom, list, watch or patch, goes through
``ApiClient.rest_client.request(method, url, ...)``. Wrapping that one method is the lowest point
we own, so a read-only session is unable to write even if some code path tried (a UI bug, a new
action, a plugin): the request is refused before any byte leaves the process.
"""

from __future__ import annotations

from typing import Any

READ_VERBS = frozenset({"GET", "HEAD", "OPTIONS"})


class ReadOnlyViolation(RuntimeError):
    """Raised instead of sending a non-read request from a read-only client."""


def make_read_only(api_client: Any) -> Any:
    """Make ``api_client`` refuse any request whose HTTP method is not a read. Idempotent."""
    rest = api_client.rest_client
    if getattr(rest, "_rollout_tui_read_only", False):
        return api_client
    original = rest.request

    def guarded_request(method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        if str(method).upper() not in READ_VERBS:
            raise ReadOnlyViolation(f"read-only session: refusing to send {str(method).upper()} {url}")
        return original(method, url, *args, **kwargs)

    rest.request = guarded_request
    rest._rollout_tui_read_only = True
    return api_client


def make_context_read_only(context: Any) -> Any:
    """One ClusterContext read-only (a per-context policy): its client refuses writes, and
    ``Actions`` refuses to be built for it. Idempotent."""
    make_read_only(context.api_client)
    context.read_only = True
    return context


def is_read_only(api_client: Any) -> bool:
    return bool(getattr(api_client.rest_client, "_rollout_tui_read_only", False))
