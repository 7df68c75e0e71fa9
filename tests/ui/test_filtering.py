"""The `/` filter syntax (dashboard terms, labels, exact, negation) and the quick filters."""

from __future__ import annotations

import pytest

from rollout_tui.ui.filtering import Subject, matches, needs_attention, parse, quick_matches

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


@pytest.mark.parametrize(
    ("status", "message", "aborted", "awaiting", "expected"),
    [
        ("Healthy", "", False, False, False),
        ("Progressing", "more replicas need to be updated", False, False, False),
        ("Paused", "CanaryPauseStep", False, False, False),  # timed pause step: it resumes itself
        ("Paused", "CanaryPauseStep", False, True, True),  # indefinite pause: waits for a human
        ("Paused", "BlueGreenPause", False, True, True),
        ("Paused", "InconclusiveAnalysisRun", False, False, True),
        ("Degraded", "RolloutAborted: x", True, False, True),
        ("Unknown", "", False, False, True),
    ],
)
def test_needs_attention(status: str, message: str, aborted: bool, awaiting: bool, expected: bool) -> None:
    assert needs_attention(status, message, aborted, awaiting) is expected
    assert quick_matches("attention", status, message, aborted, awaiting) is expected


def test_quick_status_filters() -> None:
    assert quick_matches("all", "Degraded", "")
    assert quick_matches("Paused", "Paused", "x")
    assert not quick_matches("Paused", "Healthy", "")
