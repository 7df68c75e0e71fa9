"""kubeconfig and contexts -> one ``ApiClient`` per context.

Sources, in kubectl's order: ``--kubeconfig`` (may itself be a ':'-joined list), ``$KUBECONFIG``
(several files joined by ':', merged first-wins by the client), ``~/.kube/config``; in-cluster
service-account config when none of those exist and we run in a pod. Each context gets its own
``ApiClient`` from ``new_client_from_config`` (``load_kube_config`` would mutate the global default
configuration that every other client shares).

Exec credential plugins (gke-gcloud-auth-plugin, ``aws eks get-token``, kubelogin) run with the
terminal's stdin/stderr when stdout is a TTY, so they may prompt. ``prepare()`` loads every context
and so runs each plugin once *before* the UI takes the screen (a login prompt is then usable).
Afterwards the client's refresh hook is replaced by ``QuietExecRefresher``, which runs the plugin
with stdin from /dev/null, stderr captured and ``interactive: false``: a later refresh (token
expiry, or a 401 from a reflector) can never draw over the UI.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from rollout_tui.kube.errors import ErrorKind, KubeError, one_line
from rollout_tui.kube.readonly import make_read_only

IN_CLUSTER_NAME = "in-cluster"
_SA_DIR = Path("/var/run/secrets/kubernetes.io/serviceaccount")
_EXPIRY_SKEW = timedelta(seconds=30)


class KubeConfigError(KubeError):
    def __init__(self, message: str) -> None:
        super().__init__(message, ErrorKind.INVALID)


@dataclass(eq=False)
class ClusterContext:
    """One cluster as the kubeconfig names it, with its own API client."""

    name: str
    api_client: Any
    namespace: str = "default"
    user: str = ""
    server: str = ""
    source: str = ""
    read_only: bool = False
    refresher: QuietExecRefresher | None = None
    _reload_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def reload_credentials(self) -> None:
        """After a 401: fetch fresh credentials without touching the terminal."""
        with self._reload_lock:
            config = self.api_client.configuration
            if self.refresher is not None:
                self.refresher.refresh(config)
                return
            hook = getattr(config, "refresh_api_key_hook", None)
            if hook is not None:  # token files, in-cluster tokens: the client's hook re-reads
                hook(config)


class QuietExecRefresher:
    """Runs a kubeconfig ``exec`` credential plugin detached from the terminal."""

    def __init__(self, exec_config: dict, base_dir: str, timeout: float = 60.0) -> None:
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


def _first_expiry(hook: Any) -> datetime | None:
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


def kubeconfig_path(explicit: str | None) -> str | None:
    """The ':'-joined kubeconfig list to use, or None when there is none on this machine."""
    if explicit:
        return explicit
    env = os.environ.get("KUBECONFIG")
    if env:
        return env
    default = Path(os.path.expanduser("~/.kube/config"))
    return str(default) if default.exists() else None


def _in_cluster_available() -> bool:
    return bool(os.environ.get("KUBERNETES_SERVICE_HOST")) and (_SA_DIR / "token").exists()


def _read_kubeconfig_docs(path: str) -> list[tuple[str, dict]]:
    docs = []
    for part in path.split(os.pathsep):
        if not part:
            continue
        try:
            text = Path(os.path.expanduser(part)).read_text(encoding="utf-8")
        except FileNotFoundError:
            continue  # kubectl ignores missing files in KUBECONFIG
        except OSError as exc:
            raise KubeConfigError(f"cannot read kubeconfig {part}: {exc.strerror or exc}") from None
        try:
            doc = yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" line {mark.line + 1}" if mark is not None else ""
            raise KubeConfigError(f"kubeconfig {part}{where} is not valid YAML") from None
        if not isinstance(doc, dict):
            raise KubeConfigError(f"kubeconfig {part} is not a kubeconfig (not a mapping)")
        docs.append((part, doc))
    if not docs:
        raise KubeConfigError(f"kubeconfig not found: {path}")
    return docs


def _named(docs: list[tuple[str, dict]], section: str) -> dict[str, tuple[str, dict]]:
    """First-wins merge of a named list section (contexts, users, clusters) across files."""
    merged: dict[str, tuple[str, dict]] = {}
    for path, doc in docs:
        for entry in doc.get(section) or []:
            if isinstance(entry, dict) and isinstance(entry.get("name"), str) and entry["name"] not in merged:
                body = entry.get(section[:-1]) or {}
                merged[entry["name"]] = (path, body if isinstance(body, dict) else {})
    return merged


def _current_context(docs: list[tuple[str, dict]]) -> str | None:
    for _, doc in docs:
        if doc.get("current-context"):
            return str(doc["current-context"])
    return None


def load_contexts(
    kubeconfig: str | None = None,
    contexts: list[str] | tuple[str, ...] = (),
    all_contexts: bool = False,
    read_only: bool = False,
) -> list[ClusterContext]:
    """Load the chosen contexts. Raises ``KubeConfigError`` with one line on any problem."""
    path = kubeconfig_path(kubeconfig)
    if path is None:
        if _in_cluster_available() and not contexts and not all_contexts:
            return [_in_cluster(read_only)]
        raise KubeConfigError(
            "no kubeconfig: ~/.kube/config does not exist; set KUBECONFIG or pass --kubeconfig"
        )
    docs = _read_kubeconfig_docs(path)
    known = _named(docs, "contexts")
    if all_contexts:
        names = list(known)
        if not names:
            raise KubeConfigError(f"kubeconfig {path} defines no contexts")
    elif contexts:
        names = list(dict.fromkeys(contexts))
        unknown = [n for n in names if n not in known]
        if unknown:
            raise KubeConfigError(
                f"context {unknown[0]!r} not found in kubeconfig (available: {', '.join(known) or 'none'})"
            )
    else:
        current = _current_context(docs)
        if not current:
            raise KubeConfigError(f"kubeconfig {path} has no current-context; pass --context")
        if current not in known:
            raise KubeConfigError(f"current-context {current!r} not found in kubeconfig {path}")
        names = [current]
    users = _named(docs, "users")
    return [_load_one(path, name, known[name][1], users, read_only) for name in names]


def _load_one(
    path: str, name: str, ctx_body: dict, users: dict[str, tuple[str, dict]], read_only: bool
) -> ClusterContext:
    from kubernetes import config as kconfig

    try:
        client = kconfig.new_client_from_config(config_file=path, context=name, persist_config=False)
    except Exception as exc:  # ConfigException, malformed fields, unreadable certs...
        raise KubeConfigError(f"kubeconfig context {name!r}: {one_line(str(exc))}") from None
    client.user_agent = "rollout-tui"
    user_name = str(ctx_body.get("user") or "")
    refresher = None
    user_path, user_body = users.get(user_name, (path, {}))
    if isinstance(user_body.get("exec"), dict):
        base_dir = os.path.dirname(os.path.abspath(os.path.expanduser(user_path)))
        refresher = QuietExecRefresher(user_body["exec"], base_dir)
        refresher.expiry = _first_expiry(client.configuration.refresh_api_key_hook)
        # the first credentials were fetched above (terminal attached); refreshes from now on are quiet
        client.configuration.refresh_api_key_hook = refresher.hook
    if read_only:
        make_read_only(client)
    return ClusterContext(
        name=name,
        api_client=client,
        namespace=str(ctx_body.get("namespace") or "default"),
        user=user_name,
        server=str(client.configuration.host or ""),
        source=path,
        read_only=read_only,
        refresher=refresher,
    )


def _in_cluster(read_only: bool) -> ClusterContext:
    from kubernetes import client as kclient
    from kubernetes import config as kconfig

    configuration = kclient.Configuration()
    try:
        kconfig.load_incluster_config(client_configuration=configuration)
    except Exception as exc:
        raise KubeConfigError(f"in-cluster config: {one_line(str(exc))}") from None
    api_client = kclient.ApiClient(configuration=configuration)
    api_client.user_agent = "rollout-tui"
    try:
        namespace = (_SA_DIR / "namespace").read_text(encoding="utf-8").strip() or "default"
    except OSError:
        namespace = "default"
    if read_only:
        make_read_only(api_client)
    return ClusterContext(
        name=IN_CLUSTER_NAME,
        api_client=api_client,
        namespace=namespace,
        user="serviceaccount",
        server=str(configuration.host or ""),
        source=IN_CLUSTER_NAME,
        read_only=read_only,
    )


def prepare(
    kubeconfig: str | None = None,
    contexts: list[str] | tuple[str, ...] = (),
    all_contexts: bool = False,
    read_only: bool = False,
) -> list[ClusterContext]:
    """Call before the UI takes the screen: loads every context and obtains first credentials.

    Loading a context with an exec user runs the plugin (prompts may appear now, on a normal
    terminal); later refreshes are quiet (see module docstring).
    """
    return load_contexts(kubeconfig, contexts, all_contexts, read_only)
