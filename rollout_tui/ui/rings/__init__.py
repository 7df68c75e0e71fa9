"""Staged rings in the UI: the rings view, its waves and the flow that plans and starts one."""

from __future__ import annotations

from .hub import Rings, RingsOptions
from .screen import RingsScreen

__all__ = ["Rings", "RingsOptions", "RingsScreen"]
