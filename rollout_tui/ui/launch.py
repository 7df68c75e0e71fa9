"""From parsed CLI flags and the settings to a running app: contexts and first credentials, the
Fleet, the App.

The settings (the config file with the flags on top, checked by commands/config) decide the
theme, the table's defaults, the keymap and which contexts are read-only. Credentials are fetched
(``kube.config.prepare``) before the UI takes the screen, so an exec plugin's login prompt is
usable; errors become one-line ``LaunchError``s (the CLI prints them as its other errors), never
tracebacks.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
from typing import Any

from rollout_tui.settings import Settings, flag_overrides


class LaunchError(Exception):
    """The UI cannot start (bad kubeconfig, unknown theme...): one line for the operator."""


def _namespaces(settings: Settings) -> list[str] | None:
    return [settings.namespace] if settings.namespace else None  # the overview: all namespaces by default


def open_fleet(
    kubeconfig: str | None,
    contexts: list[str],
    all_contexts: bool,
    namespaces: list[str] | None,
    read_only: bool,
    settings: Settings | None = None,
) -> tuple[Any, list[str]]:
    """The Fleet on the chosen contexts; the settings' read-only contexts get no write path."""
    from rollout_tui.kube.config import prepare
    from rollout_tui.kube.errors import KubeError
    from rollout_tui.kube.fleet import Fleet

    settings = settings or Settings()
    try:
        loaded = prepare(kubeconfig, contexts, all_contexts, read_only)
    except KubeError as exc:
        raise LaunchError(str(exc)) from None
    guarded = [c.name for c in loaded if settings.context_read_only(c.name)]
    # lists run ahead of the UI by at most 2 batches (pages): the first screenful first
    fleet = Fleet(
        loaded, namespaces=namespaces, read_only=read_only, read_only_contexts=guarded, list_lookahead=2
    )
    return fleet, [c.name for c in loaded]


def rings_options(args: argparse.Namespace, contexts: list[str], settings: Settings | None = None) -> Any:
    """The rings view's rings: `--rings [RINGS]`, else the config file's, else one per context;
    `--bake` over the file's bakes; the demo's rings (40 s bakes) and its waves."""
    from rollout_tui.model.durations import parse_duration
    from rollout_tui.model.ring_config import RingError, choose_rings
    from rollout_tui.ui.rings import RingsOptions

    text, bake_text = getattr(args, "rings", None), getattr(args, "bake", None)
    bake = parse_duration(bake_text) if bake_text else None
    if bake_text and (bake is None or bake.total_seconds() < 0):
        raise LaunchError(f"--bake {bake_text!r}: not a duration (e.g. 10m, 90s, 1h)")
    file, on_mount = (settings or Settings()).rings_document(), None
    if getattr(args, "demo", False):  # the demo's clusters are not the file's
        from rollout_tui.ui.demo import DEMO_BAKE
        from rollout_tui.ui.rings.demo import start_demo_waves

        file, bake, on_mount = {}, bake or DEMO_BAKE, start_demo_waves
    try:
        named = bool(getattr(args, "context", None))
        config = choose_rings(contexts, flag=text, bake=bake, file=file, known=contexts, contexts_named=named)
    except RingError as exc:
        raise LaunchError(
            f"{(settings or Settings()).where('rings')}: {exc}" if not text else str(exc)
        ) from None
    return RingsOptions(config, open_at_start=text is not None, on_mount=on_mount)


def build_app(
    fleet: Any, contexts: list[str], args: argparse.Namespace, settings: Settings | None = None, **kwargs: Any
) -> Any:
    """The app for `args` and `settings` (default: no config file, the flags alone)."""
    from rollout_tui.ui.app import RolloutApp
    from rollout_tui.ui.wall_app import WallApp

    settings = settings or Settings().with_flags(flag_overrides(args))
    namespaces = _namespaces(settings)
    if not getattr(args, "wall", False):  # a wall has no rings view: it takes no keys
        kwargs.setdefault("rings", rings_options(args, contexts, settings))
    cls = WallApp if getattr(args, "wall", False) else RolloutApp
    app = cls(
        fleet,
        contexts,
        read_only=settings.read_only,
        ascii_glyphs=bool(getattr(args, "ascii", False)),
        notify_desktop=bool(getattr(args, "notify", False)),
        theme=settings.theme,
        scope=", ".join(namespaces) if namespaces else "all namespaces",
        settings=settings,
        **kwargs,
    )
    app.use_keymap(dict(settings.keymap))
    return app


def tune_gc() -> None:
    """A fleet is hundreds of thousands of long-lived objects made in bursts (each list page
    decodes ~75,000 containers): with the default thresholds (a collection every 700 allocations)
    the cyclic GC scanned them again and again, 0.3 s of CPU in a 10,000-rollout cold start and
    2.5 s in a 50,000 one. What is imported so far never becomes garbage (frozen out of
    collections); young collections run every 50,000 allocations, full ones as before."""
    gc.freeze()
    gc.set_threshold(50_000, 20, 10)


def launch(args: argparse.Namespace, settings: Settings) -> int:
    """Run the TUI with these (already checked) settings until it quits."""
    if getattr(args, "serve", None):
        return _serve(args)
    if getattr(args, "no_color", False):
        os.environ["NO_COLOR"] = "1"  # Textual reads NO_COLOR when the App is created
    with contextlib.ExitStack() as stack:
        if getattr(args, "demo", False):
            from rollout_tui.ui.demo import DEMO_CLUSTERS, demo_fleet

            kubeconfig, _sims = stack.enter_context(demo_fleet())
            source: tuple[str | None, list[str], bool] = (str(kubeconfig), list(DEMO_CLUSTERS), False)
        else:
            source = (args.kubeconfig, list(args.context or []), bool(args.all_contexts))
        fleet, names = open_fleet(*source, _namespaces(settings), settings.read_only, settings)
        # the lists start now, while Textual and the UI are imported and built (~0.3 s)
        tune_gc()
        stack.callback(fleet.stop)
        fleet.start()
        app = build_app(fleet, names, args, settings)
        gc.freeze()  # the UI's modules too
        app.run()
    code = int(app.return_code or 0)
    if not app.is_headless:
        from rollout_tui.ui.signals import exit_now

        exit_now(code)
    return code


def _serve(args: argparse.Namespace) -> int:
    from rollout_tui.ui.serve import ServeError, serve

    try:
        return serve(args.serve, bool(getattr(args, "serve_public", False)), sys.argv[1:])
    except ServeError as exc:
        raise LaunchError(str(exc)) from None
