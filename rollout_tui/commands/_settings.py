"""How every command gets its settings: the config file with the command line's flags on top.

The file is read only by what it changes: the TUI, and the commands that write (actions,
``create``), which obey its per-context ``read-only``. Read commands (get, list, status, lint)
never read it, so a script keeps the plugin's behaviour whatever the operator's config says.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace

from rollout_tui.commands import CommandError
from rollout_tui.settings import Settings, SettingsError, flag_overrides, load

_LOADED = "_rollout_tui_settings"


def settings_for(args: argparse.Namespace) -> Settings:
    """The file's settings with the command line's flags on top; warnings on stderr, once."""
    cached = getattr(args, _LOADED, None)
    if isinstance(cached, Settings):
        return cached
    try:
        settings = load(getattr(args, "config", None))
    except SettingsError as exc:
        raise CommandError(str(exc)) from None
    for warning in settings.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    settings = settings.with_flags(flag_overrides(args))
    setattr(args, _LOADED, settings)
    return settings


def checked_settings(args: argparse.Namespace) -> Settings:
    """The TUI's settings, with what only the UI can judge checked (ui/settings_check): an error
    stops before anything connects; warnings go to stderr and, as toasts, into the app (stderr is
    hidden behind its screen)."""
    from rollout_tui.ui.settings_check import problems

    settings = settings_for(args)  # prints the file's own warnings
    errors, warnings = problems(settings)
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if errors:
        raise CommandError(errors[0])
    return replace(settings, warnings=(*settings.warnings, *warnings))
