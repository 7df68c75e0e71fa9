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
    long: str = ""  # the help screen's wording when the footer's is too terse

    @property
    def help(self) -> str:
        return self.long or self.description

    def binding(self) -> Binding:
        # ids let users remap keys (App.set_keymap) without knowing our key choice.
        return Binding(self.key, self.action, self.description, show=self.show, id=self.action)


VIEW_KEYS: tuple[Key, ...] = (
    Key("slash", "filter", "Filter", "view"),
    Key("f", "quick_filter", "Status", "view", long="Status filter (cycles)"),
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
    Key("P", "promote_full", "Full", "action", long="Promote fully"),
    Key("x", "abort", "Abort", "action"),
    Key("y", "retry", "Retry", "action"),
    Key("z", "pause", "Pause", "action"),
    Key("R", "restart", "Restart", "action"),
    Key("u", "undo", "Undo", "action"),
    Key("i", "set_image", "Image", "action", long="Set image"),
)

KEY_NAMES = {"slash": "/", "exclamation_mark": "!", "question_mark": "?", "enter": "Enter"}

FILTER_HELP = (
    'Filter (/): comma-separated terms; a rollout matches any term. "check" name/namespace/context '
    'contains; "\\"checkout\\"" exact name; app:shop label contains; app:"shop" label equals; '
    "!term excludes. Esc clears."
)


def display(key: str) -> str:
    return KEY_NAMES.get(key, key)
