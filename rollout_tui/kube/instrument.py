"""What every request of a context carries, added at the one place all of them pass
(``ApiClient.rest_client.request``, see ``readonly``): lists, gets, watches, patches and
SelfSubjectAccessReviews alike.

- Impersonation headers (``Impersonate-User``, one ``Impersonate-Group`` line per group,
  ``Impersonate-Uid``), as client-go's impersonating round tripper sends them.
- ``--request-timeout``: the limit of each request except watches (long-lived by design; a dead
  one is caught by the reflector's liveness checks).
- Timeouts on every request, whatever the call site: ``DEFAULT_TIMEOUT`` (connect, read) when the
  caller gave none, and at most one connect retry (``reachability.bound_retries``).
- ``-v``/``--v``: kubectl's request log on the ``rollout_tui.requests`` logger: at 6 one line per
  request with status and latency, at 7 also the request headers, credentials masked as kubectl
  masks them (``Authorization: Bearer <masked>``).
"""

from __future__ import annotations

import logging
import os
import time
from datetime import datetime
from typing import Any

from urllib3._collections import HTTPHeaderDict

from rollout_tui.kube.overrides import Impersonation
from rollout_tui.kube.reachability import bound_retries

LOG = logging.getLogger("rollout_tui.requests")
DEFAULT_TIMEOUT = (10.0, 30.0)  # connect (TLS handshake included), read: seconds
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie"})


def _klog_prefix() -> str:
    now = datetime.now()
    return f"I{now:%m%d %H:%M:%S.%f} {os.getpid():>7} requests.py]"


def _masked(name: str, value: str) -> str:
    if name.lower() not in SECRET_HEADERS:
        return value
    scheme, _, rest = str(value).partition(" ")
    return f"{scheme} <masked>" if rest else "<masked>"


def instrument(
    api_client: Any, impersonation: Impersonation, request_timeout: float | None, verbosity: int
) -> Any:
    """Wrap ``api_client``'s request method once; returns the client."""
    rest = api_client.rest_client
    if getattr(rest, "_rollout_tui_instrumented", False):
        return api_client
    original = rest.request
    extra = impersonation.headers()

    def request(method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        if extra:
            headers = HTTPHeaderDict(kwargs.get("headers") or {})
            for name, value in extra:
                headers.add(name, value)
            kwargs["headers"] = headers
        if request_timeout and "watch=true" not in url:
            kwargs["_request_timeout"] = request_timeout
        elif not kwargs.get("_request_timeout"):
            kwargs["_request_timeout"] = DEFAULT_TIMEOUT
        if verbosity < 6:
            return original(method, url, *args, **kwargs)
        return _logged(original, method, url, verbosity, args, kwargs)

    rest.request = request
    rest._rollout_tui_instrumented = True
    bound_retries(api_client)
    return api_client


def _logged(
    original: Any, method: str, url: str, verbosity: int, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Any:
    if verbosity >= 7:
        LOG.info("%s %s %s", _klog_prefix(), method, url)
        LOG.info("%s Request Headers:", _klog_prefix())
        headers = kwargs.get("headers") or {}
        items = headers.items() if hasattr(headers, "items") else []
        for name, value in items:
            shown = "-".join(part.capitalize() for part in str(name).split("-"))  # Go's canonical form
            LOG.info("%s     %s: %s", _klog_prefix(), shown, _masked(name, value))
    started = time.monotonic()
    status = ""
    try:
        response = original(method, url, *args, **kwargs)
        status = f"{response.status} {getattr(response, 'reason', '') or ''}".strip()
        return response
    except Exception as exc:
        code = getattr(exc, "status", None)
        status = f"{code} {getattr(exc, 'reason', '') or ''}".strip() if code else ""
        raise
    finally:
        elapsed = int((time.monotonic() - started) * 1000)
        if verbosity >= 7:
            LOG.info("%s Response Status: %s in %d milliseconds", _klog_prefix(), status, elapsed)
        else:
            LOG.info("%s %s %s %s in %d milliseconds", _klog_prefix(), method, url, status, elapsed)
