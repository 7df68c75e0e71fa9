"""The plugin's command aliases, exactly as its cobra commands declare them (``Aliases:`` in
pkg/kubectl-argo-rollouts/cmd/*/*.go), applied to whatever parser tree registered the commands.

The action commands' aliases (`retry ro`, `terminate ar`...) are declared with the actions, in the
action registry (model/actions), which the action commands are generated from."""

from __future__ import annotations

import argparse

PLUGIN_ALIASES: dict[tuple[str, ...], tuple[str, ...]] = {
    ("create", "analysisrun"): ("ar",),  # cmd/create/create.go
    ("get", "rollout"): ("ro", "rollouts"),  # cmd/get/get_rollout.go
    ("get", "experiment"): ("exp", "experiments"),  # cmd/get/get_experiment.go
    ("list", "rollouts"): ("ro", "rollout"),  # cmd/list/list_rollouts.go
    ("list", "experiments"): ("exp", "experiment"),  # cmd/list/list_experiments.go
}


def subcommands(parser: argparse.ArgumentParser) -> argparse._SubParsersAction | None:
    return next((a for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None)


def find(parser: argparse.ArgumentParser, path: tuple[str, ...]) -> argparse.ArgumentParser | None:
    for name in path:
        action = subcommands(parser)
        if action is None or name not in action.choices:
            return None
        parser = action.choices[name]
    return parser


def apply_aliases(root: argparse.ArgumentParser) -> None:
    """Make each alias a second name of its command (and show it in the help, as argparse does)."""
    for path, aliases in PLUGIN_ALIASES.items():
        parent = find(root, path[:-1])
        action = subcommands(parent) if parent is not None else None
        if action is None or path[-1] not in action.choices:
            continue  # a command this build does not have (yet)
        target = action.choices[path[-1]]
        for alias in aliases:
            action.choices.setdefault(alias, target)
        for choice in action._choices_actions:
            if choice.dest == path[-1]:
                choice.metavar = f"{path[-1]} ({', '.join(aliases)})"
