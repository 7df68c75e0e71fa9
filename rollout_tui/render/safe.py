"""Make text from the cluster inert before it reaches a terminal.

Object names, messages and images are attacker-controllable (anyone who can create a Pod can
name it). Control characters would move the cursor, clear the screen or break table columns,
and bidi overrides can disguise text, so each is shown as a visible escape instead.
"""

from __future__ import annotations

import re

# C0 controls (incl. TAB, LF, ESC), DEL, C1 controls, line/paragraph separators, bidi controls.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean(text: str) -> str:
    """`text` with every unsafe character replaced by a visible \\xNN / \\uNNNN escape."""
    return _UNSAFE.sub(_escape, text) if text else text
