"""From parsed CLI flags to a running app: contexts and first credentials, the Fleet, the App.

Credentials are fetched (``kube.config.prepare``) before the UI takes the screen, so an exec
plugin's login prompt is usable; errors become one-line ``LaunchError``s (the CLI prints them as
its other errors), never tracebacks.
"""

from __future__ import annotations

import argparse
import contextlib
import os
from typing import Any


class LaunchError(Exception):
    """The UI cannot start (bad kubeconfig, unknown theme...): one line for the operator."""


def _namespaces(args: argparse.Namespace) -> list[str] | None:
    if getattr(args, "namespace", None) and not getattr(args, "all_namespaces", False):
        return [args.namespace]
    return None  # the overview is for all namespaces by default


def open_fleet(
    kubeconfig: str | None,
    contexts: list[str],
    all_contexts: bool,
    namespaces: list[str] | None,
    read_only: bool,
) -> tuple[Any, list[str]]:
    from rollout_tui.kube.config import prepare
    from rollout_tui.kube.errors import KubeError
    from rollout_tui.kube.fleet import Fleet

    try:
        loaded = prepare(kubeconfig, contexts, all_contexts, read_only)
    except KubeError as exc:
        raise LaunchError(str(exc)) from None
    fleet = Fleet(loaded, namespaces=namespaces, read_only=read_only)
    return fleet, [c.name for c in loaded]


def build_app(fleet: Any, contexts: list[str], args: argparse.Namespace, **kwargs: Any) -> Any:
    from rollout_tui.ui.app import RolloutApp
    from rollout_tui.ui.wall_app import WallApp

    namespaces = _namespaces(args)
    cls = WallApp if getattr(args, "wall", False) else RolloutApp
    return cls(
        fleet,
        contexts,
        read_only=bool(getattr(args, "read_only", False) or getattr(args, "wall", False)),
        ascii_glyphs=bool(getattr(args, "ascii", False)),
        notify_desktop=bool(getattr(args, "notify", False)),
        theme=getattr(args, "theme", None),
        scope=", ".join(namespaces) if namespaces else "all namespaces",
        **kwargs,
    )


def launch(args: argparse.Namespace) -> int:
    read_only = bool(getattr(args, "read_only", False) or getattr(args, "wall", False))
    if getattr(args, "no_color", False):
        os.environ["NO_COLOR"] = "1"  # Textual reads NO_COLOR when the App is created
    with contextlib.ExitStack() as stack:
        if getattr(args, "demo", False):
            from rollout_tui.ui.demo import DEMO_CLUSTERS, demo_fleet

            kubeconfig, _sims = stack.enter_context(demo_fleet())
            fleet, names = open_fleet(
                str(kubeconfig), list(DEMO_CLUSTERS), False, _namespaces(args), read_only
            )
        else:
            fleet, names = open_fleet(
                args.kubeconfig,
                list(args.context or []),
                bool(args.all_contexts),
                _namespaces(args),
                read_only,
            )
        app = build_app(fleet, names, args)
        theme = getattr(args, "theme", None)
        if theme and theme not in app.available_themes:
            raise LaunchError(
                f"unknown theme {theme!r} (available: {', '.join(sorted(app.available_themes))})"
            )
        fleet.start()
        stack.callback(fleet.stop)
        app.run()
    return int(app.return_code or 0)
