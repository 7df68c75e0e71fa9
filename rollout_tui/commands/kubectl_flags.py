"""kubectl's global connection flags (k8s.io/cli-runtime genericclioptions.ConfigFlags), accepted
anywhere on the line like the others, with kubectl's names, help and value syntax.

``apply_kubectl_flags`` turns them into ``kube.overrides.ConnectionOverrides`` for every context
the process loads (CLI and TUI), and sends the ``-v`` request log to stderr, or for the TUI,
which owns the terminal, to ``$XDG_STATE_HOME/rollout-tui/requests.log``.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from rollout_tui.commands import CommandError
from rollout_tui.commands._live import parse_bool

KUBECTL_DEFAULTS: dict[str, object] = {
    "impersonate": "",
    "impersonate_group": [],
    "impersonate_uid": "",
    "token": "",
    "server": "",
    "kube_user": "",
    "kube_cluster": "",
    "certificate_authority": "",
    "client_certificate": "",
    "client_key": "",
    "insecure_skip_tls_verify": False,
    "tls_server_name": "",
    "request_timeout": "0",
    "verbosity": 0,
}


def add_kubectl_flags(flags: argparse.ArgumentParser) -> None:
    add = flags.add_argument
    add("--as", dest="impersonate", metavar="USER", help="username to impersonate for the operation")
    add(
        "--as-group",
        dest="impersonate_group",
        action="append",
        metavar="GROUP",
        help="group to impersonate for the operation; repeat for several groups",
    )
    add("--as-uid", dest="impersonate_uid", metavar="UID", help="UID to impersonate for the operation")
    add("--token", help="bearer token for authentication to the API server")
    add("-s", "--server", help="the address and port of the Kubernetes API server")
    add("--user", dest="kube_user", metavar="NAME", help="the name of the kubeconfig user to use")
    add("--cluster", dest="kube_cluster", metavar="NAME", help="the name of the kubeconfig cluster to use")
    add("--certificate-authority", metavar="PATH", help="path to a cert file for the certificate authority")
    add("--client-certificate", metavar="PATH", help="path to a client certificate file for TLS")
    add("--client-key", metavar="PATH", help="path to a client key file for TLS")
    add(
        "--insecure-skip-tls-verify",
        nargs="?",
        const=True,
        type=parse_bool,
        metavar="BOOL",
        help="don't check the server's certificate (insecure)",
    )
    add("--tls-server-name", metavar="NAME", help="server name to use for server certificate validation")
    add(
        "--request-timeout",
        metavar="DURATION",
        help="how long to wait for a single request before giving up (e.g. 1s, 2m; 0: no limit)",
    )
    add(
        "-v",
        "--v",
        dest="verbosity",
        type=int,
        metavar="LEVEL",
        help="request log on stderr: 6 requests, 7 with headers (credentials masked)",
    )


def _one_value_flags() -> frozenset[str]:
    """The option strings of the flags above that take exactly one value, read off the flags
    themselves so that a flag added there is covered here too."""
    probe = argparse.ArgumentParser(add_help=False)
    add_kubectl_flags(probe)
    return frozenset(
        name for action in probe._actions if action.nargs is None for name in action.option_strings
    )


def join_dash_values(words: list[str]) -> list[str]:
    """``--token -x`` as ``--token=-x``: the one spelling argparse reads as kubectl does. kubectl
    (spf13/pflag, flag.go parseLongArg) takes the word after a one-value flag as its value whatever
    it looks like; argparse would read a token or a user name beginning with "-" as an option."""
    one_value = _one_value_flags()
    joined: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        if word == "--":
            return [*joined, *words[index:]]
        if word in one_value and index + 1 < len(words) and words[index + 1].startswith("-"):
            joined.append(f"{word}={words[index + 1]}")
            index += 2
            continue
        joined.append(word)
        index += 1
    return joined


def overrides_from(args: argparse.Namespace):  # -> ConnectionOverrides
    from rollout_tui.kube.overrides import (
        ConnectionOverrides,
        Impersonation,
        OverrideError,
        parse_request_timeout,
    )

    try:
        timeout = parse_request_timeout(args.request_timeout)
    except OverrideError as exc:
        raise CommandError(str(exc)) from None
    return ConnectionOverrides(
        server=args.server,
        token=args.token,
        user=args.kube_user,
        cluster=args.kube_cluster,
        certificate_authority=args.certificate_authority,
        client_certificate=args.client_certificate,
        client_key=args.client_key,
        insecure_skip_tls_verify=bool(args.insecure_skip_tls_verify),
        tls_server_name=args.tls_server_name,
        impersonate=Impersonation(
            args.impersonate, tuple(args.impersonate_group or ()), args.impersonate_uid
        ),
        request_timeout=timeout or None,
        verbosity=args.verbosity,
    )


def apply_kubectl_flags(args: argparse.Namespace, ui: bool) -> None:
    _log_requests(ui if args.verbosity >= 6 else None)
    unset = all(getattr(args, name) == default for name, default in KUBECTL_DEFAULTS.items())
    if unset and "rollout_tui.kube.config" not in sys.modules:
        return  # nothing to apply, and no need to import the kube layer for it
    from rollout_tui.kube.config import set_process_overrides
    from rollout_tui.kube.overrides import ConnectionOverrides

    set_process_overrides(ConnectionOverrides() if unset else overrides_from(args))


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is when a line is logged."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr
        super().emit(record)


def _log_requests(ui: bool | None) -> None:
    """``ui`` None: no request log; False: on stderr; True: to a file (the UI owns the terminal)."""
    logger = logging.getLogger("rollout_tui.requests")
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    logger.setLevel(logging.INFO)
    logger.propagate = False
    if ui is None:
        return
    if not ui:
        logger.addHandler(_StderrHandler())
        return
    state = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "rollout-tui"
    state.mkdir(parents=True, exist_ok=True)
    path = state / "requests.log"
    logger.addHandler(logging.FileHandler(path, encoding="utf-8"))
    print(f"request log (-v): {path}", file=sys.stderr)
