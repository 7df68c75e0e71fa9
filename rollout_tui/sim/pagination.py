"""List pagination: ``limit``/``continue`` as kube-apiserver pages a list.

A continue token names the resourceVersion the first page was read at and the last key served;
the next page starts after that key. Tokens are opaque to clients (base64 of a small JSON).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator
from dataclasses import dataclass

from rollout_tui.sim.errors import bad_request
from rollout_tui.sim.records import Entry


@dataclass(frozen=True)
class ListResult:
    items: list[bytes]
    resource_version: str
    continue_token: str | None
    remaining: int | None


def continue_token(rv: int, key: tuple[str, str]) -> str:
    return base64.urlsafe_b64encode(json.dumps({"rv": rv, "start": list(key)}).encode()).decode()


def parse_continue(token: str) -> tuple[int, tuple[str, str]]:
    try:
        data = json.loads(base64.urlsafe_b64decode(token.encode()))
        return int(data["rv"]), (str(data["start"][0]), str(data["start"][1]))
    except (ValueError, KeyError, IndexError, TypeError, binascii.Error):
        raise bad_request(
            "continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)"
        ) from None


def page(selected: Iterator[Entry], rv: int, limit: int | None) -> ListResult:
    """The first ``limit`` entries (all when unset) and, when more remain, the token for them."""
    if not limit or limit <= 0:
        return ListResult([e.raw for e in selected], str(rv), None, None)
    items: list[Entry] = []
    for entry in selected:
        if len(items) == limit:
            remaining = 1 + sum(1 for _ in selected)
            last = items[-1]
            return ListResult(
                [e.raw for e in items], str(rv), continue_token(rv, (last.namespace, last.name)), remaining
            )
        items.append(entry)
    return ListResult([e.raw for e in items], str(rv), None, None)
