"""Shapes of the Kubernetes core types (PodTemplateSpec, Service, Ingress, JobSpec ...) for strict
decoding, read from the ``kubernetes`` client's generated models (``attribute_map`` and
``openapi_types``), so they follow the client's API version rather than a copy kept here.

The models do not say which strings are resource quantities or which integers are 64-bit, so
strings also accept numbers (a Quantity does) except in label-like maps, and integers named like
the API's int64 fields say so in messages.
"""

from __future__ import annotations

import re
from functools import cache

STRICT_STRING_MAPS = frozenset({"labels", "annotations", "matchLabels", "nodeSelector", "selector", "data"})
INT64_FIELDS = frozenset(
    {
        "activeDeadlineSeconds",
        "terminationGracePeriodSeconds",
        "deletionGracePeriodSeconds",
        "generation",
        "runAsUser",
        "runAsGroup",
        "fsGroup",
        "supplementalGroups",
        "tolerationSeconds",
        "expirationSeconds",
        "ttlSecondsAfterFinished",
        "seconds",
    }
)
_LIST = re.compile(r"^[Ll]ist\[(.*)\]$")
_DICT = re.compile(r"^(?:Dict\[str, (.*)\]|dict\(str, (.*)\))$")


def _type(openapi: str, json_name: str) -> str:
    if match := _LIST.match(openapi):
        return "[]" + _type(match.group(1), json_name)
    if match := _DICT.match(openapi):
        value = match.group(1) or match.group(2)
        if value == "str":
            return "map:string" if json_name in STRICT_STRING_MAPS else "map:quantity"
        return "map:" + _type(value, json_name)
    scalars = {"str": "quantity", "bool": "bool", "float": "float64", "datetime": "time", "object": "any"}
    if openapi in scalars:
        return scalars[openapi]
    if openapi == "bytes":
        return "string"
    if openapi == "int":
        return "int64" if json_name in INT64_FIELDS else "int32"
    return "k8s:" + openapi


@cache
def core_fields(model: str) -> tuple[tuple[str, str], ...] | None:
    """(json name, type) of a kubernetes client model such as ``V1PodSpec``; None if unknown."""
    from kubernetes.client import models

    cls = getattr(models, model, None)
    types = getattr(cls, "openapi_types", None)
    names = getattr(cls, "attribute_map", None)
    if not isinstance(types, dict) or not isinstance(names, dict):
        return None
    return tuple((names[attr], _type(kind, names[attr])) for attr, kind in types.items() if attr in names)
