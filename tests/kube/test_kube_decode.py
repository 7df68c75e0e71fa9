"""Watch lines are cut and decoded exactly as json.loads decodes them (and refused when it refuses)."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator

import pytest

from rollout_tui.kube.resources import iter_lines, loads


def test_decodes_like_the_stdlib_including_what_msgspec_alone_refuses() -> None:
    doc = b'{"a": [1, 2.5, "\\u00e9", null, true], "big": 123456789012345678901234567890}'
    assert loads(doc) == json.loads(doc)
    assert math.isnan(loads(b'{"x": NaN}')["x"])  # json accepts these; msgspec does not
    assert loads(b'{"x": 1e400}') == {"x": math.inf}
    assert loads(b'"\\ud800"') == "\ud800"
    assert loads('{"s": "text"}') == {"s": "text"}


def test_malformed_input_raises_value_error() -> None:
    with pytest.raises(ValueError):
        loads(b'{"unterminated": ')


class _Chunked:
    """The part of urllib3's HTTPResponse that iter_lines reads: a chunked body, chunk by chunk."""

    chunked = True

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks

    def stream(self, size: int, decode_content: bool = True) -> Iterator[bytes]:
        yield from self.chunks


def test_watch_lines_are_cut_at_newlines_wherever_the_chunks_end() -> None:
    chunks = [b'{"a":1}\n{"b"', b":2}", b"\n\n", b'{"c":3}\n{"d":', b"4}"]
    assert list(iter_lines(_Chunked(chunks))) == [b'{"a":1}', b'{"b":2}', b'{"c":3}', b'{"d":4}']
    assert list(iter_lines(_Chunked([b"\n", b"", b'{"e":5}\n']))) == [b'{"e":5}']
