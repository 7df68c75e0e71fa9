"""rollout-tui's config file: ``$XDG_CONFIG_HOME/rollout-tui/config.yaml`` (default
``~/.config/rollout-tui/config.yaml``), or ``--config PATH``.

Schema (every key optional; defaults in brackets)::

    theme: textual-dark        # [terminal-dependent] Textual theme, as --theme
    sort: attention            # [attention] the table's sort column
    filter: "shop"             # [""] the table's filter at start, in the / syntax
    status-filter: attention   # [all] the status filter at start (all, attention, Progressing...)
    namespace: shop            # [all namespaces] the TUI's -n when neither -n nor -A is given
    read-only: false           # [false] every context read-only, as --read-only
    favourites:                # [none] pinned first: name, namespace/name or context/namespace/name;
      - prod-eu/shop/checkout  #        each part a glob (* and ?)
      - "*/payments/*"
    keymap:                    # [none] binding id -> keys (Textual key names, comma-separated)
      promote: ctrl+p          #        ids: the action registry's (promote, abort, resume...) and
      filter: f2               #        the view's (filter, sort, pick_namespace, help, quit...)
    contexts:                  # [none] per-context policy, by name or glob; an exact name wins
      "prod-*":
        read-only: true        # [false] that context's client refuses every write
        label: PROD            # [""] shown for the context in each row and in the header
        color: red             # [""] the label's colour (a colour name or #rrggbb)
        confirm: type-name     # [button] type-name: type the rollout's name to enable Confirm

Precedence: defaults < file < command-line flags (``--theme``, ``-n``/``-A``, ``--read-only``).
Pure parsing (no I/O beyond reading the one file), importable by every layer: `read_settings`
returns a `Settings`; `SettingsError` is a bad file in one line with its line number; unknown keys
become warnings in `Settings.warnings`. Values only the UI can check (theme, sort, status filter,
binding ids) are checked by the UI with the same line numbers (`Settings.where`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from rollout_tui.settings.parse import SettingsError, parse_settings, read_settings
from rollout_tui.settings.schema import (
    BUTTON,
    CONTEXT_KEYS,
    DEFAULT_POLICY,
    KEYS,
    TYPE_NAME,
    Badge,
    ContextPolicy,
    Key,
    Settings,
    document,
)


def default_path() -> Path:
    """``$XDG_CONFIG_HOME/rollout-tui/config.yaml``; XDG says a relative value is to be ignored."""
    base = os.environ.get("XDG_CONFIG_HOME", "")
    root = Path(base) if base and os.path.isabs(base) else Path.home() / ".config"
    return root / "rollout-tui" / "config.yaml"


def flag_overrides(args: Any) -> dict[str, Any]:
    """The command-line flags given that override a config key (field -> value): ``--theme``,
    ``-n`` (``-A``: all namespaces), ``--read-only`` (and ``--wall``, which is read-only)."""
    given: dict[str, Any] = {}
    if getattr(args, "theme", None):
        given["theme"] = args.theme
    if getattr(args, "all_namespaces", False):
        given["namespace"] = None
    elif getattr(args, "namespace", None):
        given["namespace"] = args.namespace
    if getattr(args, "read_only", False) or getattr(args, "wall", False):
        given["read_only"] = True
    return given


def load(explicit: str | None = None) -> Settings:
    """The file's settings: ``explicit`` (which must exist) or the default path (which may not)."""
    if explicit:
        return read_settings(os.path.expanduser(explicit), required=True)
    return read_settings(str(default_path()))


__all__ = [
    "BUTTON",
    "CONTEXT_KEYS",
    "DEFAULT_POLICY",
    "KEYS",
    "TYPE_NAME",
    "Badge",
    "ContextPolicy",
    "Key",
    "Settings",
    "SettingsError",
    "default_path",
    "document",
    "flag_overrides",
    "load",
    "parse_settings",
    "read_settings",
]
