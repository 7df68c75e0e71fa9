"""Credentials that change while the UI runs. Exec credential plugins (gke-gcloud-auth-plugin,
``aws eks get-token``, kubelogin) after the first login: refreshed detached from the terminal, so a
token expiry can never draw over the UI. Token files (bound service-account tokens): read again
as they rotate."""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from rollout_tui.kube.errors import ErrorKind, KubeError, one_line

_EXPIRY_SKEW = timedelta(seconds=30)


class Refresher(Protocol):
    def hook(self, configuration: Any) -> None: ...
    def refresh(self, configuration: Any) -> None: ...


class QuietExecRefresher:
    """Runs a kubeconfig ``exec`` credential plugin detached from the terminal."""

    def __init__(self, exec_config: dict[str, Any], base_dir: str, timeout: float = 60.0) -> None:
        self.command = [str(exec_config.get("command", ""))] + [str(a) for a in exec_config.get("args") or []]
        self.api_version = str(exec_config.get("apiVersion", ""))
        self.env = dict(os.environ)
        for item in exec_config.get("env") or []:
            if isinstance(item, dict) and "name" in item:
                self.env[str(item["name"])] = str(item.get("value", ""))
        self.base_dir = base_dir or None
        self.timeout = timeout
        self.expiry: datetime | None = None
        self._lock = threading.Lock()

    def expired(self) -> bool:
        return self.expiry is not None and datetime.now(UTC) + _EXPIRY_SKEW >= self.expiry

    def hook(self, configuration: Any) -> None:
        """Installed as ``configuration.refresh_api_key_hook`` (called before each request)."""
        if self.expired():
            self.refresh(configuration)

    def refresh(self, configuration: Any) -> None:
        with self._lock:
            info = {"apiVersion": self.api_version, "kind": "ExecCredential", "spec": {"interactive": False}}
            env = dict(self.env, KUBERNETES_EXEC_INFO=json.dumps(info))
            try:
                proc = subprocess.run(
                    self.command,
                    stdin=subprocess.DEVNULL,
                    capture_output=True,
                    cwd=self.base_dir,
                    env=env,
                    timeout=self.timeout,
                    text=True,
                    check=False,
                )
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise KubeError(
                    f"credential plugin {self.command[0]!r} failed: {one_line(str(exc))}",
                    ErrorKind.UNAUTHORIZED,
                ) from None
            if proc.returncode != 0:
                raise KubeError(
                    f"credential plugin {self.command[0]!r} exited {proc.returncode}: "
                    f"{one_line(proc.stderr or '')}",
                    ErrorKind.UNAUTHORIZED,
                )
            try:
                status = json.loads(proc.stdout)["status"]
                token = status["token"]
            except (ValueError, KeyError, TypeError):
                raise KubeError(
                    f"credential plugin {self.command[0]!r} gave no token", ErrorKind.UNAUTHORIZED
                ) from None
            configuration.api_key["BearerToken"] = f"Bearer {token}"
            expiry = status.get("expirationTimestamp")
            self.expiry = _parse_time(expiry) if isinstance(expiry, str) else None


def first_expiry(hook: Any) -> datetime | None:
    """When the first exec credential expires. The client keeps it only on its kubeconfig loader,
    which its refresh hook closes over; read it from there, or fall back to refreshing on 401."""
    for cell in getattr(hook, "__closure__", None) or ():
        try:
            expiry = getattr(cell.cell_contents, "expiry", None)
        except ValueError:  # an empty cell
            continue
        if isinstance(expiry, datetime):
            return expiry if expiry.tzinfo else expiry.replace(tzinfo=UTC)
    return None


def _parse_time(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


class TokenFileRefresher:
    """A ``tokenFile`` user (a projected, bound service-account token): the kubelet rotates the
    file, so it is read again every ``period`` seconds before a request and at once after a 401,
    as client-go's cached file token source does (client-go/transport/token_source.go)."""

    def __init__(self, path: str, period: float = 60.0) -> None:
        self.path = path
        self.period = period
        self._read_at = time.monotonic()  # the client read it when the context was loaded
        self._lock = threading.Lock()

    def hook(self, configuration: Any) -> None:
        """Installed as ``configuration.refresh_api_key_hook`` (called before each request)."""
        if time.monotonic() - self._read_at >= self.period:
            self.refresh(configuration)

    def refresh(self, configuration: Any) -> None:
        with self._lock:
            try:
                with open(self.path, encoding="utf-8") as fh:
                    token = fh.read().strip()
            except OSError as exc:
                raise KubeError(
                    f"cannot read token file {self.path}: {exc.strerror or exc}", ErrorKind.UNAUTHORIZED
                ) from None
            self._read_at = time.monotonic()
            if token:
                configuration.api_key["BearerToken"] = f"Bearer {token}"
