"""Command palette entries: switch namespace/context, quick filters, sorts, actions."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.markup import escape

from .filtering import QUICK_FILTERS
from .rows import SORT_ORDER
from .safe import clean


def _commands(app: Any) -> list[tuple[str, Callable[[], Any], str]]:
    out: list[tuple[str, Callable[[], Any], str]] = [
        ("Namespace: all namespaces", partial(app.set_namespace, ""), "show every namespace")
    ]
    out += [
        (f"Namespace: {clean(ns, 63)}", partial(app.set_namespace, ns), "show only this namespace")
        for ns in app.namespaces_seen()
    ]
    if len(app.contexts) > 1:
        out.append(("Context: all contexts", partial(app.set_context, ""), "show every cluster"))
        out += [
            (f"Context: {clean(ctx, 60)}", partial(app.set_context, ctx), "show only this cluster")
            for ctx in app.contexts
        ]
    out += [(f"Status filter: {q}", partial(_set_quick, app, q), "quick filter") for q in QUICK_FILTERS]
    out += [(f"Sort by {s}", partial(_set_sort, app, s), "sort the table") for s in SORT_ORDER]
    entry = app.selected_entry
    if entry is not None and not app.read_only:
        target = clean(f"{entry.summary.namespace}/{entry.summary.name}", 80)
        for action, label in (
            ("promote", "Promote"),
            ("promote_full", "Promote fully"),
            ("abort", "Abort"),
            ("retry", "Retry"),
            ("pause", "Pause"),
            ("restart", "Restart"),
            ("undo", "Undo"),
            ("set_image", "Set image"),
        ):
            out.append((f"{label} {target}", getattr(app, f"action_{action}"), "asks for confirmation first"))
    return out


def _set_quick(app: Any, quick: str) -> None:
    app.quick = quick
    app.set_context(app.context)


def _set_sort(app: Any, key: str) -> None:
    app.sort_key = key
    app.set_context(app.context)


class FleetCommands(Provider):
    async def discover(self) -> Hits:
        for label, callback, help_text in _commands(self.app):
            yield DiscoveryHit(escape(label), callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, callback, help_text in _commands(self.app):
            safe_label = escape(label)  # highlight() parses markup: namespace names must stay literal
            score = matcher.match(safe_label)
            if score > 0:
                yield Hit(score, matcher.highlight(safe_label), callback, help=help_text)
