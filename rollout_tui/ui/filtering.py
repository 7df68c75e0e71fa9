"""The overview's `/` filter: the Argo Rollouts dashboard search syntax as a pure function.

Syntax (comma-separated terms, like the dashboard):
  ``check``          name (or namespace/name, or context) contains "check", case-insensitive
  ``"checkout"``     name is exactly "checkout"
  ``app:shop``       label ``app`` contains "shop"; ``app:"shop"`` label equals "shop"
  ``!canary``        negation of any of the above (``!"x"``, ``!app:shop``)
A rollout matches when it matches at least one positive term (or there are none) and no
negated term. The dashboard ORs negations with the rest, which makes ``!x`` match almost
everything; excluding is what operators mean by it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    text: str
    exact: bool = False
    label: str | None = None  # label key when the term is ``key:value``
    negated: bool = False


@dataclass(frozen=True)
class Subject:
    """What a filter looks at for one rollout."""

    name: str
    namespace: str = ""
    context: str = ""
    labels: Mapping[str, str] | None = None


def _unquote(text: str) -> tuple[str, bool]:
    if len(text) >= 2 and text.startswith('"') and text.endswith('"'):
        return text[1:-1], True
    return text.replace('"', ""), False


def parse(query: str) -> tuple[Term, ...]:
    terms: list[Term] = []
    for raw in query.split(","):
        term = raw.strip()
        negated = term.startswith("!")
        if negated:
            term = term[1:].strip()
        if not term:
            continue
        label: str | None = None
        if ":" in term and not term.startswith('"'):
            label, term = (part.strip() for part in term.split(":", 1))
        text, exact = _unquote(term)
        terms.append(Term(text=text, exact=exact, label=label, negated=negated))
    return tuple(terms)


def _term_matches(term: Term, subject: Subject) -> bool:
    if term.label is not None:
        value = (subject.labels or {}).get(term.label)
        if not isinstance(value, str):
            return False
        return value == term.text if term.exact else term.text in value
    if term.exact:
        return subject.name == term.text
    needle = term.text.lower()
    haystacks = (subject.name, f"{subject.namespace}/{subject.name}", subject.context)
    return any(needle in hay.lower() for hay in haystacks)


def matches(terms: tuple[Term, ...], subject: Subject) -> bool:
    positive = [t for t in terms if not t.negated]
    if positive and not any(_term_matches(t, subject) for t in positive):
        return False
    return not any(_term_matches(t, subject) for t in terms if t.negated)


# Quick filters: status names plus "attention" (what needs a human: model.attention).
ATTENTION = "attention"
QUICK_FILTERS = ("all", ATTENTION, "Progressing", "Paused", "Degraded", "Healthy")
