"""Every key of the shell: the view keys here, the action keys from the action registry.

Bindings carry ids (the view action name, or the action's registry id), so keymaps can rebind
them without knowing the default keys (posting's binding ids; App.set_keymap).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding

from rollout_tui.model.actions import ACTIONS, ROLLOUT, ActionSpec


@dataclass(frozen=True, slots=True)
class ViewKey:
    key: str
    action: str
    description: str
    show: bool = True  # in the footer
    long: str = ""  # the help screen's wording when the footer's is too terse

    @property
    def help(self) -> str:
        return self.long or self.description

    def binding(self) -> Binding:
        return Binding(self.key, self.action, self.description, show=self.show, id=self.action)


VIEW_KEYS: tuple[ViewKey, ...] = (
    ViewKey("slash", "filter", "Filter"),
    ViewKey("f", "quick_filter", "Status", long="Status filter (cycles)"),
    ViewKey("exclamation_mark", "attention", "Needs you", show=False, long="Only what needs you (toggle)"),
    ViewKey("o", "sort", "Sort"),
    ViewKey("O", "reverse_sort", "Reverse sort", show=False),
    ViewKey("n", "pick_namespace", "Namespace"),
    ViewKey("c", "pick_context", "Context", show=False),
    ViewKey("enter", "open_detail", "Detail", show=False),
    ViewKey("space", "toggle_mark", "Mark", show=False, long="Mark row (bulk p z x)"),
    ViewKey("g", "rings", "Rings", show=False, long="Rings and waves"),
    ViewKey("m", "metric_chart", "Chart", show=False, long="Chart: first live metric"),
    ViewKey("question_mark", "help", "Help"),
    ViewKey("q", "quit", "Quit"),
)

# The rollout actions with a key, in registry order (the footer's order).
ACTION_KEYS: tuple[ActionSpec, ...] = tuple(spec for spec in ACTIONS if spec.kind == ROLLOUT and spec.key)

KEY_NAMES = {"space": "Space", "slash": "/", "exclamation_mark": "!", "question_mark": "?", "enter": "Enter"}

FILTER_HELP = (
    "Filter (/): comma-separated terms; a rollout matches any term. check: name, namespace/name or "
    'context contains "check"; "checkout" in quotes: exactly that name; app:shop: label contains; '
    'app:"shop": label equals; !term excludes. Esc clears.'
)


def action_binding(spec: ActionSpec) -> Binding:
    """`p` -> act('promote'): one dispatch for every action, the registry id as binding id."""
    return Binding(spec.key, f"act('{spec.id}')", spec.label, id=spec.id, tooltip=spec.title)


def display(key: str) -> str:
    return KEY_NAMES.get(key, key)
