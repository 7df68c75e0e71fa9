"""The bottom lines at any width: the footer's keys that matter now, whole, and `? more` for the
rest; the hints line's reasons, whole.

Textual's Footer lays every binding out in a row and the terminal cuts the row where it ends
(`/ Filte` at 80 columns). This one keeps, by priority, what fits: quitting, the filter, the actions
possible for the selected rollout, then the other view keys, then the greyed actions; when some
are left out, the help key comes last as `? more` (the help screen lists every key).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Resize
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from .footer import Footer

HELP = "help"
# Lower stays longer. A key not listed here (a screen's own, e.g. Back) ranks with the filter.
_VIEW_RANK = {"quit": 0, "filter": 1, "quick_filter": 3, "pick_namespace": 4, "sort": 5, "pick_context": 6}
_ACTION, _GREYED, _OTHER = 2, 7, 1


@dataclass(frozen=True, slots=True)
class FooterItem:
    binding: Binding
    enabled: bool
    tooltip: str
    display: str  # the key as shown ("?", "p", "/")

    @property
    def width(self) -> int:
        """Compact FooterKey: key, a space, the description, then its one-cell margin."""
        return Text(self.display).cell_len + 1 + Text(self.binding.description).cell_len + 1

    @property
    def rank(self) -> int:
        action = self.binding.action
        if action.startswith("act("):
            return _ACTION if self.enabled else _GREYED
        return _VIEW_RANK.get(action, _OTHER)


def fit_keys(items: Sequence[FooterItem], width: int) -> tuple[list[FooterItem], bool]:
    """The items to show, in their order, and whether some were left out (then `? more` follows)."""
    if sum(item.width for item in items) <= width:
        return list(items), False
    more = Text("? more").cell_len + 1
    kept = [item for item in items if item.binding.action != HELP]
    # Leave out the lowest rank first, and of equal rank the one furthest right.
    for item in sorted(kept, key=lambda i: (i.rank, kept.index(i)), reverse=True):
        if sum(i.width for i in kept) + more <= width:
            break
        kept.remove(item)
    return kept, True


class KeyFooter(Footer):
    """A compact footer that never cuts a key in half (and, as footer.Footer, frees the keys
    each recompose replaces)."""

    def __init__(self) -> None:
        super().__init__(compact=True, show_command_palette=False)
        self._laid_out_for = 0

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        items = [
            FooterItem(binding, enabled, tooltip or binding.tooltip, self.app.get_key_display(binding))
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show
        ]
        self._laid_out_for = self.size.width or self.app.size.width
        shown, more = fit_keys(items, self._laid_out_for)
        help_item = next((i for i in items if i.binding.action == HELP), None)
        for item in shown:
            yield self._key(item.binding, item.display, item.binding.description, item.enabled, item.tooltip)
        if more and help_item is not None:
            yield self._key(help_item.binding, help_item.display, "more", True, "every key: the help screen")

    def _key(
        self, binding: Binding, display: str, description: str, enabled: bool, tooltip: str
    ) -> FooterKey:
        key = FooterKey(
            binding.key, display, description, binding.action, disabled=not enabled, tooltip=tooltip
        )
        # Always compact: set, not data_bind()-ed to the footer, whose watcher list would keep
        # every FooterKey of every recompose alive (Textual prunes it only when `compact` changes).
        key.compact = True
        return key

    def on_resize(self, event: Resize) -> None:
        if event.size.width != self._laid_out_for:
            self.call_after_refresh(self.recompose)


def fit_parts(parts: Sequence[str], width: int, sep: str, ellipsis: str = "…") -> str:
    """As many whole parts as fit in `width`; a first part too long for it ends at a word, with
    `ellipsis`."""
    out = ""
    for part in parts:
        joined = f"{out}{sep}{part}" if out else part
        if Text(joined).cell_len > width:
            break
        out = joined
    if out or not parts:
        return out
    words = parts[0].split(" ")
    while len(words) > 1 and Text(" ".join(words) + ellipsis).cell_len > width:
        words.pop()
    return " ".join(words) + ellipsis


class HintsLine(Static):
    """The line above the footer: why the greyed actions cannot be done now, in whole parts."""

    def __init__(self, sep: str, ellipsis: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.sep, self.ellipsis = sep, ellipsis
        self._parts: tuple[str, ...] = ()

    def show(self, parts: Sequence[str]) -> None:
        self._parts = tuple(parts)
        self._paint()

    def on_resize(self) -> None:
        self._paint()

    def _paint(self) -> None:
        width = self.content_size.width or self.app.size.width - 2
        fitted = fit_parts(self._parts, width, self.sep, self.ellipsis)
        self.update(Text(fitted, style="dim", no_wrap=True, overflow="crop"), layout=False)  # one line
