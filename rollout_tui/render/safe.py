"""The one sanitiser: text from the cluster made inert before it reaches a terminal (UI and CLI).

Object names, messages, labels, images and logs are attacker-controllable (anyone who can create
a Pod can name it). Control characters would move the cursor, clear the screen, ring the bell or
end an escape sequence early; bidi controls and invisible format characters make text read as
something it is not. So every character Unicode classes as a control (Cc), a format character
(Cf: bidi marks, zero-width spaces and joiners, the BOM, soft hyphen...), a line or paragraph
separator (Zl, Zp) or a lone surrogate (Cs) is shown as a visible escape (`\\x1b`, `\\u202e`),
except that tabs, newlines and other whitespace controls become a plain space (a message keeps
reading as one line). The result is a plain string: callers that build Rich `Text` from it never
parse it as markup.
"""

from __future__ import annotations

import re

ELLIPSIS = "…"
# The Cc, Cf, Zl, Zp and Cs code points of Unicode 14 (Python 3.11's unicodedata), as ranges.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e"
    "\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ud800-\udfff\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f]"
)
_SPACES = frozenset("\t\n\v\f\r\x85\u2028\u2029")


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    if char in _SPACES:
        return " "
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def clean(value: object, limit: int | None = None) -> str:
    """`value` as one inert line; at most `limit` characters (the last one an ellipsis) when given."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if limit is not None and len(text) > limit * 4:
        text = text[: limit * 4]  # bound the work on 10,000-character hostile strings
    if _UNSAFE.search(text):
        text = _UNSAFE.sub(_escape, text)
    if limit is not None and len(text) > limit:
        text = text[: max(0, limit - 1)] + ELLIPSIS
    return text
