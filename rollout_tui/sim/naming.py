"""Names and hashes the way Kubernetes and the Argo Rollouts controller make them.

The pod-template hash is FNV-1a (32 bit) over the template's JSON, written in decimal and passed
through Kubernetes' "safe encoding" alphabet (no vowels, so no words). Go's json.Marshal of the
typed struct is not reproducible from a dict, so the hash is stable and well-formed but not
byte-identical to a real cluster's; nothing depends on that.
"""

from __future__ import annotations

import json
import random
import re
from typing import Any

# k8s.io/apimachinery/pkg/util/rand: the alphabet generated names and safe-encoded hashes use.
SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"

_FNV_OFFSET = 0x811C9DC5
_FNV_PRIME = 0x01000193


def fnv32a(data: bytes) -> int:
    value = _FNV_OFFSET
    for byte in data:
        value ^= byte
        value = (value * _FNV_PRIME) & 0xFFFFFFFF
    return value


def safe_encode(text: str) -> str:
    return "".join(SAFE_ALPHABET[ord(ch) % len(SAFE_ALPHABET)] for ch in text)


def _canonical_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":")).encode()


def pod_template_hash(template: Any, collision_count: int | None = None) -> str:
    data = _canonical_json(template)
    if collision_count is not None:
        data += int(collision_count & 0xFFFFFFFF).to_bytes(8, "little")
    return safe_encode(str(fnv32a(data)))


def step_hash(canary: Any) -> str:
    """status.currentStepHash: changes whenever the canary steps are edited."""
    steps = canary.get("steps") if isinstance(canary, dict) else None
    return safe_encode(str(fnv32a(_canonical_json(steps or []))))


def random_suffix(rng: random.Random, length: int = 5) -> str:
    return "".join(rng.choice(SAFE_ALPHABET) for _ in range(length))


_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)")
_UNIT_SECONDS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_duration(value: Any) -> float | None:
    """Argo durations: an int (seconds), a numeric string (seconds) or a Go duration ("1m30s")."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value) if value >= 0 else None
    text = str(value).strip()
    if re.fullmatch(r"\d+", text):
        return float(text)
    if not text or not re.fullmatch(r"(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+", text):
        return None
    return sum(float(num) * _UNIT_SECONDS[unit] for num, unit in _DURATION_PART.findall(text))


def go_duration(seconds: float) -> str:
    """time.Duration.String() for whole seconds: 40s, 1m0s, 1h0m0s."""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes}m{secs}s"
    if minutes:
        return f"{minutes}m{secs}s"
    return f"{secs}s"


def selector_string(match_labels: Any) -> str:
    """metav1.LabelSelector as its canonical string ("a=b,c=d", keys sorted)."""
    if not isinstance(match_labels, dict):
        return ""
    return ",".join(f"{k}={match_labels[k]}" for k in sorted(match_labels))
