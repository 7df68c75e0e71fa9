"""Turn whatever the kubernetes client raises into one operator-facing line and a category.

The client raises ``ApiException`` (with a JSON ``Status`` body) for HTTP errors, ``ApiException``
with status 0 for TLS failures, and raw urllib3 exceptions for connection problems and read
timeouts. Callers only need to know *what kind* of failure it was (to choose: relist, back off,
reload credentials, report) and a message fit for one line.
"""

from __future__ import annotations

import enum
import json
import socket
from typing import Any


class ErrorKind(enum.Enum):
    GONE = "gone"  # 410 (resourceVersion too old) or 504 "too large resource version" -> relist
    UNAUTHORIZED = "unauthorized"  # 401: reload credentials
    FORBIDDEN = "forbidden"  # 403
    NOT_FOUND = "not_found"  # 404
    CONFLICT = "conflict"  # 409
    INVALID = "invalid"  # 400/415/422: our request is wrong; retrying will not help
    THROTTLED = "throttled"  # 429
    SERVER = "server"  # 5xx
    TIMEOUT = "timeout"  # read timeout: a silent stream or a slow server
    BROKEN = "broken"  # stream cut mid-way / protocol error
    UNREACHABLE = "unreachable"  # could not connect at all (refused, DNS, TLS handshake)
    OTHER = "other"


class KubeError(Exception):
    """An error with a one-line message meant for the operator."""

    def __init__(self, message: str, kind: ErrorKind = ErrorKind.OTHER, status: int = 0) -> None:
        super().__init__(message)
        self.kind = kind
        self.status = status


_STATUS_KINDS = {
    401: ErrorKind.UNAUTHORIZED,
    403: ErrorKind.FORBIDDEN,
    404: ErrorKind.NOT_FOUND,
    409: ErrorKind.CONFLICT,
    410: ErrorKind.GONE,
    429: ErrorKind.THROTTLED,
}


def status_kind(status: int) -> ErrorKind:
    if status in _STATUS_KINDS:
        return _STATUS_KINDS[status]
    if status in (400, 405, 406, 415, 422):
        return ErrorKind.INVALID
    if 500 <= status <= 599:
        return ErrorKind.SERVER
    if status == 0:
        return ErrorKind.UNREACHABLE  # the client reports TLS/handshake failures as status 0
    return ErrorKind.OTHER


def is_too_large_resource_version(status: int, message: str) -> bool:
    """kube-apiserver's 504 for a resourceVersion it never handed out (e.g. after a restore or a
    fresh server): waiting will not fix it; client-go relists, and so do we."""
    return status == 504 and "too large resource version" in message.lower()


def _status_body(exc: Any) -> dict[str, Any]:
    body = getattr(exc, "body", None)
    if isinstance(body, bytes | bytearray):
        body = body.decode("utf-8", "replace")
    if isinstance(body, str) and body.strip().startswith("{"):
        try:
            parsed = json.loads(body)
        except ValueError:
            return {}
        return parsed if isinstance(parsed, dict) else {}
    return {}


def one_line(text: str, limit: int = 300) -> str:
    """Collapse to a single printable line (server text is untrusted: no newlines, no escapes)."""
    cleaned = "".join(ch if ch.isprintable() else " " for ch in str(text))
    cleaned = " ".join(cleaned.split())
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def classify(exc: BaseException) -> KubeError:
    """Map any exception from a request to a ``KubeError`` (kind + one-line message)."""
    if isinstance(exc, KubeError):
        return exc
    status = getattr(exc, "status", None)
    module = type(exc).__module__ or ""
    if isinstance(status, int) and module.startswith("kubernetes"):
        body = _status_body(exc)
        kind = status_kind(status)
        message = body.get("message") or getattr(exc, "reason", None) or f"HTTP {status}"
        reason = body.get("reason")
        if status == 0:
            return KubeError(f"cannot reach the API server: {one_line(message)}", kind, status)
        if is_too_large_resource_version(status, str(message)):
            kind = ErrorKind.GONE
        # the message is what kubectl and the plugin print ('rollouts.argoproj.io "x" not found')
        text = str(message) if body.get("message") else (reason or str(message))
        return KubeError(one_line(text), kind, status)
    name = type(exc).__name__
    if name == "ReadTimeoutError" or isinstance(exc, socket.timeout | TimeoutError):
        return KubeError("the API server stopped answering (read timeout)", ErrorKind.TIMEOUT)
    if name in (
        "ProtocolError",
        "IncompleteRead",
        "InvalidChunkLength",
        "ConnectionResetError",
        "RemoteDisconnected",
        "ChunkedEncodingError",
    ):
        return KubeError(f"connection to the API server broke ({name})", ErrorKind.BROKEN)
    if name == "MaxRetryError":
        inner = getattr(exc, "reason", None)
        inner_name = type(inner).__name__ if inner is not None else ""
        if inner_name == "ReadTimeoutError":
            return KubeError("the API server stopped answering (read timeout)", ErrorKind.TIMEOUT)
        if inner_name in ("ProtocolError", "ResponseError"):
            return KubeError(f"connection to the API server broke ({inner_name})", ErrorKind.BROKEN)
        return KubeError(
            f"cannot reach the API server{_at(exc)}: {one_line(_connection_detail(inner))}",
            ErrorKind.UNREACHABLE,
        )
    if name in ("NewConnectionError", "ConnectTimeoutError", "NameResolutionError", "SSLError") or isinstance(
        exc, ConnectionRefusedError
    ):
        return KubeError(
            f"cannot reach the API server{_at(exc)}: {one_line(_connection_detail(exc))}",
            ErrorKind.UNREACHABLE,
        )
    if isinstance(exc, ConnectionError | OSError):
        return KubeError(f"connection to the API server broke ({name})", ErrorKind.BROKEN)
    return KubeError(one_line(f"{name}: {exc}"), ErrorKind.OTHER)


def _at(exc: object) -> str:
    """ " at https://10.0.0.1:6443": where urllib3 tried to connect (its pool, or the connection of
    a NewConnectionError), so "cannot reach" says which server; "" when it does not say."""
    for source in (getattr(exc, "pool", None), getattr(exc, "conn", None)):
        host, port = getattr(source, "host", None), getattr(source, "port", None)
        if isinstance(host, str) and host:
            scheme = getattr(source, "scheme", None) or (
                "https" if "HTTPS" in type(source).__name__ else "http"
            )
            return " at " + one_line(f"{scheme}://{host}" + (f":{port}" if port else ""), 120)
    return ""


def _connection_detail(exc: object) -> str:
    text = str(exc) if exc is not None else "unknown error"
    # urllib3 messages embed object reprs: keep the human part after the last colon
    if "]" in text:
        text = text.rsplit("]", 1)[-1].strip(" :'\")") or text
    if "Connection refused" in str(exc):
        return "connection refused"
    return text
