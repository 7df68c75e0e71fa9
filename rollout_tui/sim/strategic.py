"""Strategic merge patch for the built-in kinds (what ``kubectl apply``, ``edit`` and ``patch``
send for Services, Pods, Deployments...). Custom resources never get one: the API server answers
415, as the simulator does.

Lists merge by the key the Kubernetes types declare (``patchMergeKey``) for the fields below;
other lists are replaced. Directives: ``$patch`` (replace / delete / merge) in maps and list
items, ``$retainKeys``, ``$setElementOrder/<list>`` and ``$deleteFromPrimitiveList/<list>``.
"""

from __future__ import annotations

import copy
from typing import Any

# Field name -> merge key. "ports" depends on the list: containers use containerPort, Services port.
MERGE_KEYS: dict[str, str] = {
    "containers": "name",
    "initContainers": "name",
    "ephemeralContainers": "name",
    "env": "name",
    "volumes": "name",
    "volumeMounts": "mountPath",
    "volumeDevices": "devicePath",
    "imagePullSecrets": "name",
    "hostAliases": "ip",
    "ownerReferences": "uid",
    "conditions": "type",
    "resourceClaims": "name",
    "topologySpreadConstraints": "topologyKey",
    "ports": "port",
}
PRIMITIVE_MERGE = frozenset({"finalizers"})  # lists of strings merged as sets
_SET_ORDER = "$setElementOrder/"
_DELETE_FROM = "$deleteFromPrimitiveList/"


def _merge_key(field: str, items: list[Any]) -> str | None:
    key = MERGE_KEYS.get(field)
    if field == "ports" and any(isinstance(i, dict) and "containerPort" in i for i in items):
        return "containerPort"
    return key


def _merge_list(field: str, current: list[Any], patch: list[Any]) -> list[Any]:
    if any(isinstance(i, dict) and i.get("$patch") == "replace" for i in patch):
        return [
            copy.deepcopy({k: v for k, v in i.items() if k != "$patch"})
            for i in patch
            if not (isinstance(i, dict) and i.get("$patch") == "replace" and len(i) == 1)
        ]
    if field in PRIMITIVE_MERGE and all(not isinstance(i, (dict, list)) for i in patch):
        return current + [i for i in patch if i not in current]
    key = _merge_key(field, current + patch)
    if key is None or not all(isinstance(i, dict) for i in patch):
        return copy.deepcopy(patch)
    result = [copy.deepcopy(i) for i in current]
    for item in patch:
        position = next(
            (
                n
                for n, old in enumerate(result)
                if isinstance(old, dict) and key in item and old.get(key) == item[key]
            ),
            None,
        )
        if item.get("$patch") == "delete":
            if position is not None:
                del result[position]
        elif position is not None:
            result[position] = strategic_merge(result[position], item)
        else:
            result.append(strategic_merge({}, item))
    return result


def _order(items: list[Any], order: list[Any], key: str | None) -> list[Any]:
    def ident(item: Any) -> Any:
        return item.get(key) if key and isinstance(item, dict) else item

    wanted = [ident(o) for o in order]
    ranked = [i for w in wanted for i in items if ident(i) == w]
    return ranked + [i for i in items if i not in ranked]


def strategic_merge(current: Any, patch: Any) -> Any:
    """``current`` with ``patch`` applied; neither argument is modified."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    directive = patch.get("$patch")
    if directive == "delete":
        return None
    if directive == "replace":
        return {k: copy.deepcopy(v) for k, v in patch.items() if k != "$patch"}
    result = copy.deepcopy(current) if isinstance(current, dict) else {}
    orders: dict[str, list[Any]] = {}
    for field, value in patch.items():
        if field in ("$patch", "$retainKeys"):
            continue
        if field.startswith(_SET_ORDER):
            orders[field[len(_SET_ORDER) :]] = value if isinstance(value, list) else []
            continue
        if field.startswith(_DELETE_FROM):
            target = field[len(_DELETE_FROM) :]
            if isinstance(result.get(target), list) and isinstance(value, list):
                result[target] = [i for i in result[target] if i not in value]
            continue
        if value is None:
            result.pop(field, None)
        elif isinstance(value, list):
            old = result.get(field)
            result[field] = _merge_list(field, old if isinstance(old, list) else [], value)
        elif isinstance(value, dict):
            merged = strategic_merge(result.get(field), value)
            if merged is None:
                result.pop(field, None)
            else:
                result[field] = merged
        else:
            result[field] = value
    for field, order in orders.items():
        if isinstance(result.get(field), list):
            result[field] = _order(result[field], order, _merge_key(field, result[field]))
    retain = patch.get("$retainKeys")
    if isinstance(retain, list):
        result = {k: v for k, v in result.items() if k in retain}
    return result
