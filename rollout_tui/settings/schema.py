"""The config file's keys, their types, defaults and meanings, and the parsed settings.

`KEYS` and `CONTEXT_KEYS` are the schema: the parser checks against them, ``config show`` prints
them, and the README's table lists them (a test keeps the two in step).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from fnmatch import fnmatchcase
from typing import Any

BUTTON, TYPE_NAME = "button", "type-name"  # confirm: how an action on a context is confirmed


@dataclass(frozen=True, slots=True)
class Key:
    name: str  # as written in the file
    kind: str  # "string", "bool", "string list", "mapping"
    default: Any
    meaning: str
    choices: tuple[str, ...] = ()


KEYS: tuple[Key, ...] = (
    Key("theme", "string", None, "Textual theme (as --theme); default: ansi-dark on 16-colour terminals"),
    Key(
        "sort", "string", "attention", "the table's sort: attention, context, namespace, name, status, age..."
    ),
    Key("filter", "string", "", "the table's filter at start, in the / syntax"),
    Key(
        "status-filter", "string", "all", "the status filter at start: all, attention, Progressing, Paused..."
    ),
    Key("namespace", "string", None, "the TUI's namespace when neither -n nor -A is given (default: all)"),
    Key("read-only", "bool", False, "every context read-only, as --read-only"),
    Key("favourites", "string list", (), "rollouts pinned first: [context/][namespace/]name, * and ? match"),
    Key("keymap", "mapping", {}, "binding id -> keys, e.g. promote: ctrl+p or abort: X,ctrl+x"),
    Key("contexts", "mapping", {}, "context name or pattern -> policy (the keys below)"),
    Key("app-label", "string", "", "group rollouts into apps by this label's value (default: by name)"),
    Key("ring-bake", "string", "10m", "each ring's bake time, unless the ring gives its own"),
    Key("rings", "list", (), "the staged rings in order: name, contexts, namespaces, bake"),
)

CONTEXT_KEYS: tuple[Key, ...] = (
    Key("read-only", "bool", False, "no write reaches this context: its client refuses writes"),
    Key("label", "string", "", "shown for the context in every row and in the header"),
    Key("color", "string", "", "colour of the label or context name (a name like red, or #rrggbb)"),
    Key(
        "confirm",
        "string",
        BUTTON,
        "type-name: an action needs the rollout's name typed first",
        (BUTTON, TYPE_NAME),
    ),
)


@dataclass(frozen=True, slots=True)
class Badge:
    """How a context is marked in rows and the header."""

    label: str  # "" = the context's own name
    color: str  # "" = the default style


@dataclass(frozen=True, slots=True)
class ContextPolicy:
    """One context's policy, resolved from every ``contexts:`` entry that matches it."""

    read_only: bool = False
    label: str = ""
    color: str = ""
    confirm: str = BUTTON
    sources: tuple[tuple[str, str], ...] = ()  # field -> the entry (name or pattern) that set it

    @property
    def type_name(self) -> bool:
        return self.confirm == TYPE_NAME

    @property
    def badge(self) -> Badge | None:
        return Badge(self.label, self.color) if self.label or self.color else None


DEFAULT_POLICY = ContextPolicy()


@dataclass(frozen=True)
class Settings:
    """The effective settings: defaults, then the file, then command-line flags."""

    path: str | None = None  # the file they were read from (None: no file)
    theme: str | None = None
    sort: str = "attention"
    filter: str = ""
    status_filter: str = "all"
    namespace: str | None = None
    read_only: bool = False
    favourites: tuple[str, ...] = ()
    keymap: Mapping[str, str] = field(default_factory=dict)  # binding id -> "key[,key...]"
    # name or pattern -> the policy fields it sets (field names), in file order
    contexts: tuple[tuple[str, Mapping[str, Any]], ...] = ()
    app_label: str = ""
    ring_bake: str = "10m"
    rings: tuple[Any, ...] = ()  # as written; the UI and the wave command check them (model.ring_config)
    lines: Mapping[str, int] = field(default_factory=dict)  # "keymap.promote" -> its line in the file
    warnings: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()  # keys set by command-line flags (config show says so)

    def policy(self, context: str) -> ContextPolicy:
        """The context's policy: the patterns matching it in file order, then its own entry, each
        setting only the keys it gives (``prod-*: {read-only: true}`` and ``prod-eu: {label: EU}``
        make prod-eu read-only *and* labelled)."""
        matching = [(p, given) for p, given in self.contexts if p != context and fnmatchcase(context, p)]
        matching += [(p, given) for p, given in self.contexts if p == context]
        if not matching:
            return DEFAULT_POLICY
        values: dict[str, Any] = {}
        sources: dict[str, str] = {}
        for pattern, given in matching:
            values.update(given)
            sources.update(dict.fromkeys(given, pattern))
        return ContextPolicy(**values, sources=tuple(sources.items()))

    def rings_document(self) -> dict[str, Any]:
        """The ring keys as written, for model.ring_config.rings_from_config (which checks them)."""
        return {"app-label": self.app_label, "ring-bake": self.ring_bake, "rings": list(self.rings)}

    def context_read_only(self, context: str) -> bool:
        return self.read_only or self.policy(context).read_only

    def pinned(self, context: str, namespace: str, name: str) -> bool:
        """A favourite: ``name``, ``namespace/name`` or ``context/namespace/name``, each a glob."""
        return any(_favourite(pattern, (context, namespace, name)) for pattern in self.favourites)

    def where(self, key: str) -> str:
        """ "config PATH line N" for a key path like "keymap.promote", for messages."""
        line = self.lines.get(key)
        if self.path is None:
            return "defaults"
        return f"config {self.path}" + (f" line {line}" if line else "")

    def read_only_reason(self, context: str) -> str:
        """Why `context` takes no writes ("" when it does), naming the flag or the config line."""
        if self.read_only:
            return (
                "--read-only" if "read-only" in self.flags else f"{self.where('read-only')}: read-only: true"
            )
        policy = self.policy(context)
        if policy.read_only:
            entry = dict(policy.sources)["read_only"]
            return f"{self.where(f'contexts.{entry}.read-only')}: read-only: true"
        return ""

    def with_flags(self, given: Mapping[str, Any]) -> Settings:
        """These settings with the command-line flags actually given on top (field -> value)."""
        names = tuple(k.replace("_", "-") for k in given)
        return replace(self, **given, flags=tuple(dict.fromkeys((*self.flags, *names))))


def _favourite(pattern: str, subject: tuple[str, str, str]) -> bool:
    parts = pattern.split("/")
    return all(fnmatchcase(value, part) for value, part in zip(subject[-len(parts) :], parts, strict=True))


def document(settings: Settings) -> dict[str, Any]:
    """The settings in the file's own shape (what ``config show`` prints)."""
    return {
        "theme": settings.theme,
        "sort": settings.sort,
        "filter": settings.filter,
        "status-filter": settings.status_filter,
        "namespace": settings.namespace,
        "read-only": settings.read_only,
        "favourites": list(settings.favourites),
        "keymap": dict(settings.keymap),
        "contexts": {
            pattern: {name.replace("_", "-"): value for name, value in given.items()}
            for pattern, given in settings.contexts
        },
        "app-label": settings.app_label,
        "ring-bake": settings.ring_bake,
        "rings": list(settings.rings),
    }
