"""ExtractFieldPathAsString of k8s.io/kubernetes/pkg/fieldpath: the metadata a downward-API
``fieldRef`` may name (what analysis arguments with ``valueFrom.fieldRef`` resolve)."""

from __future__ import annotations

from typing import Any

from rollout_tui.model.fields import as_dict, as_str
from rollout_tui.model.validation.names import is_qualified_name


def _split_subscript(path: str) -> tuple[str, str] | None:
    """SplitMaybeSubscriptedPath: ``metadata.labels['key']`` -> (``metadata.labels``, ``key``)."""
    if not path.endswith("']"):
        return None
    head, sep, subscript = path[:-2].partition("['")
    return (head, subscript) if sep and head else None


def _format_map(values: dict[str, Any]) -> str:
    return "\n".join(f'{k}="{as_str(v)}"' for k, v in sorted(values.items()))


def extract_field_path(obj: Any, path: str) -> tuple[str, str | None]:
    """(value, error): the error text the Go function returns, or None."""
    meta = as_dict(as_dict(obj).get("metadata"))
    split = _split_subscript(path)
    if split is not None:
        head, subscript = split
        if head not in ("metadata.annotations", "metadata.labels"):
            return "", f'fieldPath "{path}" does not support subscript'
        checked = subscript.lower() if head == "metadata.annotations" else subscript
        errors = is_qualified_name(checked)
        if errors:
            return "", f"invalid key subscript in {path}: {';'.join(errors)}"
        return as_str(as_dict(meta.get(head.split(".")[1])).get(subscript)), None
    if path in ("metadata.annotations", "metadata.labels"):
        return _format_map(dict(as_dict(meta.get(path.split(".")[1])))), None
    if path in ("metadata.name", "metadata.namespace", "metadata.uid"):
        return as_str(meta.get(path.split(".")[1])), None
    return "", f"unsupported fieldPath: {path}"
