"""kubeconfig and contexts -> one ``ApiClient`` per context.

Sources, in kubectl's order: ``--kubeconfig`` (may itself be a ':'-joined list), ``$KUBECONFIG``
(several files joined by ':', merged first-wins by the client), ``~/.kube/config``; in-cluster
service-account config when none of those exist and we run in a pod; with none of them but
``--server``, the flags alone. Each context gets its own ``ApiClient``, built from that one context
with kubectl's connection flags merged in (``overrides``), never through ``load_kube_config``
(which would mutate the global default configuration every other client shares). Every request
of the client then carries the impersonation headers, timeout and request log (``instrument``).

Exec credential plugins (gke-gcloud-auth-plugin, ``aws eks get-token``, kubelogin) run with the
terminal's stdin/stderr when stdout is a TTY, so they may prompt. ``prepare()`` loads every context
and so runs each plugin once *before* the UI takes the screen (a login prompt is then usable).
Afterwards the client's refresh hook is replaced by ``QuietExecRefresher``, which runs the plugin
with stdin from /dev/null, stderr captured and ``interactive: false``: a later refresh (token
expiry, or a 401 from a reflector) can never draw over the UI.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from rollout_tui.kube.errors import ErrorKind, KubeError, one_line
from rollout_tui.kube.execauth import QuietExecRefresher, Refresher, TokenFileRefresher, first_expiry
from rollout_tui.kube.instrument import instrument
from rollout_tui.kube.overrides import (
    ConnectionOverrides,
    Impersonation,
    effective_entries,
    impersonation_for,
)
from rollout_tui.kube.readonly import make_read_only

IN_CLUSTER_NAME = "in-cluster"
_SA_DIR = Path("/var/run/secrets/kubernetes.io/serviceaccount")


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
    refresher: Refresher | None = None
    impersonation: Impersonation = field(default_factory=Impersonation)  # sent with every request
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


_process_overrides = ConnectionOverrides()


def set_process_overrides(overrides: ConnectionOverrides) -> None:
    """The command line's connection flags, applied to every context this process loads."""
    global _process_overrides
    _process_overrides = overrides


def process_overrides() -> ConnectionOverrides:
    return _process_overrides


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


# libyaml's safe loader when PyYAML has it (the same documents as yaml.SafeLoader): the pure-Python
# loader was about half of load_contexts' CPU for a kubeconfig of 20 contexts (18 ms -> 9 ms)
_SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_kubeconfig_docs(path: str) -> list[tuple[str, dict[str, Any]]]:
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
            doc = yaml.load(text, Loader=_SAFE_LOADER) or {}
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


def _any_file(path: str) -> bool:
    return any(part and Path(os.path.expanduser(part)).exists() for part in path.split(os.pathsep))


def _named(docs: list[tuple[str, dict[str, Any]]], section: str) -> dict[str, tuple[str, dict[str, Any]]]:
    """First-wins merge of a named list section (contexts, users, clusters) across files."""
    merged: dict[str, tuple[str, dict[str, Any]]] = {}
    for path, doc in docs:
        for entry in doc.get(section) or []:
            if isinstance(entry, dict) and isinstance(entry.get("name"), str) and entry["name"] not in merged:
                body = entry.get(section[:-1]) or {}
                merged[entry["name"]] = (path, body if isinstance(body, dict) else {})
    return merged


def kubeconfig_names(kubeconfig: str | None, section: str) -> list[str]:
    """The names of one section ("contexts", "clusters", "users") of the kubeconfig files, merged
    as kubectl merges them; [] when there is no readable kubeconfig. Reads files only."""
    path = kubeconfig_path(kubeconfig)
    if path is None:
        return []
    try:
        return list(_named(_read_kubeconfig_docs(path), section))
    except KubeConfigError:
        return []


def _current_context(docs: list[tuple[str, dict[str, Any]]]) -> str | None:
    for _, doc in docs:
        if doc.get("current-context"):
            return str(doc["current-context"])
    return None


def load_contexts(
    kubeconfig: str | None = None,
    contexts: list[str] | tuple[str, ...] = (),
    all_contexts: bool = False,
    read_only: bool = False,
    overrides: ConnectionOverrides | None = None,
) -> list[ClusterContext]:
    """Load the chosen contexts. Raises ``KubeConfigError`` with one line on any problem.

    ``overrides``: kubectl's connection flags (default: the process's, see set_process_overrides).
    """
    flags = overrides if overrides is not None else _process_overrides
    path = kubeconfig_path(kubeconfig)
    if path is None:
        if flags.server and not contexts and not all_contexts:
            return [_flags_only(flags, read_only)]
        if _in_cluster_available() and not contexts and not all_contexts:
            return [_in_cluster(read_only, flags)]
        raise KubeConfigError(
            "no kubeconfig: ~/.kube/config does not exist; set KUBECONFIG or pass --kubeconfig"
        )
    try:
        docs = _read_kubeconfig_docs(path)
    except KubeConfigError:
        if flags.server and not contexts and not all_contexts and not _any_file(path):
            return [_flags_only(flags, read_only)]  # kubectl too ignores missing KUBECONFIG files then
        raise
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
    entries = (_named(docs, "users"), _named(docs, "clusters"))
    return [_load_one(path, name, known[name][1], entries, read_only, flags) for name in names]


def _load_one(
    path: str,
    name: str,
    ctx_body: dict[str, Any],
    entries: tuple[dict[str, tuple[str, dict[str, Any]]], dict[str, tuple[str, dict[str, Any]]]],
    read_only: bool,
    flags: ConnectionOverrides,
) -> ClusterContext:
    users, clusters = entries
    user_name = flags.user or str(ctx_body.get("user") or "")
    cluster_name = flags.cluster or str(ctx_body.get("cluster") or "")
    if flags.user and flags.user not in users:  # kubectl's wording (clientcmd validation)
        raise KubeConfigError(f'auth info "{flags.user}" does not exist')
    if flags.cluster and flags.cluster not in clusters:
        raise KubeConfigError(f'no server found for cluster "{flags.cluster}"')
    user_path, user_body = users.get(user_name, (path, {}))
    cluster_path, cluster_body = clusters.get(cluster_name, (path, {}))
    cluster, user = effective_entries(cluster_body, cluster_path, user_body, user_path, flags)
    if cluster_name not in clusters and not flags.server:
        cluster = {}  # let the client report the context's missing cluster
    context = dict(ctx_body, cluster=cluster_name or "cluster", user=user_name or "user")
    client = _client(name, cluster, user, context)
    refresher: Refresher | None = None
    if isinstance(user.get("exec"), dict):
        base_dir = os.path.dirname(os.path.abspath(os.path.expanduser(user_path)))
        quiet = QuietExecRefresher(user["exec"], base_dir)
        quiet.expiry = first_expiry(client.configuration.refresh_api_key_hook)
        # the first credentials were fetched above (terminal attached); refreshes from now on are quiet
        refresher = quiet
    elif user.get("tokenFile") and not user.get("token"):
        refresher = TokenFileRefresher(str(user["tokenFile"]))
        refresher.refresh(client.configuration)  # as client-go reads it: without the newline
    if refresher is not None:
        client.configuration.refresh_api_key_hook = refresher.hook
    return _context(
        name,
        client,
        ctx_body,
        user_name,
        path,
        read_only,
        refresher,
        impersonation_for(user, user_name, flags),
        flags,
    )


def _client(name: str, cluster: dict[str, Any], user: dict[str, Any], context: dict[str, Any]) -> Any:
    """An ApiClient for one synthesized context: the flags already merged into its entries."""
    from kubernetes import config as kconfig

    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": context["cluster"], "cluster": cluster}],
        "users": [{"name": context["user"], "user": user}],
        "contexts": [{"name": name, "context": context}],
        "current-context": name,
    }
    try:
        client = kconfig.new_client_from_config_dict(  # type: ignore[no-untyped-call]
            config, context=name, persist_config=False
        )
    except Exception as exc:  # ConfigException, malformed fields, unreadable certs...
        raise KubeConfigError(f"kubeconfig context {name!r}: {one_line(str(exc))}") from None
    client.user_agent = "rollout-tui"
    if not client.configuration.verify_ssl:
        # asked for in the kubeconfig or with --insecure-skip-tls-verify: kubectl does not nag either
        import urllib3

        urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
    return client


def _context(
    name: str,
    client: Any,
    ctx_body: dict[str, Any],
    user_name: str,
    source: str,
    read_only: bool,
    refresher: Refresher | None,
    impersonation: Impersonation,
    flags: ConnectionOverrides,
) -> ClusterContext:
    instrument(client, impersonation, flags.request_timeout, flags.verbosity)
    if read_only:
        make_read_only(client)
    return ClusterContext(
        name=name,
        api_client=client,
        namespace=str(ctx_body.get("namespace") or "default"),
        user=user_name,
        server=str(client.configuration.host or ""),
        source=source,
        read_only=read_only,
        refresher=refresher,
        impersonation=impersonation,
    )


def _flags_only(flags: ConnectionOverrides, read_only: bool) -> ClusterContext:
    """No kubeconfig at all, but --server (and perhaps --token): kubectl connects with the flags."""
    cluster, user = effective_entries({}, "", {}, "", flags)
    context = {"cluster": "cluster", "user": "user"}
    client = _client(flags.server, cluster, user, context)
    impersonation = impersonation_for(user, "", flags)
    return _context(flags.server, client, {}, "", "flags", read_only, None, impersonation, flags)


def _in_cluster(read_only: bool, flags: ConnectionOverrides) -> ClusterContext:
    from kubernetes import client as kclient
    from kubernetes import config as kconfig

    configuration = kclient.Configuration()
    try:
        kconfig.load_incluster_config(client_configuration=configuration)  # type: ignore[no-untyped-call]
    except Exception as exc:
        raise KubeConfigError(f"in-cluster config: {one_line(str(exc))}") from None
    api_client = kclient.ApiClient(configuration=configuration)
    api_client.user_agent = "rollout-tui"
    try:
        namespace = (_SA_DIR / "namespace").read_text(encoding="utf-8").strip() or "default"
    except OSError:
        namespace = "default"
    instrument(
        api_client, impersonation_for({}, "serviceaccount", flags), flags.request_timeout, flags.verbosity
    )
    if read_only:
        make_read_only(api_client)
    refresher = TokenFileRefresher(str(_SA_DIR / "token"))  # the kubelet rotates it
    configuration.refresh_api_key_hook = refresher.hook  # type: ignore[assignment]  # the client types it None
    return ClusterContext(
        name=IN_CLUSTER_NAME,
        api_client=api_client,
        namespace=namespace,
        user="serviceaccount",
        server=str(configuration.host or ""),
        source=IN_CLUSTER_NAME,
        read_only=read_only,
        refresher=refresher,
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
