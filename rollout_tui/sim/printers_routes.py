"""Columns for the traffic routers: Ingress (kube-apiserver's printer), and the printer columns
of the Istio, SMI and Gateway API CRDs."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from rollout_tui.sim.columns import AGE_STR, Cells, col, created, get


def _joined(values: Any) -> str:
    items = [str(v) for v in values if v] if isinstance(values, list) else []
    return ",".join(items) if items else ""


def _json(value: Any) -> str:
    """A CRD printer column of type string holding an array prints it as JSON."""
    return json.dumps(value, separators=(",", ":"))


def _ingress(obj: dict[str, Any], now: datetime) -> list[Any]:
    rules = get(obj, "spec", "rules", default=[])
    hosts = _joined([r.get("host") for r in rules if isinstance(r, dict)]) or "*"
    addresses = _joined(
        [i.get("ip") or i.get("hostname") for i in get(obj, "status", "loadBalancer", "ingress", default=[])]
    )
    ports = "80, 443" if get(obj, "spec", "tls") else "80"
    klass = get(obj, "spec", "ingressClassName") or get(
        obj, "metadata", "annotations", "kubernetes.io/ingress.class", default="<none>"
    )
    return [klass, hosts, addresses, ports, created(obj, now)]


def _virtual_service(obj: dict[str, Any], now: datetime) -> list[Any]:
    gateways = get(obj, "spec", "gateways", default=[])
    return [
        _json(gateways) if gateways else "",
        _json(get(obj, "spec", "hosts", default=[])),
        created(obj, now),
    ]


def _destination_rule(obj: dict[str, Any], now: datetime) -> list[Any]:
    return [get(obj, "spec", "host", default=""), created(obj, now)]


def _http_route(obj: dict[str, Any], now: datetime) -> list[Any]:
    hostnames = get(obj, "spec", "hostnames", default=[])
    return [_json(hostnames) if hostnames else "", created(obj, now)]


def _age(obj: dict[str, Any], now: datetime) -> list[Any]:
    return [created(obj, now)]


_AGE_DATE = col(
    "Age",
    "date",
    "CreationTimestamp is a timestamp representing the server time when this object was created.",
)
ROUTE_PRINTERS: dict[str, tuple[list[dict[str, Any]], Cells]] = {
    "ingresses": (
        [col("Class"), col("Hosts"), col("Address"), col("Ports"), AGE_STR],
        _ingress,
    ),
    "virtualservices": (
        [
            col("Gateways", description="The names of gateways and sidecars that should apply these routes"),
            col("Hosts", description="The destination hosts to which traffic is being sent"),
            _AGE_DATE,
        ],
        _virtual_service,
    ),
    "destinationrules": (
        [col("Host", description="The name of a service from the service registry"), _AGE_DATE],
        _destination_rule,
    ),
    "httproutes": ([col("Hostnames"), _AGE_DATE], _http_route),
    "trafficsplits": ([_AGE_DATE], _age),
}
