"""The one-line header: where we look, what needs a human, what carries on by itself, how fresh.

It counts the rows the table shows (the chosen context, namespace and filter), by attention level
(model.attention.tally), as the row marks and the wall banner do: "3 need you (!2 ?1)" is two
rows marked "!" and one marked "?". A filter that hides rows needing a human says so. A context
that never loaded shows its error, not counts and not "stale since". At 80 columns the pieces take
their short forms, then the least important go, before anything is cut.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import tzinfo
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from rollout_tui.kube.state import ConnectionState, Phase
from rollout_tui.model.attention import Tally, tally
from rollout_tui.model.icons import Glyphs
from rollout_tui.settings import Badge

from .badges import header_contexts
from .query import in_scope
from .safe import clean

if TYPE_CHECKING:
    from .app import RolloutApp

_TROUBLE_STYLE = {
    Phase.RECONNECTING: "bold yellow",
    Phase.UNREACHABLE: "bold red",
    Phase.FORBIDDEN: "bold red",
    Phase.FAILED: "bold red",
}


def describe_connection(
    state: ConnectionState | None,
    glyphs: Glyphs,
    tz: tzinfo | None = None,
    context: str = "",
    now: float | None = None,
) -> tuple[str, str]:
    """("live", "green"), ("loading 3,500 / ~10,000", "cyan"), ("no data from west for 12 s —
    reconnecting", "bold yellow"), or ("reconnecting — stale since 14:02:11", "bold yellow")...
    ``now``: time.monotonic() (the silence is measured on it, so a wall-clock jump cannot make it
    negative or stick)."""
    if state is not None and state.phase is Phase.SYNCING and state.loaded:
        # the first list, page by page: rows are shown as they arrive
        estimate = f" / ~{state.expected:,}" if state.expected is not None else ""
        return f"loading {state.loaded:,}{estimate}", "cyan"
    if state is None or state.phase is Phase.SYNCING:
        return "syncing", "cyan"
    if state.phase is Phase.LIVE:
        return "live", "green"
    silent = state.silent_for(time.monotonic() if now is None else now)
    if silent is not None:
        source = f" from {clean(context, 30)}" if context else ""
        doing = "unreachable" if state.phase is Phase.UNREACHABLE else "reconnecting"
        text = f"no data{source} for {quiet_for(silent)} {glyphs.dash} {doing}"
        return text, _TROUBLE_STYLE.get(state.phase, "yellow")
    stamp = (
        f" {glyphs.dash} stale since {state.since.astimezone(tz).strftime('%H:%M:%S')}" if state.since else ""
    )
    return f"{state.phase.value}{stamp}", _TROUBLE_STYLE.get(state.phase, "yellow")


def stale_contexts(connections: Mapping[str, ConnectionState]) -> frozenset[str]:
    """Contexts whose data is not live now (shown, but stale)."""
    return frozenset(ctx for ctx, state in connections.items() if state.stale)


def quiet_for(seconds: float) -> str:
    """12 s, 4 min, 2 h 5 min: how long a cluster has sent nothing."""
    seconds = max(0, int(seconds))
    if seconds < 90:
        return f"{seconds} s"
    if seconds < 90 * 60:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"


@dataclass(frozen=True, slots=True)
class NeverLoaded:
    """A context that has not listed anything yet and is failing: there is nothing stale to
    speak of, only why it does not answer and where it was asked."""

    phase: str  # "unreachable", "forbidden"...
    detail: str  # the error, with the server's address
    style: str

    @property
    def short(self) -> str:
        return f"{self.phase}, nothing loaded"

    @property
    def long(self) -> str:
        return f"{self.short}: {self.detail}" if self.detail else self.short


def never_loaded(state: ConnectionState | None, server: str) -> NeverLoaded | None:
    """None while the context is still syncing (or once it is live)."""
    if state is None or state.phase in (Phase.SYNCING, Phase.LIVE):
        return None
    detail = clean(state.detail, 200)
    if server and server not in detail:
        detail = f"{detail} ({clean(server, 100)})" if detail else clean(server, 100)
    return NeverLoaded(state.phase.value, detail, _TROUBLE_STYLE.get(state.phase, "yellow"))


@dataclass(frozen=True, slots=True)
class HeaderView:
    """What the header describes; the app builds one per refresh."""

    contexts: tuple[str, ...]  # the contexts looked at
    scope: str  # "all namespaces", or the chosen one
    shown: Tally  # the rows in the table
    in_scope: Tally  # the chosen context and namespace, before the filter
    connections: Mapping[str, ConnectionState] = field(default_factory=dict)
    unloaded: Mapping[str, str] = field(default_factory=dict)  # never-loaded context -> server
    badges: Mapping[str, Badge | None] = field(default_factory=dict)  # the config's context labels
    extra: str = ""  # the filter and sort in words


@dataclass(slots=True)
class _Piece:
    forms: list[Text]  # longest first
    form: int = 0
    dropped: bool = False

    @property
    def text(self) -> Text:
        return self.forms[self.form]


SHORTEN = ("auto", "ok", "needs", "connections", "where", "count", "needs")  # first shortened first
DROP = ("extra", "ok", "auto")  # then these go, first first


def header_text(view: HeaderView, glyphs: Glyphs, width: int = 0, tz: tzinfo | None = None) -> Text:
    """The header for `view` in `width` cells (0: unbounded)."""
    pieces = _pieces(view, glyphs, tz)

    def assembled() -> Text:
        shown = [p.text for p in pieces.values() if not p.dropped]
        return Text(glyphs.sep, no_wrap=True, overflow="crop").join(shown)

    for name in SHORTEN:
        if not width or assembled().cell_len <= width:
            break
        piece = pieces.get(name)
        if piece is not None and piece.form < len(piece.forms) - 1:
            piece.form += 1
    for name in DROP:
        if not width or assembled().cell_len <= width:
            break
        if name in pieces:
            pieces[name].dropped = True
    out = assembled()
    if width and out.cell_len > width:  # still too long: cut, marked with the glyph set's ellipsis
        out.truncate(width - len(glyphs.ellipsis), overflow="crop")
        out.append(glyphs.ellipsis)
    return out


def _pieces(view: HeaderView, glyphs: Glyphs, tz: tzinfo | None) -> dict[str, _Piece]:
    scope = clean(view.scope, 40)
    where = header_contexts(list(view.contexts), view.badges)
    pieces = {
        "where": _Piece([where + Text(glyphs.sep + scope), where + Text(glyphs.sep + _short_scope(scope))])
    }
    if len(view.unloaded) < len(view.contexts):  # something loaded: counts mean something
        pieces.update(_counts(view))
    pieces["connections"] = _Piece(_connections(view, glyphs, tz))
    if view.extra:
        pieces["extra"] = _Piece([Text(clean(view.extra, 80), style="italic")])
    return pieces


def _short_scope(scope: str) -> str:
    return "all ns" if scope == "all namespaces" else scope


def _counts(view: HeaderView) -> dict[str, _Piece]:
    shown, in_scope = view.shown, view.in_scope
    if shown.total == in_scope.total:
        count = [Text(f"{shown.total} rollouts", style="bold"), Text(f"{shown.total}", style="bold")]
    else:
        count = [
            Text(f"{shown.total} of {in_scope.total} shown", style="bold"),
            Text(f"{shown.total}/{in_scope.total}", style="bold"),
        ]
    pieces = {"count": _Piece(count), "needs": _Piece(_needs(shown, in_scope.needs_me - shown.needs_me))}
    if shown.auto:
        pieces["auto"] = _Piece(
            [Text(f"{shown.auto} on their way", "cyan"), Text(f"{shown.auto} moving", "cyan")]
        )
    if shown.ok:
        pieces["ok"] = _Piece([Text(f"{shown.ok} healthy", "green"), Text(f"{shown.ok} ok", "green")])
    return pieces


def _needs(shown: Tally, hidden: int) -> list[Text]:
    """ "3 need you (2 failing, 1 waiting)", "3 need you (!2 ?1)", "3 need you"; and what the
    filter hides of them."""
    count = shown.needs_me
    if not count:
        words = "nothing needs you" if not hidden else "none shown needs you"
        forms = [Text(words, "green"), Text(words.replace("nothing", "none"), "green")]
    else:
        verb = "needs" if count == 1 else "need"
        style = "bold red" if shown.broken else "bold yellow"
        words = ", ".join(
            f"{n} {label}"
            for n, label in ((shown.failing, "failing"), (shown.stuck, "stuck"), (shown.waiting, "waiting"))
            if n
        )
        marks = " ".join(f"{mark}{n}" for mark, n in (("!", shown.broken), ("?", shown.waiting)) if n)
        head = f"{count} {verb} you"
        forms = [Text(f"{head} ({words})", style), Text(f"{head} ({marks})", style), Text(head, style)]
    if hidden > 0:
        long, short = f" (+{hidden} hidden by the filter)", f" +{hidden} hidden"
        forms = [forms[0] + Text(long, "bold red"), *(form + Text(short, "bold red") for form in forms[1:])]
    return forms


def _connections(view: HeaderView, glyphs: Glyphs, tz: tzinfo | None) -> list[Text]:
    """Every context's state ("live" once when all are); the short form leaves out the live ones
    and says of a context that never loaded only that (the empty table says why)."""
    long, short = [], []
    for ctx in view.contexts:
        state = view.connections.get(ctx)
        prefix = f"{clean(ctx, 30)} " if len(view.contexts) > 1 else ""
        unloaded = never_loaded(state, view.unloaded[ctx]) if ctx in view.unloaded else None
        if unloaded is not None:
            long.append(Text(prefix) + Text(unloaded.long, unloaded.style))
            short.append(Text(prefix) + Text(unloaded.short, unloaded.style))
            continue
        words, style = describe_connection(state, glyphs, tz, context=ctx if prefix else "")
        if state is not None and state.stale:
            prefix = ""  # "no data from west for 12 s" names it already
        long.append(Text(prefix) + Text(words, style))
        if words != "live":
            short.append(long[-1])
    if not short:
        return [Text("live", style="green")]
    sep = Text(glyphs.sep)
    return [sep.join(long), sep.join(short)]


def header_view(app: RolloutApp) -> HeaderView:
    """What the header (and the wall, and an empty table) describe: the rows shown, counted by
    attention, against the chosen context and namespace before the filter."""
    query = app.table_query
    contexts = (query.context,) if query.context else tuple(app.contexts)
    shown = tally(e.attention for e in app.visible_entries)
    filtered = bool(query.text) or query.quick != "all"  # else the rows are all in scope
    return HeaderView(
        contexts,
        query.namespace or app.scope_label,
        shown=shown,
        in_scope=tally(e.attention for e in app.view.entries.values() if in_scope(e, query))
        if filtered
        else shown,
        connections=app.view.connections,
        unloaded=app.loaded_contexts.unloaded(contexts, app.fleet.contexts),
        extra=query.describe(app.default_sort),
        badges={c: app.view.badge(c) for c in contexts},
    )


def empty_text(view: HeaderView) -> Text:
    """What an empty table says instead of nothing: why there are no rows."""
    failing = [
        (ctx, never_loaded(view.connections.get(ctx), server)) for ctx, server in view.unloaded.items()
    ]
    lines = [
        f"Nothing loaded from {clean(ctx, 40)} ({found.phase}): {found.detail or 'no answer'}."
        for ctx, found in failing
        if found is not None
    ]
    if lines:
        lines.append("Retrying in the background: rows appear as soon as it answers.")
        return Text("\n".join(lines), style="bold red")
    if view.unloaded:
        return Text(f"Loading rollouts from {clean(', '.join(view.unloaded), 120)}…", style="dim")
    if view.in_scope.total:
        return Text(f"No rollout of the {view.in_scope.total} here matches the filter. Esc clears it.")
    where = clean(", ".join(view.contexts), 120)
    return Text(f"No rollouts in {clean(view.scope, 60)} of {where}.", style="dim")


class HeaderBar(Static):
    DEFAULT_CSS = """
    HeaderBar { height: 1; background: $panel; padding: 0 1; }
    """

    def __init__(self, glyphs: Glyphs, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.glyphs = glyphs
        self._view: HeaderView | None = None
        self._last: Text | None = None

    def show(self, view: HeaderView) -> None:
        self._view = view
        self._paint()

    def on_resize(self) -> None:
        self._paint()

    def _paint(self) -> None:
        if self._view is None:
            return
        text = header_text(self._view, self.glyphs, self.content_size.width or self.app.size.width - 2)
        if text != self._last:  # repaint only on change
            self._last = text
            self.update(text, layout=False)  # fixed height: a relayout would repaint the scrollbars too

    @property
    def plain(self) -> str:
        return self._last.plain if self._last is not None else ""
