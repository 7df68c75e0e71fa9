"""The fast JSON decoder decodes exactly what json.loads decodes, and refuses what it refuses."""

from __future__ import annotations

import json
import math

import pytest

from rollout_tui.kube.resources import loads


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
