"""The `/` filter syntax (dashboard terms, labels, exact, negation) and the quick filters."""

from __future__ import annotations

import pytest

from rollout_tui.ui.filtering import Subject, matches, parse

CHECKOUT = Subject("checkout", "shop", "east", {"app": "shop-frontend", "tier": "web"})
PAYMENTS = Subject("payments", "billing", "west", {"app": "billing", "tier": "backend"})
CHECKOUT_V2 = Subject("checkout-v2", "shop", "west", {"app": "shop"})


def names(query: str) -> list[str]:
    terms = parse(query)
    return [s.name for s in (CHECKOUT, PAYMENTS, CHECKOUT_V2) if matches(terms, s)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["checkout", "payments", "checkout-v2"]),
        ("check", ["checkout", "checkout-v2"]),
        ("CHECK", ["checkout", "checkout-v2"]),
        ('"checkout"', ["checkout"]),
        ("pay, v2", ["payments", "checkout-v2"]),
        ("!check", ["payments"]),
        ('!"checkout"', ["payments", "checkout-v2"]),
        ("check, !v2", ["checkout"]),
        ("app:shop", ["checkout", "checkout-v2"]),
        ('app:"shop"', ["checkout-v2"]),
        ("tier:web", ["checkout"]),
        ("!tier:web", ["payments", "checkout-v2"]),
        ("missing:x", []),
        ("shop/", ["checkout", "checkout-v2"]),  # namespace/name prefix
        ("west", ["payments", "checkout-v2"]),  # context
        (" , ,", ["checkout", "payments", "checkout-v2"]),
        ("!", ["checkout", "payments", "checkout-v2"]),
    ],
)
def test_filter_terms(query: str, expected: list[str]) -> None:
    assert names(query) == expected


def test_parse_is_total_on_odd_input() -> None:
    for query in ('"', '""', ":", "a:b:c", "!!x", "[bold]x", "\x1b[2J"):
        parse(query)  # never raises
    assert parse("a:b:c")[0].label == "a" and parse("a:b:c")[0].text == "b:c"
