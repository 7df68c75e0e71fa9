"""Work-arounds for Textual defects that matter to a UI left running for weeks.

`StylesCache.get_inner_outer` (textual/_styles_cache.py, Textual 8.2.8) is an instance method under
`functools.lru_cache(1024)`: the cache's keys hold `self`, so the StylesCache of every widget ever
rendered stays alive, and with it every Strip (and each Strip's seven FIFOCaches) it cached for its
lines — up to 1,024 removed widgets' worth. Each detail pane, dialog and footer rebuilt leaves one
behind: the soak's RSS rose ~190 MB/h, with Strips going 675 -> 11,000
(upstream: https://github.com/Textualize/textual/issues/6665, open).

The answer only depends on the two colours, so the cache is keyed on them alone: same results,
nothing of a widget kept. Installed when the UI is imported; a method that is not an lru_cache
(a Textual without the defect, or one already installed) is left alone.
"""

from __future__ import annotations

import contextlib
from functools import lru_cache
from typing import Any

from textual._styles_cache import StylesCache

COLOUR_PAIRS = 1024  # as Textual's own bound


def _colour_keyed(method: Any) -> Any:
    compute = method.__wrapped__  # the undecorated function: it does not read its first argument
    by_colours = lru_cache(COLOUR_PAIRS)(
        lambda base_background, background: compute(None, base_background, background)
    )

    def get_inner_outer(self: StylesCache, base_background: Any, background: Any) -> Any:
        return by_colours(base_background, background)

    return get_inner_outer


def install() -> None:
    with contextlib.suppress(ImportError):  # termios: a POSIX terminal's driver only
        from . import resume_fix

        resume_fix.install()  # a plain SIGSTOP/SIGCONT: no second input thread (see resume_fix.py)
    method = StylesCache.__dict__.get("get_inner_outer")
    if not hasattr(method, "cache_info"):
        return
    StylesCache.get_inner_outer = _colour_keyed(method)  # type: ignore[method-assign]
