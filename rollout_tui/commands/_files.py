"""Reading a manifest the way the plugin's lint and create commands do (os.ReadFile, then
go-yaml documents), with Go's error wording, so ``Error:`` lines match the plugin's."""

from __future__ import annotations

import errno
import os
from typing import Any

import yaml

from rollout_tui.commands import PluginError

_STRERROR = {
    errno.ENOENT: "no such file or directory",
    errno.EACCES: "permission denied",
    errno.EISDIR: "is a directory",
    errno.ENOTDIR: "not a directory",
}
MAX_BYTES = 64 * 1024 * 1024


def read_file(path: str) -> str:
    """The file's text; PluginError ``open PATH: no such file or directory`` (Go's *PathError)."""
    try:
        if os.path.isdir(path):
            raise IsADirectoryError(errno.EISDIR, "is a directory")
        if os.path.getsize(path) > MAX_BYTES:
            raise PluginError(f"read {path}: file too large")
        with open(path, encoding="utf-8-sig", errors="surrogateescape") as fh:
            return fh.read()
    except OSError as exc:
        op = "read" if exc.errno == errno.EISDIR else "open"
        reason = _STRERROR.get(exc.errno or 0, (exc.strerror or str(exc)).lower())
        raise PluginError(f"{op} {path}: {reason}") from None


def yaml_documents(text: str) -> list[Any]:
    """Every document, empty ones as None; PluginError ``yaml: line N: ...`` like go-yaml."""
    from rollout_tui.manifests import YAML_LOADER

    try:
        return list(yaml.load_all(text, Loader=YAML_LOADER))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise PluginError(f"yaml: {where}{problem}") from None
    except RecursionError:
        raise PluginError("yaml: exceeded max depth") from None
