"""The config values only the UI can judge: theme names, sorts, status filters, binding ids and
the keys a keymap gives them, the rings. Errors and warnings name the file and line (`Settings.where`).

A keymap that gives one key to two bindings is a warning: Textual keeps only one of them
(`BindingsMap.apply_keymap`), so the other would silently lose its key.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual.keys import _normalize_key_list
from textual.theme import BUILTIN_THEMES

from rollout_tui.model.ring_config import ring_problem
from rollout_tui.settings import Settings

from .detail_keys import DETAIL_KEYS
from .filtering import QUICK_FILTERS
from .keys import ACTION_KEYS, VIEW_KEYS
from .query import SORT_ORDER


def default_keys() -> dict[str, str]:
    """Every binding id of the shell with its default key(s)."""
    keys = {k.action: k.key for k in (*VIEW_KEYS, *DETAIL_KEYS)}
    keys.update({spec.id: spec.key for spec in ACTION_KEYS})
    return keys


def effective_keys(keymap: Mapping[str, str]) -> dict[str, str]:
    """Binding id -> its keys once the keymap is applied (normalised: "?" -> question_mark)."""
    keys = default_keys()
    for binding, value in keymap.items():
        if binding in keys:
            keys[binding] = _normalize_key_list(value)
    return keys


def problems(settings: Settings) -> tuple[list[str], list[str]]:
    """(errors, warnings) about the settings' UI values."""
    errors = []
    for field, key, allowed in (
        (settings.theme, "theme", sorted(BUILTIN_THEMES)),
        (settings.sort, "sort", list(SORT_ORDER)),
        (settings.status_filter, "status-filter", list(QUICK_FILTERS)),
    ):
        if field is not None and field not in allowed:
            where = "--theme" if key == "theme" and "theme" in settings.flags else settings.where(key)
            errors.append(f"{where}: unknown {key} {field!r} (available: {', '.join(allowed)})")
    key, problem = ring_problem(settings.rings_document())
    if problem:
        errors.append(f"{settings.where(key)}: {problem}")
    return errors, keymap_warnings(settings)


def keymap_warnings(settings: Settings) -> list[str]:
    known = default_keys()
    warnings = [
        f"{settings.where(f'keymap.{binding}')}: keymap: unknown binding id {binding!r} (ignored; "
        f"ids: {', '.join(sorted(known))})"
        for binding in settings.keymap
        if binding not in known
    ]
    holders: dict[str, list[str]] = {}
    for binding, keys in effective_keys(settings.keymap).items():
        for key in keys.split(","):
            holders.setdefault(key, []).append(binding)
    for key, bindings in holders.items():
        if len(bindings) > 1:
            moved = next((b for b in bindings if b in settings.keymap), bindings[0])
            warnings.append(
                f"{settings.where(f'keymap.{moved}')}: keymap: {key} is bound to {' and '.join(bindings)}; "
                "only one of them keeps it"
            )
    return warnings
