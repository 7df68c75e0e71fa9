"""``__complete WORD... CURRENT``: shell completion candidates, in cobra's protocol (one candidate
per line, ``candidate<TAB>description`` allowed, then ``:<directive>``), which the scripts of
``completion`` and kubectl's plugin completion (``kubectl_complete-rollout_tui``) call.

Subcommands, aliases and flags come from the argparse tree itself. Flag values: kubeconfig
contexts, clusters and users from the kubeconfig files (no network); namespaces, rollouts,
experiments and analysis templates from the cluster, with short timeouts and an alarm so a slow or
unreachable cluster costs the shell at most ``DEADLINE`` seconds and never hangs it.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Callable
from typing import Any

from rollout_tui.commands.aliases import subcommands

NO_FILE_COMP = 4  # cobra ShellCompDirectiveNoFileComp
DEFAULT = 0  # cobra ShellCompDirectiveDefault: the shell may complete file names
DEADLINE = 2.5
LOOKUP_TIMEOUT = (1.0, 1.5)
FILE_FLAGS = frozenset(
    {
        "kubeconfig",
        "filename",
        "create_files",
        "from_file",
        "certificate_authority",
        "client_certificate",
        "client_key",
        "config",
    }
)
NAME_METAVARS = {"ROLLOUT_NAME": "rollouts", "ROLLOUT": "rollouts", "EXPERIMENT_NAME": "experiments"}


def _takes_value(action: argparse.Action) -> bool:
    return action.nargs != 0 and action.nargs != "?"


class Line:
    """What the words typed so far say: the command reached, its flags, its positionals."""

    def __init__(self, root: argparse.ArgumentParser, words: list[str]) -> None:
        self.parser = root
        self.path: list[str] = []
        self.values: dict[str, Any] = {}
        self.positionals = 0
        self.pending: argparse.Action | None = None
        for word in words:
            self._feed(word)

    def _feed(self, word: str) -> None:
        if self.pending is not None:
            self.values[self.pending.dest], self.pending = word, None
            return
        if word.startswith("-") and word != "-":
            name, sep, value = word.partition("=")
            action = self.parser._option_string_actions.get(name)
            if action is not None and _takes_value(action):
                if sep:
                    self.values[action.dest] = value
                else:
                    self.pending = action
            return
        choices = subcommands(self.parser)
        if choices is not None and word in choices.choices:
            self.parser, self.positionals = choices.choices[word], 0
            self.path.append(word)
            return
        self.positionals += 1

    def positional(self) -> argparse.Action | None:
        actions = [
            a
            for a in self.parser._actions
            if not a.option_strings and not isinstance(a, argparse._SubParsersAction)
        ]
        return actions[self.positionals] if self.positionals < len(actions) else None


def complete(root: argparse.ArgumentParser, words: list[str]) -> tuple[list[str], int]:
    """(candidates, directive) for the last of ``words`` (the word being typed, maybe "")."""
    current = words[-1] if words else ""
    if current == '""':  # PowerShell before 7.3 can only pass an empty argument this way
        current = ""
    line = Line(root, words[:-1])
    if line.pending is not None:
        return _values(line.pending, line, current, "")
    if current.startswith("--") and "=" in current:
        name, _, value = current.partition("=")
        action = line.parser._option_string_actions.get(name)
        return _values(action, line, value, name + "=") if action is not None else ([], NO_FILE_COMP)
    if current.startswith("-"):
        return _flags(line.parser, current), NO_FILE_COMP
    choices = subcommands(line.parser)
    if choices is not None:
        return _commands(choices, current), NO_FILE_COMP
    return _positional(line, current)


def _flags(parser: argparse.ArgumentParser, current: str) -> list[str]:
    seen: list[str] = []
    for action in parser._actions:
        for option in action.option_strings:
            if (
                option.startswith(current)
                and option not in seen
                and (option.startswith("--") or current == "-")
            ):
                help_text = (action.help or "").split("\n")[0] if action.help != argparse.SUPPRESS else ""
                seen.append(f"{option}\t{help_text}" if help_text else option)
    return seen


def _commands(choices: argparse._SubParsersAction, current: str) -> list[str]:
    helps = {a.dest: a.help or "" for a in choices._choices_actions}
    out = []
    for name, parser in choices.choices.items():
        if name.startswith(current) and not name.startswith("__"):
            canonical = next((n for n, p in choices.choices.items() if p is parser), name)
            text = helps.get(canonical, "")
            out.append(f"{name}\t{text}" if text else name)
    return out


def _positional(line: Line, current: str) -> tuple[list[str], int]:
    action = line.positional()
    if action is None:
        return [], NO_FILE_COMP
    if action.choices:
        return [str(c) for c in action.choices if str(c).startswith(current)], NO_FILE_COMP
    kind = NAME_METAVARS.get(str(action.metavar or ""))
    if kind is None:
        return [], NO_FILE_COMP
    if line.path[:1] == ["retry"] and line.path[1:2] and line.path[1] in ("experiment", "exp", "experiments"):
        kind = "experiments"
    return _live_names(line, kind, current), NO_FILE_COMP


def _values(action: argparse.Action, line: Line, current: str, prefix: str) -> tuple[list[str], int]:
    if action.dest in FILE_FLAGS:
        return [], DEFAULT
    lookups: dict[str, Callable[[], list[str]]] = {
        "context": lambda: _kubeconfig_names(line, "contexts"),
        "kube_cluster": lambda: _kubeconfig_names(line, "clusters"),
        "kube_user": lambda: _kubeconfig_names(line, "users"),
        "namespace": lambda: _live_names(line, "namespaces", current),
        "from_template": lambda: _live_names(
            line,
            "clusteranalysistemplates" if line.values.get("global_template") else "analysistemplates",
            current,
        ),
    }
    if action.choices:
        names = [str(c) for c in action.choices]
    elif action.dest in lookups:
        names = lookups[action.dest]()
    else:
        names = []
    return [prefix + n for n in names if n.startswith(current)], NO_FILE_COMP


def _kubeconfig_names(line: Line, section: str) -> list[str]:
    from rollout_tui.kube.config import kubeconfig_names

    return kubeconfig_names(line.values.get("kubeconfig"), section)


def _live_names(line: Line, plural: str, current: str) -> list[str]:
    """Names from the cluster the line would talk to; nothing at all on any trouble."""
    import json
    from dataclasses import replace

    from rollout_tui.commands.kubectl_flags import KUBECTL_DEFAULTS, overrides_from
    from rollout_tui.kube.config import set_process_overrides
    from rollout_tui.kube.live import connect, namespace_for
    from rollout_tui.kube.transport import get

    args = argparse.Namespace(**{**KUBECTL_DEFAULTS, **_kubectl_values(line)})
    try:
        set_process_overrides(replace(overrides_from(args), request_timeout=LOOKUP_TIMEOUT[1]))
        contexts = [line.values["context"]] if line.values.get("context") else []
        context = connect(line.values.get("kubeconfig"), contexts, read_only=True)
        namespace = namespace_for(context, line.values.get("namespace"))
        group = "/api/v1" if plural == "namespaces" else "/apis/argoproj.io/v1alpha1"
        scoped = "" if plural in ("namespaces", "clusteranalysistemplates") else f"/namespaces/{namespace}"
        response = get(
            context.api_client, f"{group}{scoped}/{plural}", {"limit": 500}, request_timeout=LOOKUP_TIMEOUT
        )
        items = json.loads(response.data).get("items") or []
    except Exception:
        return []
    names = [str((i.get("metadata") or {}).get("name") or "") for i in items if isinstance(i, dict)]
    return sorted(n for n in names if n and n.startswith(current))


def _kubectl_values(line: Line) -> dict[str, Any]:
    from rollout_tui.commands.kubectl_flags import KUBECTL_DEFAULTS

    values = {k: v for k, v in line.values.items() if k in KUBECTL_DEFAULTS}
    if "impersonate_group" in values:
        values["impersonate_group"] = [values["impersonate_group"]]
    return values


def run(words: list[str]) -> int:
    """Print the candidates and the directive; within DEADLINE seconds whatever happens."""
    from rollout_tui.commands.parser import build_parser

    if hasattr(signal, "SIGALRM"):
        signal.signal(signal.SIGALRM, lambda *_: (sys.stdout.write(f":{NO_FILE_COMP}\n"), os._exit(0)))
        signal.setitimer(signal.ITIMER_REAL, DEADLINE)
    try:
        candidates, directive = complete(build_parser(), words or [""])
    except Exception:
        candidates, directive = [], NO_FILE_COMP
    finally:
        if hasattr(signal, "SIGALRM"):
            signal.setitimer(signal.ITIMER_REAL, 0)
    sys.stdout.write("".join(c.replace("\n", " ") + "\n" for c in candidates) + f":{directive}\n")
    sys.stdout.flush()
    return 0
