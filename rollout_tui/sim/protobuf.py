"""Just enough Kubernetes protobuf to read a SelfSubjectAccessReview.

kubectl's typed clients (``kubectl auth can-i``) POST built-in kinds as protobuf; they accept a
JSON answer, so only decoding is needed, and only of this one message.
"""

from __future__ import annotations

from typing import Any

MAGIC = b"k8s\x00"
_ATTRIBUTE_FIELDS = {
    1: "namespace",
    2: "verb",
    3: "group",
    4: "version",
    5: "resource",
    6: "subresource",
    7: "name",
}


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if pos >= len(data):
            raise ValueError("truncated varint")
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7


def fields(data: bytes) -> dict[int, list[Any]]:
    """Field number -> values (bytes for length-delimited, int for varints)."""
    out: dict[int, list[Any]] = {}
    pos = 0
    while pos < len(data):
        key, pos = _varint(data, pos)
        number, wire = key >> 3, key & 7
        value: int | bytes
        if wire == 0:
            value, pos = _varint(data, pos)
        elif wire == 2:
            length, pos = _varint(data, pos)
            value, pos = data[pos : pos + length], pos + length
        elif wire == 1:
            value, pos = data[pos : pos + 8], pos + 8
        elif wire == 5:
            value, pos = data[pos : pos + 4], pos + 4
        else:
            raise ValueError(f"unsupported wire type {wire}")
        out.setdefault(number, []).append(value)
    return out


def decode_access_review(body: bytes) -> dict[str, Any]:
    """The JSON shape of a protobuf-encoded SelfSubjectAccessReview (spec only)."""
    if not body.startswith(MAGIC):
        raise ValueError("not a Kubernetes protobuf message")
    envelope = fields(body[len(MAGIC) :])
    review = fields(envelope.get(2, [b""])[0])
    spec = fields(review.get(2, [b""])[0])
    out: dict[str, Any] = {}
    if 1 in spec:
        attrs = fields(spec[1][0])
        out["resourceAttributes"] = {
            name: attrs[num][0].decode() for num, name in _ATTRIBUTE_FIELDS.items() if attrs.get(num)
        }
    if 2 in spec:
        attrs = fields(spec[2][0])
        out["nonResourceAttributes"] = {
            "path": attrs.get(1, [b""])[0].decode(),
            "verb": attrs.get(2, [b""])[0].decode(),
        }
    return {"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview", "spec": out}


def _string_map(entries: list[bytes]) -> dict[str, str]:
    out = {}
    for entry in entries:
        kv = fields(entry)
        out[kv.get(1, [b""])[0].decode()] = kv.get(2, [b""])[0].decode()
    return out


def decode_object_meta_only(body: bytes) -> dict[str, Any]:
    """A protobuf object whose only content is metadata (a Namespace from ``kubectl create ns``).

    Raises ValueError for any other kind: decoding specs would need every built-in schema.
    """
    if not body.startswith(MAGIC):
        raise ValueError("not a Kubernetes protobuf message")
    envelope = fields(body[len(MAGIC) :])
    type_meta = fields(envelope.get(1, [b""])[0])
    api_version = type_meta.get(1, [b""])[0].decode()
    kind = type_meta.get(2, [b""])[0].decode()
    if kind != "Namespace":
        raise ValueError(
            f"protobuf bodies are accepted only for Namespace, not {kind or 'this kind'}; "
            "send JSON (e.g. kubectl apply -f)"
        )
    obj = fields(envelope.get(2, [b""])[0])
    meta = fields(obj.get(1, [b""])[0])
    metadata: dict[str, Any] = {}
    for number, name in ((1, "name"), (2, "generateName"), (3, "namespace")):
        if meta.get(number) and meta[number][0]:
            metadata[name] = meta[number][0].decode()
    for number, name in ((11, "labels"), (12, "annotations")):
        if meta.get(number):
            metadata[name] = _string_map(meta[number])
    return {"apiVersion": api_version, "kind": kind, "metadata": metadata}
