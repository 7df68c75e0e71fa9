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
    except (yaml.YAMLError, RecursionError) as exc:
        raise PluginError(_yaml_error(exc)) from None


def _yaml_error(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "yaml: exceeded max depth"
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    where = f"line {mark.line + 1}: " if mark is not None else ""
    return f"yaml: {where}{problem}"


def is_json(text: str) -> bool:
    """cmd/create/create.go isJSON: the first non-space character is '{'."""
    stripped = text.lstrip()
    return stripped.startswith("{")


def decode_object(text: str, type_ref: str | None = None) -> dict[str, Any]:
    """create.go's ``unmarshal``: JSON through a strict json.Decoder, YAML (its first document)
    through sigs.k8s.io/yaml.UnmarshalStrict. Without ``type_ref``, into an Unstructured (which
    needs a kind); with one, strictly into that API type. PluginError with Go's message."""
    import json

    from rollout_tui.kube.schemas import core_fields
    from rollout_tui.model.validation.decode import DecodeError, Decoder
    from rollout_tui.model.validation.errors import go_json

    json_input = is_json(text)
    if json_input:
        try:
            value = json.loads(text)
        except ValueError as exc:
            raise PluginError(f"invalid character in JSON: {exc}") from None
        wrap = ""
    else:
        value = _first_document(text)
        wrap = "error unmarshaling JSON: while decoding JSON: "
    if not isinstance(value, dict):
        kind = "null" if value is None else "array" if isinstance(value, list) else "string"
        raise PluginError(
            f"{wrap}json: cannot unmarshal {kind} into Go value of type map[string]interface {{}}"
        )
    if not value.get("kind"):
        raise PluginError(f"{wrap}Object 'Kind' is missing in '{go_json(value)}'")
    if type_ref is None:
        return value
    try:
        return Decoder(core_fields, sort_keys=not json_input).decode(value, type_ref)
    except DecodeError as exc:
        raise PluginError(f"{wrap}{exc}") from None


def _first_document(text: str) -> Any:
    """sigs.k8s.io/yaml reads one document: the first (later ones are not even parsed)."""
    from rollout_tui.manifests import YAML_LOADER

    try:
        return next(iter(yaml.load_all(text, Loader=YAML_LOADER)), None)
    except (yaml.YAMLError, RecursionError) as exc:
        raise PluginError(f"error converting YAML to JSON: {_yaml_error(exc)}") from None
