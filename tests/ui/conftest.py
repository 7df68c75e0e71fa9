"""Fixtures of the UI tests; the helpers themselves live in uihelpers.py."""

from __future__ import annotations

from uihelpers import fleet_factory, request_log

__all__ = ["fleet_factory", "request_log"]
