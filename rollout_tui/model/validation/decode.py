"""Strict decoding of a manifest into the API types, as ``sigs.k8s.io/yaml.UnmarshalStrict`` with
``DisallowUnknownFields`` does for ``kubectl argo rollouts lint`` and ``create``.

Go's encoding/json walks the object keys in the order ``sigs.k8s.io/yaml`` wrote them (sorted),
matches field names exactly or else case-insensitively, and keeps only the first unknown-field or
type error while it goes on; an error from a type's own UnmarshalJSON (IntOrString, Time) stops
it at once. ``decode`` reproduces that order and those messages, and returns the object with field
names as the API spells them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from rollout_tui.model.validation.errors import go_number, go_quote
from rollout_tui.model.validation.schema import fields

# A resolver for ``k8s:<model>`` types: the model's (json name, type) pairs, or None if unknown.
K8sResolver = Callable[[str], "tuple[tuple[str, str], ...] | None"]

_INT_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1), "uint32": (0, 2**32 - 1)}
_INT_RANGES["int"] = _INT_RANGES["int64"]
# kubernetes client model names: V1PodSpec, CoreV1ResourceClaim, V1beta1X -> Go v1.PodSpec ...
_K8S_MODEL = re.compile(r"^(?:[A-Z][a-z]+)*?(V\d+(?:alpha\d+|beta\d+)?)([A-Z]\w*)$")


class DecodeError(Exception):
    """The decoder's message, e.g. ``json: unknown field "unknown-strategy"``."""


class _Abort(Exception):
    pass


def go_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


class Decoder:
    def __init__(self, k8s: K8sResolver | None = None, strict: bool = True, sort_keys: bool = True) -> None:
        """``sort_keys``: walk keys sorted (YAML through sigs.k8s.io/yaml) or as written (JSON)."""
        self.k8s = k8s or (lambda name: None)
        self.strict = strict
        self.sort_keys = sort_keys
        self.first: str | None = None

    def decode(self, value: Any, type_ref: str) -> Any:
        """The value with canonical field names; DecodeError with Go's message on the first error."""
        self.first = None
        try:
            result = self._value(value, type_ref, "", [])
        except _Abort as stop:
            raise DecodeError(str(stop)) from None
        if self.first is not None:
            raise DecodeError(self.first)
        return result

    # --- types ---------------------------------------------------------------------------------
    def _struct_fields(self, type_ref: str) -> tuple[tuple[str, str], ...] | None:
        table, _, name = type_ref.rpartition(":")
        if table == "k8s":
            return self.k8s(name)
        return fields(table or "v1alpha1", name)

    def go_name(self, type_ref: str) -> str:
        if type_ref.startswith("[]"):
            return "[]" + self.go_name(type_ref[2:])
        if type_ref.startswith("map:"):
            return "map[string]" + self.go_name(type_ref[4:])
        table, _, name = type_ref.rpartition(":")
        if table == "k8s":
            match = _K8S_MODEL.match(name)
            return f"{match.group(1).lower()}.{match.group(2)}" if match else name
        if table in ("legacy", "istio"):
            return f"{'v1beta1' if table == 'legacy' else 'istio'}.{name}"
        if type_ref in ("string", "bool", "float64") or type_ref in _INT_RANGES:
            return type_ref
        return f"v1alpha1.{type_ref}"

    # --- values --------------------------------------------------------------------------------
    def _save(self, message: str) -> None:
        if self.first is None:
            self.first = message

    def _mismatch(self, what: str, type_ref: str, struct: str, path: list[str]) -> str:
        target = self.go_name(type_ref)
        if struct:
            return f"json: cannot unmarshal {what} into Go struct field {struct}.{'.'.join(path)} of type {target}"
        return f"json: cannot unmarshal {what} into Go value of type {target}"

    def _value(self, value: Any, type_ref: str, struct: str, path: list[str]) -> Any:
        if value is None or type_ref in ("any", "quantity"):
            return value
        if type_ref == "intorstr":
            if isinstance(value, str) or (isinstance(value, int | float) and not isinstance(value, bool)):
                return self._int_or_string(value, struct, path)
            raise _Abort(self._mismatch(go_kind(value), "int32", struct, path))
        if type_ref == "time":
            if not isinstance(value, str):
                raise _Abort(self._mismatch(go_kind(value), "string", struct, path))
            return value
        if type_ref.startswith("[]"):
            if not isinstance(value, list):
                self._save(self._mismatch(go_kind(value), type_ref, struct, path))
                return value
            return [self._value(item, type_ref[2:], struct, path) for item in value]
        if type_ref.startswith("map:"):
            if not isinstance(value, Mapping):
                self._save(self._mismatch(go_kind(value), type_ref, struct, path))
                return value
            return {k: self._value(v, type_ref[4:], struct, path) for k, v in self._items(value)}
        return self._scalar_or_struct(value, type_ref, struct, path)

    def _scalar_or_struct(self, value: Any, type_ref: str, struct: str, path: list[str]) -> Any:
        if type_ref == "string":
            ok = isinstance(value, str)
        elif type_ref == "bool":
            ok = isinstance(value, bool)
        elif type_ref == "float64":
            ok = isinstance(value, int | float) and not isinstance(value, bool)
        elif type_ref in _INT_RANGES:
            return self._int(value, type_ref, struct, path)
        else:
            return self._struct(value, type_ref, struct, path)
        if not ok:
            self._save(self._mismatch(go_kind(value), type_ref, struct, path))
        return value

    def _int(self, value: Any, type_ref: str, struct: str, path: list[str]) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self._save(self._mismatch(go_kind(value), type_ref, struct, path))
            return value
        low, high = _INT_RANGES[type_ref]
        if (isinstance(value, float) and not value.is_integer()) or not low <= value <= high:
            self._save(self._mismatch(f"number {go_number(value)}", type_ref, struct, path))
            return value
        return int(value)

    def _int_or_string(self, value: Any, struct: str, path: list[str]) -> Any:
        if isinstance(value, str):
            return value
        if (isinstance(value, float) and not value.is_integer()) or not -(2**31) <= value < 2**31:
            raise _Abort(self._mismatch(f"number {go_number(value)}", "int32", struct, path))
        return int(value)

    def _struct(self, value: Any, type_ref: str, struct: str, path: list[str]) -> Any:
        known = self._struct_fields(type_ref)
        if known is None:
            return value  # a type we have no shape for: accepted as it is
        if not isinstance(value, Mapping):
            self._save(self._mismatch(go_kind(value), type_ref, struct, path))
            return value
        flat = self._flatten(known)
        name = self.go_name(type_ref).rpartition(".")[2]
        out: dict[str, Any] = {}
        for raw_key, item in self._items(value):
            key = str(raw_key)
            match = flat.get(key) or next((f for k, f in flat.items() if k.lower() == key.lower()), None)
            if match is None:
                if self.strict:
                    self._save(f"json: unknown field {go_quote(key)}")
                continue
            field_name, field_type = match
            out[field_name] = self._value(item, field_type, name, [*path, field_name])
        return out

    def _items(self, value: Mapping[Any, Any]) -> list[tuple[Any, Any]]:
        return sorted(value.items(), key=_key) if self.sort_keys else list(value.items())

    def _flatten(self, known: tuple[tuple[str, str], ...]) -> dict[str, tuple[str, str]]:
        flat: dict[str, tuple[str, str]] = {}
        for field_name, field_type in known:
            if field_name == "...":
                flat.update(self._flatten(self._struct_fields(field_type) or ()))
            else:
                flat[field_name] = (field_name, field_type)
        return flat


def _key(item: tuple[Any, Any]) -> str:
    return str(item[0])
