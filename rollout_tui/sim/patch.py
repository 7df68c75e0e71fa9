"""JSON merge patch (RFC 7386) and JSON Patch (RFC 6902), applied to copies.

Both functions return a new document and never modify their input, so a failing operation half
way through a JSON Patch leaves nothing applied: the patch is rejected whole.
"""

from __future__ import annotations

import copy
from typing import Any

from rollout_tui.sim.errors import ApiError
from rollout_tui.sim.strategic import strategic_merge

MERGE_PATCH = "application/merge-patch+json"
JSON_PATCH = "application/json-patch+json"
STRATEGIC_PATCH = "application/strategic-merge-patch+json"
APPLY_PATCH = "application/apply-patch+yaml"
ACCEPTED_PATCH_TYPES = (JSON_PATCH, MERGE_PATCH)


def merge_patch(target: Any, patch: Any) -> Any:
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def _json_equal(a: Any, b: Any) -> bool:
    """JSON equality: unlike Python's, ``true`` is not ``1`` and ``1`` equals ``1.0``."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_json_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_json_equal(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


class _PatchFailure(Exception):
    pass


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def _split(pointer: Any) -> list[str]:
    if not isinstance(pointer, str):
        raise _PatchFailure(f"invalid JSON pointer {pointer!r}")
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise _PatchFailure(f'JSON pointer "{pointer}" must start with "/"')
    return [_unescape(t) for t in pointer[1:].split("/")]


def _index(container: list[Any], token: str, *, allow_end: bool) -> int:
    if allow_end and token == "-":
        return len(container)
    if not token.isdigit() or (token != "0" and token.startswith("0")):
        raise _PatchFailure(f"invalid array index {token!r}")
    idx = int(token)
    limit = len(container) if allow_end else len(container) - 1
    if idx > limit:
        raise _PatchFailure(f"array index {idx} out of bounds")
    return idx


def _parent(doc: Any, tokens: list[str], path: str) -> Any:
    cur = doc
    for token in tokens[:-1]:
        if isinstance(cur, dict):
            if token not in cur:
                raise _PatchFailure(f'path "{path}" not found: missing key "{token}"')
            cur = cur[token]
        elif isinstance(cur, list):
            cur = cur[_index(cur, token, allow_end=False)]
        else:
            raise _PatchFailure(f'path "{path}" not found')
    return cur


def _target(doc: Any, path: Any) -> tuple[Any, str] | None:
    """The container the pointer's last token is in, and that token; None for the whole document."""
    tokens = _split(path)
    return (_parent(doc, tokens, path), tokens[-1]) if tokens else None


def _get(doc: Any, path: Any) -> Any:
    target = _target(doc, path)
    if target is None:
        return doc
    parent, last = target
    if isinstance(parent, dict):
        if last not in parent:
            raise _PatchFailure(f'path "{path}" not found')
        return parent[last]
    if isinstance(parent, list):
        return parent[_index(parent, last, allow_end=False)]
    raise _PatchFailure(f'path "{path}" not found')


def _add(doc: Any, path: Any, value: Any) -> Any:
    target = _target(doc, path)
    if target is None:
        return value
    parent, last = target
    if isinstance(parent, dict):
        parent[last] = value
    elif isinstance(parent, list):
        parent.insert(_index(parent, last, allow_end=True), value)
    else:
        raise _PatchFailure(f'path "{path}" not found')
    return doc


def _remove(doc: Any, path: Any) -> tuple[Any, Any]:
    target = _target(doc, path)
    if target is None:
        raise _PatchFailure("cannot remove the whole document")
    parent, last = target
    if isinstance(parent, dict):
        if last not in parent:
            raise _PatchFailure(f"unable to remove nonexistent key: {last}: missing value")
        return doc, parent.pop(last)
    if isinstance(parent, list):
        return doc, parent.pop(_index(parent, last, allow_end=False))
    raise _PatchFailure(f'path "{path}" not found')


def json_patch(target: Any, operations: Any) -> Any:
    """Apply RFC 6902 ``operations``; ApiError 422 (with the failing op) when any op fails."""
    if not isinstance(operations, list):
        raise ApiError(
            400, "BadRequest", "json: cannot unmarshal object into Go value of type jsonpatch.Patch"
        )
    doc = copy.deepcopy(target)
    for n, op in enumerate(operations):
        try:
            if not isinstance(op, dict) or "op" not in op:
                raise _PatchFailure("Unexpected kind: missing op")
            kind, path = op["op"], op.get("path")
            if kind in ("add", "replace", "test") and "value" not in op:
                raise _PatchFailure(f"missing value for {kind} operation")
            if kind == "add":
                doc = _add(doc, path, copy.deepcopy(op["value"]))
            elif kind == "remove":
                doc, _ = _remove(doc, path)
            elif kind == "replace":
                _get(doc, path)  # RFC 6902: the target must exist
                doc, _ = _remove(doc, path) if _split(path) else (doc, None)
                doc = _add(doc, path, copy.deepcopy(op["value"]))
            elif kind == "move":
                from_path = op.get("from")
                if isinstance(from_path, str) and isinstance(path, str) and path.startswith(from_path + "/"):
                    raise _PatchFailure("a value cannot be moved into one of its children")
                doc, value = _remove(doc, from_path)
                doc = _add(doc, path, value)
            elif kind == "copy":
                doc = _add(doc, path, copy.deepcopy(_get(doc, op.get("from"))))
            elif kind == "test":
                actual = _get(doc, path)
                if not _json_equal(actual, op["value"]):
                    raise _PatchFailure(f"testing value {path} failed: test operation failed")
            else:
                raise _PatchFailure(f"Unexpected kind: {kind}")
        except _PatchFailure as exc:
            raise ApiError(
                422,
                "Invalid",
                f"the server rejected our request due to an error in our "
                f"request: operation {n} ({op.get('op') if isinstance(op, dict) else op}): "
                f"{exc}",
            ) from None
    return doc


def unsupported_patch(content_type: str) -> ApiError:
    return ApiError(
        415,
        "UnsupportedMediaType",
        f"the body of the request was in an unknown format - accepted media types include: "
        f"{', '.join(ACCEPTED_PATCH_TYPES)}",
    )


def apply_patch(target: Any, body: Any, content_type: str, *, strategic: bool = False) -> Any:
    """Apply a patch given its media type (parameters such as ``; charset`` are ignored).

    ``strategic`` allows strategic merge patches (built-in kinds only, as on a real server)."""
    media = content_type.split(";", 1)[0].strip().lower()
    if strategic and media == STRATEGIC_PATCH:
        return strategic_merge(target, _object_body(body))
    if media == MERGE_PATCH:
        return merge_patch(target, _object_body(body))
    if media == JSON_PATCH:
        return json_patch(target, body)
    raise unsupported_patch(media)


def _object_body(body: Any) -> dict[str, Any]:
    """A merge patch (JSON or strategic) must be a JSON object, as the API server decodes it."""
    if not isinstance(body, dict):
        raise ApiError(
            400, "BadRequest", "json: cannot unmarshal array into Go value of type map[string]interface {}"
        )
    return body
