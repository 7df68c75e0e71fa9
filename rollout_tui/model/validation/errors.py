"""Field errors worded as Kubernetes words them (k8s.io/apimachinery/pkg/util/validation/field).

``FieldError.body()`` is ``ErrorBody()`` (what ``kubectl argo rollouts lint`` prints per error) and
``str(error)`` is ``Error()`` (``<field>: <body>``, what it prints after ``Error:``). Bad values are
rendered the way Go renders them: numbers and booleans with ``%v``, strings with ``%q``, anything
else as JSON.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from enum import Enum
from typing import Any


class ErrorType(Enum):
    NOT_FOUND = "Not found"
    REQUIRED = "Required value"
    DUPLICATE = "Duplicate value"
    INVALID = "Invalid value"
    NOT_SUPPORTED = "Unsupported value"
    FORBIDDEN = "Forbidden"
    TOO_LONG = "Too long"
    INTERNAL = "Internal error"


# Types whose body never shows the value (field.Error.ErrorBody).
_VALUELESS = (ErrorType.REQUIRED, ErrorType.FORBIDDEN, ErrorType.TOO_LONG, ErrorType.INTERNAL)


@dataclass(frozen=True)
class FieldError:
    type: ErrorType
    field: str
    value: Any = None
    detail: str = ""

    def body(self) -> str:
        text = self.type.value
        if self.type not in _VALUELESS:
            text += f": {go_value(self.value)}"
        return f"{text}: {self.detail}" if self.detail else text

    def __str__(self) -> str:
        return f"{self.field}: {self.body()}"


def required(path: str, detail: str = "") -> FieldError:
    return FieldError(ErrorType.REQUIRED, path, "", detail)


def invalid(path: str, value: Any, detail: str) -> FieldError:
    return FieldError(ErrorType.INVALID, path, value, detail)


def forbidden(path: str, detail: str) -> FieldError:
    return FieldError(ErrorType.FORBIDDEN, path, "", detail)


def duplicate(path: str, value: Any) -> FieldError:
    return FieldError(ErrorType.DUPLICATE, path, value)


def not_found(path: str, value: Any) -> FieldError:
    return FieldError(ErrorType.NOT_FOUND, path, value)


def internal(path: str, detail: str) -> FieldError:
    return FieldError(ErrorType.INTERNAL, path, None, detail)


def not_supported(path: str, value: Any, supported: list[str]) -> FieldError:
    detail = "supported values: " + ", ".join(go_quote(v) for v in supported) if supported else ""
    return FieldError(ErrorType.NOT_SUPPORTED, path, value, detail)


def struct_json(value: Any, type_ref: str) -> RawJSON:
    """``value`` marshalled as the Go struct ``type_ref`` of the v1alpha1 schema: its fields in
    declaration order (maps and unknown types with sorted keys)."""
    return RawJSON(go_json(_in_field_order(value, type_ref), sort_keys=False))


def _in_field_order(value: Any, type_ref: str) -> Any:
    from rollout_tui.model.validation.schema import fields

    if isinstance(value, list):
        return [_in_field_order(v, type_ref.removeprefix("[]")) for v in value]
    if not isinstance(value, dict):
        return value
    known = fields("v1alpha1", type_ref) if not type_ref.startswith(("map:", "k8s:")) else None
    if known is None:
        return {k: _in_field_order(value[k], type_ref.removeprefix("map:")) for k in sorted(value)}
    order = {name: (i, kind) for i, (name, kind) in enumerate(known)}
    keys = sorted(value, key=lambda k: (order.get(k, (len(order), ""))[0], k))
    return {k: _in_field_order(value[k], order.get(k, (0, "any"))[1]) for k in keys if value[k] is not None}


def child(path: str, *names: str) -> str:
    return ".".join((path, *names)) if path else ".".join(names)


def index(path: str, i: int) -> str:
    return f"{path}[{i}]"


def key(path: str, name: str) -> str:
    return f"{path}[{name}]"


# --- Go formatting ---------------------------------------------------------------------------


def go_quote(text: str) -> str:
    """strconv.Quote: printable characters as they are, the rest escaped Go's way."""
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch in ('"', "\\"):
            out.append("\\" + ch)
        elif ch in _SHORT_ESCAPES:
            out.append(_SHORT_ESCAPES[ch])
        elif ch.isprintable() and ch != "\u00ad":
            out.append(ch)
        elif code < 0x80:
            out.append(f"\\x{code:02x}")
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


_SHORT_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}


def go_number(value: int | float) -> str:
    """fmt's %v for an int or float64 (strconv 'g' with the shortest exact digits)."""
    if isinstance(value, int):
        return str(value)
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if math.isnan(value):
        return "NaN"
    if value == int(value) and abs(value) < 1e21:
        return str(int(value))
    text = repr(value)
    if "e" in text:
        mantissa, exponent = text.split("e")
        sign = "-" if exponent.startswith("-") else "+"
        text = f"{mantissa}e{sign}{abs(int(exponent)):02d}"
    return text


def go_json(value: Any, sort_keys: bool = True) -> str:
    """encoding/json.Marshal: compact, map keys sorted, HTML characters escaped."""
    text = json.dumps(value, separators=(",", ":"), sort_keys=sort_keys, ensure_ascii=False, default=str)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(raw, escaped)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


class RawJSON(str):
    """A bad value already rendered as Go would marshal it (a struct, in its field order)."""


def go_value(value: Any) -> str:
    if isinstance(value, RawJSON):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return go_number(value)
    if isinstance(value, str):
        return go_quote(value)
    return go_json(value)
