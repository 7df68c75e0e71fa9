"""A read-only, searchable, scrolling column of lines: the body of the logs, YAML, diff and
analysis views.

Virtual (only the lines on screen are rendered, Log-widget style), bounded (`max_lines`: the
oldest lines go first, the view stays on what the operator was reading), and never markup:
items become Rich `Text` through the caller's `format`, whose strings are already inert
(render.safe). Searching highlights every occurrence, case-insensitively; `next_match` /
`previous_match` move the view to the next line holding one. At the bottom, appended lines
keep the view at the bottom (a terminal's follow); scrolled up, it stays put.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Generic, TypeVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

T = TypeVar("T")
MATCH = Style(reverse=True, bold=True)
CURRENT = Style(bgcolor="yellow", color="black", bold=True)
MAX_WIDTH = 4096


class TextLines(ScrollView, Generic[T], can_focus=True):
    DEFAULT_CSS = """
    TextLines { height: 1fr; scrollbar-size-vertical: 1; scrollbar-size-horizontal: 1; }
    """

    def __init__(
        self,
        format: Callable[[T], Text],
        plain: Callable[[T], str] | None = None,
        max_lines: int = 10_000,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self._format = format
        self._plain = plain or (lambda item: format(item).plain)
        self.max_lines = max_lines
        self.items: list[T] = []
        self.dropped = 0  # items that left the top of the buffer
        self.term = ""
        self.current: int | None = None  # index of the line with the current match
        self._cache: dict[int, Strip] = {}
        self._width = 0

    # -- content ------------------------------------------------------------------------------
    def set_items(self, items: Iterable[T]) -> None:
        self.items = list(items)[-self.max_lines :]
        self._reset()
        self.scroll_home(animate=False)

    def append(self, items: Sequence[T]) -> None:
        if not items:
            return
        at_bottom = self.scroll_y >= self.max_scroll_y
        self.items.extend(items)
        overflow = len(self.items) - self.max_lines
        if overflow > 0:
            del self.items[:overflow]
            self.dropped += overflow
            self._cache.clear()
            if self.current is not None:
                self.current = self.current - overflow if self.current >= overflow else None
            if not at_bottom:  # keep the lines being read on screen
                self.scroll_to(y=max(0, self.scroll_y - overflow), animate=False, immediate=True)
        for item in items:
            self._width = max(self._width, min(MAX_WIDTH, cell_len(self._plain(item))))
        self._resize()
        if at_bottom:
            self.scroll_end(animate=False, immediate=True)
        self.refresh()

    def reformat(self) -> None:
        """The format changed (e.g. timestamps shown): draw every line again."""
        self._reset()

    def _reset(self) -> None:
        self._cache.clear()
        self._width = max((min(MAX_WIDTH, cell_len(self._plain(i))) for i in self.items), default=0)
        self.current = None
        self._resize()
        self.refresh()

    def _resize(self) -> None:
        self.virtual_size = Size(self._width + 1, len(self.items))

    # -- search -------------------------------------------------------------------------------
    def search(self, term: str) -> int:
        """Highlight `term`; move to its first line at or after the top of the view. Returns the
        number of lines holding it."""
        self.term = term
        self._cache.clear()
        self.current = None
        found = self.matches()
        if found:
            top = int(self.scroll_y)
            self._go(next((i for i in found if i >= top), found[0]))
        self.refresh()
        return len(found)

    def matches(self) -> list[int]:
        if not self.term:
            return []
        needle = self.term.lower()
        return [i for i, item in enumerate(self.items) if needle in self._plain(item).lower()]

    def next_match(self, step: int = 1) -> bool:
        found = self.matches()
        if not found:
            return False
        here = self.current if self.current is not None else int(self.scroll_y) - (1 if step > 0 else 0)
        later = [i for i in found if (i > here if step > 0 else i < here)]
        self._go((later[0] if step > 0 else later[-1]) if later else (found[0] if step > 0 else found[-1]))
        return True

    def _go(self, index: int) -> None:
        self.current = index
        self._cache.clear()
        self.scroll_to(y=max(0, index - self.size.height // 3), animate=False, immediate=True)
        self.refresh()

    # -- rendering ----------------------------------------------------------------------------
    def _strip(self, index: int) -> Strip:
        cached = self._cache.get(index)
        if cached is not None:
            return cached
        text = self._format(self.items[index]).copy()
        text.no_wrap = True
        if self.term:
            style = CURRENT if index == self.current else MATCH
            text.highlight_words([self.term], style, case_sensitive=False)
        segments = list(text.render(self.app.console))
        strip = Strip([s for s in segments if s.text != "\n"] or [Segment("")])
        if len(self._cache) > 2000:
            self._cache.clear()
        self._cache[index] = strip
        return strip

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.size.width
        if index >= len(self.items):
            return Strip.blank(width, self.rich_style)
        return (
            self._strip(index)
            .crop_extend(scroll_x, scroll_x + width, self.rich_style)
            .apply_offsets(scroll_x, index)
        )

    def visible_text(self) -> list[str]:
        """The plain text of the lines on screen (tests read it)."""
        top = int(self.scroll_y)
        return [self._format(i).plain for i in self.items[top : top + self.size.height]]
