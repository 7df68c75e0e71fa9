"""What the detail pane says and how it draws it: events that stay in their column at 80x24,
words that mean what they say, ASCII that is ASCII."""

from __future__ import annotations

from rollout_tui.ui.detail import DetailPane
from tests.ui.test_detail_pane import DetailApp, _event, load_testdata, screen_lines

LONG_EVENT = (
    'Failed to pull image "registry.example.com/team/checkout:2026-01-15-rc3": rpc error: code = '
    "NotFound desc = failed to resolve reference: not found on any of the three mirrors tried"
)


async def test_long_event_messages_wrap_under_their_column_not_to_column_0() -> None:
    events = [
        _event("Warning", "Failed", f"{LONG_EVENT} #{i}", 10 * i, obj=("Pod", "checkout-7d9f-x2wz4"))
        for i in range(4)
    ]
    app = DetailApp(objects=load_testdata("canary", "canary-rollout.yaml"), events=events)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.query_one(DetailPane).query_one("#detail-body").scroll_end(animate=False)
        await pilot.pause()
        lines = screen_lines(app)
        start = next(i for i, line in enumerate(lines) if line.startswith("Events"))
        section = [line.rstrip() for line in lines[start + 1 :]]
        assert section and section[0].startswith("Warning"), section
        for line in section:
            # an event's first line, or its message continued under the reason: never a line that
            # starts at column 0 with the middle of a message, never a blank line between events
            assert line.startswith("Warning ") or (line.startswith(" " * 8) and line.strip()), section
        assert sum(line.startswith("Warning") for line in section) == 4
        assert section[-1].strip().endswith("tried #3")  # the end of the message is still there
