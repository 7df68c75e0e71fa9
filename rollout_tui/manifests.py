"""Load Kubernetes objects from YAML/JSON files or directories (`-f`): dumps, bundles, examples.

Accepts multi-document YAML, JSON, `kind: List` and typed lists (`RolloutList` from the raw API,
whose items carry no kind). Problems with the input are reported as one-line ManifestErrors;
documents that are not objects are skipped with a warning on the returned ObjectSet.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from rollout_tui.model.objects import ObjectSet

SUFFIXES = (".yaml", ".yml", ".json")
MAX_FILE_BYTES = 256 * 1024 * 1024  # refuse to read absurd files into memory


class ManifestError(Exception):
    """The input cannot be used; the message is one line for the operator."""


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """SafeLoader that keeps timestamps as strings, as the API server's JSON would."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


# For commands that read files the plugin's way (lint, create): the same YAML semantics.
YAML_LOADER = _Loader


def load_objects(path: str | os.PathLike[str]) -> ObjectSet:
    """Every object under `path` (a file, or a directory searched recursively).

    A broken file named directly is an error; inside a directory it is skipped with a warning.
    """
    root = Path(path)
    objects = ObjectSet()
    if not root.exists():
        raise ManifestError(f"{root}: no such file or directory")
    files = [root] if root.is_file() else list(_manifest_files(root))
    if not files:
        raise ManifestError(f"{root}: no .yaml, .yml or .json files found")
    for file in files:
        try:
            documents = _documents(file)
        except ManifestError as exc:
            if file is root:
                raise
            # One broken file in a support bundle must not hide the rest of it.
            objects.warnings.append(f"skipped {exc}")
            continue
        for document in documents:
            for obj in _expand(document):
                if isinstance(obj, dict):
                    objects.add(obj)
                elif obj is not None:
                    objects.warnings.append(f"{file}: skipped a document that is not an object")
    if not len(objects) and objects.warnings:
        raise ManifestError(f"{root}: no readable objects ({objects.warnings[0]})")
    return objects


def _manifest_files(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.endswith(SUFFIXES) and not name.startswith("."):
                yield Path(dirpath) / name


def _documents(file: Path) -> list[Any]:
    try:
        if file.stat().st_size > MAX_FILE_BYTES:
            raise ManifestError(f"{file}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
        text = file.read_text(encoding="utf-8-sig")
    except ManifestError:
        raise
    except UnicodeDecodeError:
        raise ManifestError(f"{file}: not UTF-8 text") from None
    except OSError as exc:
        raise ManifestError(f"{file}: {exc.strerror or exc}") from None
    if file.suffix == ".json":
        try:
            return [json.loads(text)]
        except RecursionError:
            raise ManifestError(f"{file}: JSON nested too deeply") from None
        except ValueError as exc:
            # Some tools write YAML into .json files; YAML is a superset, so try it before giving up.
            try:
                return _yaml_documents(text, file)
            except ManifestError:
                raise ManifestError(f"{file}: invalid JSON: {exc}") from None
    return _yaml_documents(text, file)


def _yaml_documents(text: str, file: Path) -> list[Any]:
    try:
        return list(yaml.load_all(text, Loader=_Loader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ManifestError(f"{file}: invalid YAML{where}: {problem}") from None
    except RecursionError:
        raise ManifestError(f"{file}: YAML nested too deeply") from None


def _expand(document: Any) -> Iterator[Any]:
    """A List's items (typed lists give their items the element kind), else the document."""
    if isinstance(document, dict):
        kind = document.get("kind")
        items = document.get("items")
        if isinstance(kind, str) and kind.endswith("List") and isinstance(items, list):
            item_kind = kind[: -len("List")]
            for item in items:
                if isinstance(item, dict) and not item.get("kind") and item_kind:
                    item = {"kind": item_kind, "apiVersion": document.get("apiVersion"), **item}
                yield from _expand(item)
            return
    yield document
