"""The stable|canary traffic bar: actual weight as two coloured runs, the set weight as a marker."""

from __future__ import annotations

from rich.text import Text

from rollout_tui.model.icons import Glyphs

STABLE_STYLE = "green"
CANARY_STYLE = "yellow"


def weight_bar(
    set_weight: int | None, actual_weight: int | None, width: int, glyphs: Glyphs, max_weight: int = 100
) -> Text:
    """`stable 80 ████████████░░░ 20 canary` with `┃` where the set weight is when it differs."""
    max_weight = max(max_weight, 1)
    actual = actual_weight if actual_weight is not None else set_weight
    if actual is None:
        return Text("")
    actual = min(max(actual, 0), max_weight)
    width = max(width, 4)
    canary_cells = round(width * actual / max_weight)
    cells = [glyphs.bar_stable] * (width - canary_cells) + [glyphs.bar_canary] * canary_cells
    styles = [STABLE_STYLE] * (width - canary_cells) + [CANARY_STYLE] * canary_cells
    if set_weight is not None and set_weight != actual:
        # The marker sits on the boundary the controller is moving the traffic to.
        at = min(max(width - round(width * min(max(set_weight, 0), max_weight) / max_weight), 0), width - 1)
        cells[at] = glyphs.marker
        styles[at] = "bold"
    bar = Text()
    bar.append(f"stable {max_weight - actual:>3} ", style=STABLE_STYLE)
    run_start = 0
    for i in range(1, width + 1):
        if i == width or styles[i] != styles[run_start]:
            bar.append("".join(cells[run_start:i]), style=styles[run_start])
            run_start = i
    bar.append(f" {actual:<3} canary", style=CANARY_STYLE)
    return bar


def promoted_bar(width: int, glyphs: Glyphs, max_weight: int = 100) -> Text:
    """A fully promoted rollout: the canary became the stable and serves everything. Saying
    "0 canary" here would contradict the plugin's (and the overview's) weight of 100."""
    return Text.assemble(
        (f"stable {max(max_weight, 1):>3} ", STABLE_STYLE),
        (glyphs.bar_stable * max(width, 4), STABLE_STYLE),
        (" promoted", STABLE_STYLE),
    )
