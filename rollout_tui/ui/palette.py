"""Command palette entries: switch namespace/context, quick filters, sorts, and the actions (from
the action registry, with the same titles as the footer and the confirmations)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.markup import escape

from .filtering import QUICK_FILTERS
from .keys import ACTION_KEYS
from .query import SORT_ORDER
from .safe import clean

if TYPE_CHECKING:
    from .app import RolloutApp


def _commands(app: RolloutApp) -> list[tuple[str, Callable[[], Any], str]]:
    out: list[tuple[str, Callable[[], Any], str]] = [
        ("Namespace: all namespaces", partial(app.change_query, namespace=""), "show every namespace")
    ]
    out += [
        (f"Namespace: {clean(ns, 63)}", partial(app.change_query, namespace=ns), "show only this namespace")
        for ns in app.namespaces_seen()
    ]
    if len(app.contexts) > 1:
        out.append(("Context: all contexts", partial(app.change_query, context=""), "show every cluster"))
        out += [
            (f"Context: {clean(ctx, 60)}", partial(app.change_query, context=ctx), "show only this cluster")
            for ctx in app.contexts
        ]
    out += [
        (f"Status filter: {q}", partial(app.change_query, quick=q), "quick filter") for q in QUICK_FILTERS
    ]
    out += [(f"Sort by {s}", partial(app.change_query, sort=s), "sort the table") for s in SORT_ORDER]
    entry = app.selected_entry
    if entry is not None and app.flow.actions(entry.context) is not None:  # none for a read-only context
        target = clean(entry.state.target, 80)
        for spec in ACTION_KEYS:
            out.append(
                (f"{spec.title} {target}", partial(app.action_act, spec.id), "asks for confirmation first")
            )
    return out


class FleetCommands(Provider):
    async def discover(self) -> Hits:
        for label, callback, help_text in _commands(self.app):  # type: ignore[arg-type]
            yield DiscoveryHit(escape(label), callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, callback, help_text in _commands(self.app):  # type: ignore[arg-type]
            safe_label = escape(label)  # highlight() parses markup: namespace names must stay literal
            score = matcher.match(safe_label)
            if score > 0:
                yield Hit(score, matcher.highlight(safe_label), callback, help=help_text)
