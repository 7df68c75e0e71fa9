"""Read Kubernetes objects from manifest files to seed the simulator (``--load``)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml

from rollout_tui.sim.errors import ApiError
from rollout_tui.sim.resources import by_kind
from rollout_tui.sim.store import Store

_SUFFIXES = (".yaml", ".yml", ".json")


class LoadError(Exception):
    """A manifest that cannot be read or stored; the message names the file."""


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in _SUFFIXES)
    if path.is_file():
        return [path]
    raise LoadError(f"{path}: no such file or directory")


def _flatten(doc: Any) -> Iterator[dict[str, Any]]:
    if isinstance(doc, dict):
        if isinstance(doc.get("items"), list) and str(doc.get("kind", "")).endswith("List"):
            for item in doc["items"]:
                yield from _flatten(item)
        elif doc.get("kind"):
            yield doc


def _describe(file: Path, exc: Exception) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None)
    if mark is not None and problem:
        return f"{file}:{mark.line + 1}: {problem}"
    return f"{file}: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"


def read_objects(paths: Iterable[str | Path], warnings: list[str] | None = None) -> list[dict[str, Any]]:
    """Every object in the files (multi-document YAML, JSON, ``kind: List``), in order.

    A file named explicitly must parse (LoadError otherwise); inside a directory, files that do
    not parse (templates, say) are skipped with a message appended to ``warnings``.
    """
    objects: list[dict[str, Any]] = []
    for raw_path in paths:
        path = Path(raw_path)
        for file in _files(path):
            try:
                text = file.read_text(encoding="utf-8")
                docs = [json.loads(text)] if file.suffix == ".json" else list(yaml.safe_load_all(text))
            except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError) as exc:
                if file == path or warnings is None:
                    raise LoadError(_describe(file, exc)) from None
                warnings.append(f"skipped {_describe(file, exc)}")
                continue
            for doc in docs:
                objects.extend(_flatten(doc))
    return objects


def seed(store: Store, paths: Iterable[str | Path], warnings: list[str] | None = None) -> int:
    """Store the manifests' objects as they are (status and uids kept); kinds the simulator does
    not serve are skipped. Returns how many objects were stored."""
    objects = []
    for obj in read_objects(paths, warnings):
        try:
            by_kind(str(obj.get("kind")))
        except KeyError:
            continue
        objects.append(obj)
    try:
        return store.load(objects)
    except ApiError as exc:
        raise LoadError(exc.message) from None
