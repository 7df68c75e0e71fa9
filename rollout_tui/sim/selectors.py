"""Label and field selectors with the API server's grammar and error messages."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from rollout_tui.sim.errors import bad_request

# Label keys: optional DNS prefix + "/" + name; values: up to 63 chars of [A-Za-z0-9._-].
_KEY_RE = re.compile(r"^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")
_VALUE_RE = re.compile(r"^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$")
_TOKEN_RE = re.compile(r"\s*(!=|==|=|\(|\)|,|!|[^\s!=(),]+)")


@dataclass(frozen=True)
class Requirement:
    key: str
    op: str  # "=", "!=", "in", "notin", "exists", "!"
    values: tuple[str, ...] = ()

    def matches(self, labels: Mapping[str, str]) -> bool:
        present = self.key in labels
        if self.op == "exists":
            return present
        if self.op == "!":
            return not present
        if self.op in ("=", "in"):
            return present and labels[self.key] in self.values
        # "!=" and "notin" match objects lacking the key, as in Kubernetes.
        return not present or labels[self.key] not in self.values


@dataclass(frozen=True)
class LabelSelector:
    requirements: tuple[Requirement, ...]

    def matches(self, labels: Mapping[str, str] | None) -> bool:
        labels = labels or {}
        return all(r.matches(labels) for r in self.requirements)


def _tokens(text: str) -> list[str]:
    tokens: list[str] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN_RE.match(text, pos)
        if not m:  # pragma: no cover - the pattern accepts any non-space character
            raise bad_request(f"unable to parse requirement: {text[pos:]!r}")
        tokens.append(m.group(1))
        pos = m.end()
    return tokens


def _check_key(key: str) -> str:
    if not _KEY_RE.match(key) or len(key.rsplit("/", 1)[-1]) > 63:
        raise bad_request(
            f'unable to parse requirement: <nil>: Invalid value: "{key}": name part must '
            "consist of alphanumeric characters, '-', '_' or '.', and must start and end "
            "with an alphanumeric character"
        )
    return key


def _check_value(value: str) -> str:
    if not _VALUE_RE.match(value) or len(value) > 63:
        raise bad_request(
            f'unable to parse requirement: values[0]: Invalid value: "{value}": a valid '
            "label must be an empty string or consist of alphanumeric characters, '-', "
            "'_' or '.', and must start and end with an alphanumeric character"
        )
    return value


def parse_label_selector(text: str | None) -> LabelSelector | None:
    """Parse ``app in (a,b),tier!=db,!legacy``; None for an empty selector (matches all)."""
    if text is None or not text.strip():
        return None
    toks = _tokens(text)
    reqs: list[Requirement] = []
    i = 0

    def expect(tok: str) -> None:
        nonlocal i
        if i >= len(toks) or toks[i] != tok:
            found = toks[i] if i < len(toks) else "end of string"
            raise bad_request(f"unable to parse requirement: found '{found}', expected: '{tok}'")
        i += 1

    while i < len(toks):
        if toks[i] == "!":
            i += 1
            if i >= len(toks) or toks[i] in ",()!=":
                raise bad_request("unable to parse requirement: found '!', expected: identifier")
            reqs.append(Requirement(_check_key(toks[i]), "!"))
            i += 1
        else:
            key = toks[i]
            if key in ",()=!=":
                raise bad_request(f"unable to parse requirement: found '{key}', expected: identifier")
            _check_key(key)
            i += 1
            if i >= len(toks) or toks[i] == ",":
                reqs.append(Requirement(key, "exists"))
            elif toks[i] in ("=", "==", "!="):
                op = "!=" if toks[i] == "!=" else "="
                i += 1
                value = ""
                if i < len(toks) and toks[i] not in ",()":
                    value = toks[i]
                    i += 1
                reqs.append(Requirement(key, op, (_check_value(value),)))
            elif toks[i] in ("in", "notin"):
                op = toks[i]
                i += 1
                expect("(")
                values: list[str] = []
                while i < len(toks) and toks[i] != ")":
                    if toks[i] == ",":
                        i += 1
                        continue
                    values.append(_check_value(toks[i]))
                    i += 1
                expect(")")
                if not values:
                    raise bad_request(
                        "unable to parse requirement: for 'in', 'notin' operators, values set can't be empty"
                    )
                reqs.append(Requirement(key, op, tuple(values)))
            else:
                raise bad_request(
                    f"unable to parse requirement: found '{toks[i]}', expected: '=', '!=', '==', 'in', notin'"
                )
        if i < len(toks):
            expect(",")
            if i >= len(toks):
                raise bad_request("unable to parse requirement: found '', expected: identifier")
    return LabelSelector(tuple(reqs))


def _lookup(obj: Mapping[str, Any], path: str) -> str:
    cur: Any = obj
    for part in path.split("."):
        cur = cur.get(part) if isinstance(cur, Mapping) else None
    if cur is None:
        return ""
    if isinstance(cur, bool):
        return "true" if cur else "false"
    return str(cur)


FieldSelector = Callable[[Mapping[str, Any]], bool]


def parse_field_selector(text: str | None, allowed: tuple[str, ...] = ()) -> FieldSelector | None:
    """Parse ``metadata.name=x,metadata.namespace!=y``; labels outside metadata.name/namespace
    (and the type's ``allowed`` extras) are refused like the API server does."""
    if text is None or not text.strip():
        return None
    terms: list[tuple[str, bool, str]] = []
    for raw in text.split(","):
        term = raw.strip()
        if not term:
            continue
        op = next((o for o in ("!=", "==", "=") if o in term), None)
        if op is None:
            raise bad_request(f"invalid selector: '{text}'; can't understand '{term}'")
        field, value = term.split(op, 1)
        positive = op != "!="
        field = field.strip()
        if field not in ("metadata.name", "metadata.namespace", *allowed):
            raise bad_request(f"field label not supported: {field}")
        terms.append((field, positive, value.strip()))

    def matches(obj: Mapping[str, Any]) -> bool:
        return all((_lookup(obj, f) == v) == positive for f, positive, v in terms)

    return matches


def compile_selectors(
    field_labels: tuple[str, ...],
    label_selector: str | LabelSelector | None,
    field_selector: str | FieldSelector | None,
) -> tuple[LabelSelector | None, FieldSelector | None]:
    """Parse selectors given as text (already parsed ones pass through); ``field_labels`` are the
    type's extra field labels."""
    labels = parse_label_selector(label_selector) if isinstance(label_selector, str) else label_selector
    fields = (
        parse_field_selector(field_selector, field_labels)
        if isinstance(field_selector, str)
        else field_selector
    )
    return labels, fields
