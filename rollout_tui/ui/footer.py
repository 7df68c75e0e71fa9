"""Textual's Footer without its leak.

Each recompose (every ``refresh_bindings``: the app calls it when what the selected rollout
allows changes) binds the new ``FooterKey``s to the footer's ``compact`` reactive with
``data_bind``, which adds a watcher on the footer; Textual prunes a watcher list only when its
reactive changes, and ``compact`` never does, so every FooterKey ever shown stayed alive with
its styles and caches (~1,700 after a few minutes of browsing), and each new binding scanned the
whole list. After each recompose the watchers of keys no longer mounted are dropped.
"""

from __future__ import annotations

from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    async def recompose(self) -> None:
        await super().recompose()
        prune_watchers(self)


def prune_watchers(node: object) -> None:
    """Forget the watchers that ``node``'s removed children registered on it."""
    watchers = getattr(node, "__watchers", None)
    if not isinstance(watchers, dict):
        return
    for entries in watchers.values():
        entries[:] = [(owner, callback) for owner, callback in entries if getattr(owner, "is_attached", True)]
