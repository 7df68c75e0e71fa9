"""Is the API server accepting connections again? A cheap TCP probe for reflectors backing off.

After an outage the reflector's backoff has grown to tens of seconds; waiting it out in full
leaves a wall monitor stale long after the API is back. While the server refuses connections, a
TCP connect every second or so costs the server nothing (no TLS, no request) and lets the
reflector retry as soon as the port answers. Behind a proxy the probe would only test the proxy,
so it is not used there.
"""

from __future__ import annotations

import socket
from typing import Any
from urllib.parse import urlsplit


def endpoint(api_client: Any) -> tuple[str, int] | None:
    """(host, port) of the API server, or None when a probe cannot tell (proxy, odd URL)."""
    config = getattr(api_client, "configuration", None)
    if config is None or getattr(config, "proxy", None):
        return None
    try:
        url = urlsplit(str(getattr(config, "host", "")))
        host = url.hostname
        port = url.port or (443 if url.scheme == "https" else 80)
    except ValueError:
        return None
    return (host, port) if host else None


def accepts_connections(address: tuple[str, int], timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection(address, timeout=timeout):
            return True
    except OSError:
        return False
