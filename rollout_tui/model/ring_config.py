"""Ring definitions: which clusters (and namespaces) form each ring, in order, and their bake time.

Without a configuration, each `--context` is a ring, in the order given (`default_rings`);
`--rings east,west,north+south` names them on the command line (`parse_rings`); the
configuration file's `rings` list fills the same structure (`rings_from_config`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from rollout_tui.model.durations import parse_duration

DEFAULT_BAKE = timedelta(minutes=10)


class RingError(ValueError):
    """A ring definition that cannot be used (the message says which part and why)."""


@dataclass(frozen=True, slots=True)
class Ring:
    name: str
    contexts: tuple[str, ...]
    namespaces: tuple[str, ...] = ()  # empty: every namespace of those contexts
    bake: timedelta = DEFAULT_BAKE

    def holds(self, context: str, namespace: str) -> bool:
        return context in self.contexts and (not self.namespaces or namespace in self.namespaces)

    @property
    def where(self) -> str:
        """ "east", "north+south", "east (shop)" """
        places = "+".join(self.contexts)
        return f"{places} ({','.join(self.namespaces)})" if self.namespaces else places

    @property
    def label(self) -> str:
        return (
            self.name if self.name == "+".join(self.contexts) else f"{self.name} ({'+'.join(self.contexts)})"
        )


@dataclass(frozen=True, slots=True)
class RingConfig:
    """The ordered rings and how rollouts are grouped into apps (the config file fills this)."""

    rings: tuple[Ring, ...]
    app_label: str = ""  # "" = an app is a rollout name

    @property
    def contexts(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c for ring in self.rings for c in ring.contexts))

    def ring_of(self, context: str, namespace: str) -> int | None:
        for index, ring in enumerate(self.rings):
            if ring.holds(context, namespace):
                return index
        return None


def default_rings(contexts: Iterable[str], bake: timedelta = DEFAULT_BAKE, app_label: str = "") -> RingConfig:
    """One ring per context, in the order of the `--context` flags."""
    return RingConfig(tuple(Ring(c, (c,), (), bake) for c in contexts), app_label)


def parse_rings(
    text: str, bake: timedelta = DEFAULT_BAKE, known: Iterable[str] | None = None, app_label: str = ""
) -> RingConfig:
    """`--rings east,west,north+south` or `--rings canary=east,wide=north+south`: one ring per
    comma-separated item, several contexts joined with `+`, an optional `NAME=` in front."""
    known_set = set(known) if known is not None else None
    rings: list[Ring] = []
    seen: set[str] = set()
    for item in (part.strip() for part in text.split(",")):
        if not item:
            raise RingError(f"--rings {text!r}: an empty ring (two commas, or one at an end)")
        name, sep, places = item.partition("=")
        contexts = tuple(c.strip() for c in (places if sep else name).split("+"))
        if any(not c for c in contexts):
            raise RingError(f"ring {item!r}: an empty context name")
        for context in contexts:
            if known_set is not None and context not in known_set:
                raise RingError(f"ring {item!r}: no context {context!r} in the kubeconfig")
            if context in seen:
                raise RingError(f"context {context!r} is in two rings: a cluster belongs to one ring")
            seen.add(context)
        label = name.strip() if sep else "+".join(contexts)
        if not label:
            raise RingError(f"ring {item!r}: an empty ring name")
        rings.append(Ring(label, contexts, (), bake))
    return RingConfig(tuple(rings), app_label)


def ring_problem(doc: Mapping[str, Any]) -> tuple[str, str]:
    """(the key at fault, the message) when `rings_from_config` refuses the document, else ("", "")."""
    try:
        rings_from_config(doc)
    except RingError as exc:
        return str(exc).split(":", 1)[0].split("[", 1)[0].split(".", 1)[0], str(exc)
    return "", ""


def rings_from_config(doc: Mapping[str, Any], bake: timedelta = DEFAULT_BAKE) -> RingConfig | None:
    """The rings of a configuration document (None when it defines none)::

    app-label: app.kubernetes.io/name  # optional: group rollouts by this label, not by name
    ring-bake: 10m                     # optional: each ring's bake unless it says otherwise
    rings:
      - name: canary                   # optional (default: its contexts joined with +)
        contexts: [east]
        namespaces: [shop]             # optional: only these namespaces of those contexts
        bake: 15m                      # optional
      - contexts: [west, north]
    """
    app_label = doc.get("app-label") or ""
    if not isinstance(app_label, str):
        raise RingError("app-label: a label key, e.g. app.kubernetes.io/name")
    default = _bake(doc.get("ring-bake"), "ring-bake") if doc.get("ring-bake") is not None else bake
    entries = doc.get("rings")
    if entries is None or entries == []:
        return None
    if not isinstance(entries, list):
        raise RingError("rings: a list of rings, each with its contexts")
    rings = tuple(_ring_from(entry, index, default) for index, entry in enumerate(entries))
    seen: dict[str, int] = {}
    for index, ring in enumerate(rings):
        for context in ring.contexts:
            if context in seen and not (ring.namespaces and rings[seen[context]].namespaces):
                raise RingError(f"rings[{index}]: context {context!r} is in ring {seen[context]} already")
            seen.setdefault(context, index)
    return RingConfig(rings, app_label)


def _ring_from(entry: Any, index: int, bake: timedelta) -> Ring:
    where = f"rings[{index}]"
    if not isinstance(entry, Mapping):
        raise RingError(f"{where}: a mapping with contexts (and name, namespaces, bake)")
    unknown = set(entry) - {"name", "contexts", "namespaces", "bake"}
    if unknown:
        raise RingError(f"{where}: unknown key {sorted(unknown)[0]!r} (name, contexts, namespaces, bake)")
    contexts = _names(entry.get("contexts"), f"{where}.contexts")
    namespaces: tuple[str, ...] = ()
    if not contexts:
        raise RingError(f"{where}.contexts: at least one context")
    if entry.get("namespaces") is not None:
        namespaces = _names(entry["namespaces"], f"{where}.namespaces")
    name = entry.get("name") or "+".join(contexts)
    if not isinstance(name, str):
        raise RingError(f"{where}.name: a string")
    ring_bake = _bake(entry["bake"], f"{where}.bake") if entry.get("bake") is not None else bake
    return Ring(name, contexts, namespaces, ring_bake)


def _names(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise RingError(f"{where}: a list of names")
    return tuple(value)


def _bake(value: Any, where: str) -> timedelta:
    found = parse_duration(value)
    if found is None or found < timedelta(0):
        raise RingError(f"{where}: a duration such as 10m, 90s or 1h (not {value!r})")
    return found


def choose_rings(
    contexts: Sequence[str],
    *,
    flag: str | None = None,
    bake: timedelta | None = None,
    app_label: str = "",
    file: Mapping[str, Any] | None = None,
    known: Iterable[str] | None = None,
    contexts_named: bool = False,
) -> RingConfig:
    """The rings in force: `--rings` (`flag`), else one ring per `--context` flag in order when
    there are such flags (`contexts_named`), else the configuration file's `rings`, else one ring
    per context. A `--bake` (`bake`) beats the file's bakes, and `--app-label` its app-label (the
    file's app-label and ring-bake hold whichever rings are used); raises RingError."""
    file = {**(file or {}), "rings": []} if contexts_named else (file or {})
    file_label = file.get("app-label") or ""
    label = app_label or (file_label if isinstance(file_label, str) else "")
    if flag:
        return parse_rings(flag, bake or _file_bake(file), known, label)
    from_file = rings_from_config(file)
    if from_file is not None:
        if bake is not None:
            from_file = RingConfig(tuple(replace(r, bake=bake) for r in from_file.rings), from_file.app_label)
        return replace(from_file, app_label=label) if app_label else from_file
    return default_rings(contexts, bake or _file_bake(file), label)


def _file_bake(file: Mapping[str, Any]) -> timedelta:
    return _bake(file["ring-bake"], "ring-bake") if file.get("ring-bake") is not None else DEFAULT_BAKE
