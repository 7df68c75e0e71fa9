"""kubectl's connection flags (``--server``, ``--token``, ``--as`` ...) applied to a kubeconfig
context, with kubectl's precedence: a flag beats the kubeconfig (k8s.io/client-go/tools/clientcmd
client_config.go), and the kubeconfig file itself comes from --kubeconfig, then $KUBECONFIG.

``effective_entries`` rewrites one context's cluster and user entries the way clientcmd merges
ConfigOverrides: ``--certificate-authority`` or ``--insecure-skip-tls-verify`` replace the
kubeconfig's CA settings, ``--server`` or ``--tls-server-name`` replace its tls-server-name,
``--token`` and client certificates replace the user's credentials. Relative paths are made
absolute against the file that named them, as kubectl resolves them.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any

from rollout_tui.kube.errors import ErrorKind, KubeError

TIMEOUT_ERROR = (
    "Invalid timeout value. Timeout must be a single integer in seconds, or an integer followed by a "
    "corresponding time unit (e.g. 1s | 2m | 3h)"
)
_TIMEOUT = re.compile(r"^(?:[0-9]+(?:\.[0-9]+)?(?:ns|us|µs|ms|s|m|h))+$")


class OverrideError(KubeError):
    def __init__(self, message: str) -> None:
        super().__init__(message, ErrorKind.INVALID)


@dataclass(frozen=True)
class Impersonation:
    user: str = ""
    groups: tuple[str, ...] = ()
    uid: str = ""

    def headers(self) -> list[tuple[str, str]]:
        """The request headers, one line per group (client-go transport/round_trippers.go)."""
        lines = [("Impersonate-User", self.user)] if self.user else []
        lines += [("Impersonate-Group", group) for group in self.groups]
        return lines + ([("Impersonate-Uid", self.uid)] if self.uid else [])


@dataclass(frozen=True)
class ConnectionOverrides:
    server: str = ""
    token: str = ""
    user: str = ""
    cluster: str = ""
    certificate_authority: str = ""
    client_certificate: str = ""
    client_key: str = ""
    insecure_skip_tls_verify: bool = False
    tls_server_name: str = ""
    impersonate: Impersonation = field(default_factory=Impersonation)
    request_timeout: float | None = None  # seconds; None or 0: no limit beyond our own defaults
    verbosity: int = 0

    @property
    def any(self) -> bool:
        return self != ConnectionOverrides()


def parse_request_timeout(text: str) -> float:
    """kubectl's --request-timeout: "0" (none), seconds as an integer, or a Go duration."""
    from rollout_tui.model.durations import parse_duration

    value = str(text).strip()
    if re.fullmatch(r"[0-9]+", value):
        return float(value)
    parsed = parse_duration(value) if _TIMEOUT.match(value) else None
    if parsed is None:
        raise OverrideError(TIMEOUT_ERROR)
    return parsed.total_seconds()


def _absolute(path: str, source: str) -> str:
    if not path or os.path.isabs(path):
        return path
    return os.path.join(os.path.dirname(os.path.abspath(os.path.expanduser(source))), path)


def effective_entries(
    cluster: dict[str, Any],
    cluster_source: str,
    user: dict[str, Any],
    user_source: str,
    flags: ConnectionOverrides,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(cluster, user) kubeconfig entries after the flags; paths absolute. Inputs are not changed."""
    cluster, user = dict(cluster), dict(user)
    if cluster.get("certificate-authority"):
        cluster["certificate-authority"] = _absolute(str(cluster["certificate-authority"]), cluster_source)
    for key in ("client-certificate", "client-key", "tokenFile"):
        if user.get(key):
            user[key] = _absolute(str(user[key]), user_source)
    exec_config = user.get("exec")
    if isinstance(exec_config, dict) and "/" in str(exec_config.get("command", "")):
        user["exec"] = dict(exec_config, command=_absolute(str(exec_config["command"]), user_source))
    if flags.server:
        cluster["server"] = flags.server
    if flags.insecure_skip_tls_verify or flags.certificate_authority:
        for key in ("certificate-authority", "certificate-authority-data", "insecure-skip-tls-verify"):
            cluster.pop(key, None)
        if flags.certificate_authority:
            cluster["certificate-authority"] = os.path.abspath(
                os.path.expanduser(flags.certificate_authority)
            )
        cluster["insecure-skip-tls-verify"] = flags.insecure_skip_tls_verify
    if flags.tls_server_name or flags.server:
        cluster.pop("tls-server-name", None)
        if flags.tls_server_name:
            cluster["tls-server-name"] = flags.tls_server_name
    if flags.token:
        for key in ("token", "tokenFile", "exec", "auth-provider", "username", "password"):
            user.pop(key, None)
        user["token"] = flags.token
    for flag, key in ((flags.client_certificate, "client-certificate"), (flags.client_key, "client-key")):
        if flag:
            user.pop(f"{key}-data", None)
            user[key] = os.path.abspath(os.path.expanduser(flag))
    return cluster, user


def impersonation_for(
    user_entry: dict[str, Any], user_name: str, flags: ConnectionOverrides
) -> Impersonation:
    """The kubeconfig user's ``as``/``as-groups``/``as-uid``, each replaced by its flag when given."""
    groups = user_entry.get("as-groups")
    merged = Impersonation(
        flags.impersonate.user or str(user_entry.get("as") or ""),
        flags.impersonate.groups or tuple(str(g) for g in (groups if isinstance(groups, list) else [])),
        flags.impersonate.uid or str(user_entry.get("as-uid") or ""),
    )
    if not merged.user and (merged.groups or merged.uid):
        raise OverrideError(
            f"requesting uid, groups or user-extra for {user_name} without impersonating a user"
        )
    return merged
