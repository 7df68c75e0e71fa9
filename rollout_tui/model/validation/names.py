"""Name, label and selector rules of k8s.io/apimachinery/pkg/util/validation/validation.go and
pkg/apis/meta/v1/validation/validation.go, with their messages."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from rollout_tui.model.fields import as_list
from rollout_tui.model.validation.errors import (
    ErrorType,
    FieldError,
    child,
    forbidden,
    index,
    invalid,
    required,
)

QNAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
QNAME_MSG = (
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character"
)
LABEL_VALUE_FMT = f"({QNAME_FMT})?"
LABEL_VALUE_MSG = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
    "and must start and end with an alphanumeric character"
)
DNS_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
DNS_LABEL_MSG = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must "
    "start and end with an alphanumeric character"
)
DNS_SUBDOMAIN_FMT = DNS_LABEL_FMT + "(\\." + DNS_LABEL_FMT + ")*"
DNS_SUBDOMAIN_MSG = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
    "and must start and end with an alphanumeric character"
)
_QNAME = re.compile(f"^{QNAME_FMT}$")
_LABEL_VALUE = re.compile(f"^{LABEL_VALUE_FMT}$")
_DNS_LABEL = re.compile(f"^{DNS_LABEL_FMT}$")
_DNS_SUBDOMAIN = re.compile(f"^{DNS_SUBDOMAIN_FMT}$")
_PORT_NAME_CHARS = re.compile("^[-a-z0-9]+$")
_PORT_NAME_LETTER = re.compile("[a-z]")


def max_len_error(length: int) -> str:
    return f"must be no more than {length} characters"


def regex_error(message: str, fmt: str, *examples: str) -> str:
    if not examples:
        return f"{message} (regex used for validation is '{fmt}')"
    shown = " or ".join(f"'{e}', " for e in examples)
    return f"{message} (e.g. {shown}regex used for validation is '{fmt}')"


def inclusive_range_error(low: int, high: int) -> str:
    return f"must be between {low} and {high}, inclusive"


def is_dns1123_subdomain(value: str) -> list[str]:
    errs = [max_len_error(253)] if len(value) > 253 else []
    if not _DNS_SUBDOMAIN.match(value):
        errs.append(regex_error(DNS_SUBDOMAIN_MSG, DNS_SUBDOMAIN_FMT, "example.com"))
    return errs


def is_dns1123_label(value: str) -> list[str]:
    errs = [max_len_error(63)] if len(value) > 63 else []
    if not _DNS_LABEL.match(value):
        if _DNS_SUBDOMAIN.match(value):
            errs.append("must not contain dots")
        else:
            errs.append(regex_error(DNS_LABEL_MSG, DNS_LABEL_FMT, "my-name", "123-abc"))
    return errs


def is_qualified_name(value: str) -> list[str]:
    parts = value.split("/")
    errs: list[str] = []
    if len(parts) > 2:
        return [
            "a qualified name "
            + regex_error(QNAME_MSG, QNAME_FMT, "MyName", "my.name", "123-abc")
            + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
        ]
    name = parts[-1]
    if len(parts) == 2:
        if not parts[0]:
            errs.append("prefix part must be non-empty")
        else:
            errs += ["prefix part " + m for m in is_dns1123_subdomain(parts[0])]
    if not name:
        errs.append("name part must be non-empty")
    elif len(name) > 63:
        errs.append("name part " + max_len_error(63))
    if not _QNAME.match(name):
        errs.append("name part " + regex_error(QNAME_MSG, QNAME_FMT, "MyName", "my.name", "123-abc"))
    return errs


def is_valid_label_value(value: str) -> list[str]:
    errs = [max_len_error(63)] if len(value) > 63 else []
    if not _LABEL_VALUE.match(value):
        errs.append(regex_error(LABEL_VALUE_MSG, LABEL_VALUE_FMT, "MyValue", "my_value", "12345"))
    return errs


def is_valid_port_num(port: int) -> list[str]:
    return [] if 1 <= port <= 65535 else [inclusive_range_error(1, 65535)]


def is_valid_port_name(port: str) -> list[str]:
    errs = [max_len_error(15)] if len(port) > 15 else []
    if not _PORT_NAME_CHARS.match(port):
        errs.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
    if not _PORT_NAME_LETTER.search(port):
        errs.append("must contain at least one letter (a-z)")
    if "--" in port:
        errs.append("must not contain consecutive hyphens")
    if port and (port[0] == "-" or port[-1] == "-"):
        errs.append("must not begin or end with a hyphen")
    return errs


def validate_dns_label(value: str, path: str) -> list[FieldError]:
    return [invalid(path, value, msg) for msg in is_dns1123_label(value)]


def validate_labels(labels: Any, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for name, value in sorted(_stringas_dict(labels).items()):
        errs += [invalid(path, name, msg) for msg in is_qualified_name(name)]
        errs += [invalid(path, value, msg) for msg in is_valid_label_value(value)]
    return errs


def validate_annotations(annotations: Any, path: str) -> list[FieldError]:
    """ValidateAnnotations: keys are qualified names (checked lower-cased), 256 KiB in total."""
    values = _stringas_dict(annotations)
    errs = [invalid(path, name, msg) for name in sorted(values) for msg in is_qualified_name(name.lower())]
    total = sum(len(k.encode()) + len(v.encode()) for k, v in values.items())
    if total > 256 * 1024:
        errs.append(FieldError(ErrorType.TOO_LONG, path, None, "may not be more than 262144 bytes"))
    return errs


def _stringas_dict(value: Any) -> dict[str, str]:
    if not isinstance(value, Mapping):
        return {}
    return {str(k): v if isinstance(v, str) else str(v) for k, v in value.items()}


# --- label selectors -------------------------------------------------------------------------

OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")


def validate_label_selector(selector: Any, path: str) -> list[FieldError]:
    """ValidateLabelSelector with default options."""
    if not isinstance(selector, Mapping):
        return []
    errs = validate_labels(selector.get("matchLabels"), child(path, "matchLabels"))
    for i, expr in enumerate(as_list(selector.get("matchExpressions"))):
        errs += _requirement_errors(
            expr if isinstance(expr, Mapping) else {}, index(child(path, "matchExpressions"), i)
        )
    return errs


def _requirement_errors(expr: Mapping[str, Any], path: str) -> list[FieldError]:
    operator, values = expr.get("operator") or "", as_list(expr.get("values"))
    errs: list[FieldError] = []
    if operator in ("In", "NotIn"):
        if not values:
            errs.append(
                required(child(path, "values"), "must be specified when `operator` is 'In' or 'NotIn'")
            )
    elif operator in ("Exists", "DoesNotExist"):
        if values:
            errs.append(
                forbidden(
                    child(path, "values"),
                    "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                )
            )
    else:
        errs.append(invalid(child(path, "operator"), operator, "not a valid selector operator"))
    key_name = str(expr.get("key") or "")
    errs += [invalid(child(path, "key"), key_name, msg) for msg in is_qualified_name(key_name)]
    for i, value in enumerate(values):
        errs += [invalid(index(child(path, "values"), i), value, m) for m in is_valid_label_value(str(value))]
    return errs


def selector_error(selector: Any) -> bool:
    """Whether metav1.LabelSelectorAsSelector would fail on ``selector`` (a non-nil mapping)."""
    if not isinstance(selector, Mapping):
        return False
    for name, value in _stringas_dict(selector.get("matchLabels")).items():
        if is_qualified_name(name) or is_valid_label_value(value):
            return True
    for expr in as_list(selector.get("matchExpressions")):
        expr = expr if isinstance(expr, Mapping) else {}
        operator, values = expr.get("operator"), as_list(expr.get("values"))
        if operator not in OPERATORS or (operator in ("In", "NotIn")) != bool(values):
            return True
        if is_qualified_name(str(expr.get("key") or "")) or any(is_valid_label_value(str(v)) for v in values):
            return True
    return False


def selector_matches(selector: Any, labels: Any) -> bool | None:
    """labels.Selector.Matches; None for an empty selector (matches everything: Empty() is true).
    A missing selector (nil) matches nothing, as LabelSelectorAsSelector(nil) is labels.Nothing()."""
    if not isinstance(selector, Mapping):
        return False
    match_labels = _stringas_dict(selector.get("matchLabels"))
    expressions = [e for e in as_list(selector.get("matchExpressions")) if isinstance(e, Mapping)]
    if not match_labels and not expressions:
        return None
    have = _stringas_dict(labels)
    if any(have.get(k) != v for k, v in match_labels.items()):
        return False
    for expr in expressions:
        name, values = str(expr.get("key") or ""), [str(v) for v in as_list(expr.get("values"))]
        present = name in have
        operator = expr.get("operator")
        if operator == "In" and not (present and have[name] in values):
            return False
        if operator == "NotIn" and present and have[name] in values:
            return False
        if operator == "Exists" and not present:
            return False
        if operator == "DoesNotExist" and present:
            return False
    return True
