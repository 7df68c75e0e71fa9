"""Which contexts have loaded at least once: a context that never did has nothing stale to show,
only its error (the header's and the empty table's never-loaded case)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rollout_tui.kube.state import ConnectionState, Phase

from .fleet_view import Changes


class LoadedContexts:
    def __init__(self, contexts: Iterable[str]) -> None:
        self.contexts = frozenset(contexts)
        self.loaded: set[str] = set()

    def note(self, changes: Changes, connections: Mapping[str, ConnectionState]) -> None:
        """Loaded once it was live or sent a rollout: O(changes), not O(fleet)."""
        if self.loaded >= self.contexts:
            return
        if changes.connections:
            self.loaded.update(ctx for ctx, state in connections.items() if state.phase is Phase.LIVE)
        self.loaded.update(key.split("/", 1)[0] for key in changes.changed)

    def __contains__(self, context: object) -> bool:
        return context in self.loaded

    def unloaded(self, contexts: Iterable[str], configs: Mapping[str, Any]) -> dict[str, str]:
        """{context: its server's address} of those among `contexts` that never loaded."""
        return {c: str(getattr(configs.get(c), "server", "") or "") for c in contexts if c not in self.loaded}
