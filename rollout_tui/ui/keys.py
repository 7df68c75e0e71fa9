"""Every key of the shell in one table: the app's Bindings, the help screen and the README use it."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class Key:
    key: str
    action: str
    description: str
    group: str  # "view" or "action"
    show: bool = True  # in the footer

    def binding(self) -> Binding:
        # ids let users remap keys (App.set_keymap) without knowing our key choice.
        return Binding(self.key, self.action, self.description, show=self.show, id=self.action)


VIEW_KEYS: tuple[Key, ...] = (
    Key("slash", "filter", "Filter", "view"),
    Key("f", "quick_filter", "Status filter", "view"),
    Key("exclamation_mark", "attention", "Needs attention", "view", show=False),
    Key("o", "sort", "Sort", "view"),
    Key("O", "reverse_sort", "Reverse sort", "view", show=False),
    Key("n", "pick_namespace", "Namespace", "view"),
    Key("c", "pick_context", "Context", "view", show=False),
    Key("enter", "open_detail", "Detail", "view", show=False),
    Key("question_mark", "help", "Help", "view"),
    Key("q", "quit", "Quit", "view"),
)

ACTION_KEYS: tuple[Key, ...] = (
    Key("p", "promote", "Promote", "action"),
    Key("P", "promote_full", "Promote full", "action", show=False),
    Key("x", "abort", "Abort", "action"),
    Key("y", "retry", "Retry", "action", show=False),
    Key("z", "pause", "Pause", "action", show=False),
    Key("R", "restart", "Restart", "action", show=False),
    Key("u", "undo", "Undo", "action", show=False),
    Key("i", "set_image", "Set image", "action", show=False),
)

KEY_NAMES = {"slash": "/", "exclamation_mark": "!", "question_mark": "?", "enter": "Enter"}

FILTER_HELP = (
    'Filter (/): comma-separated terms; a rollout matches any term. "check" name/namespace/context '
    'contains; "\\"checkout\\"" exact name; app:shop label contains; app:"shop" label equals; '
    "!term excludes. Esc clears."
)


def display(key: str) -> str:
    return KEY_NAMES.get(key, key)
