"""List, watch and get the kinds rollout-tui needs, as plain dicts, through the ``kubernetes``
client's ApiClient (see ``transport``: no generated API classes, no typed models).

Responses are decoded to plain dicts by ``loads`` (typed models are ~10x slower to build and we
only need dicts). Watches return the raw urllib3 response; ``iter_lines`` splits it into JSON lines
(we do not use ``watch.Watch``: it deserializes core kinds into models, and its
``deserialize=False`` mode loses resourceVersions). ``list_pages`` yields a paged list page by
page, so a consumer can show the first rollouts while the rest are still coming.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast

try:  # decoding is the reflector threads' main cost: msgspec takes ~55% of json's time for a list page
    import msgspec

    _fast_loads: Any = msgspec.json.Decoder().decode  # a Decoder is safe to share between threads
    _FastError: type[Exception] = msgspec.DecodeError
except ImportError:  # pragma: no cover - msgspec is a dependency; the stdlib still works without it
    _fast_loads, _FastError = json.loads, ValueError


def loads(data: bytes | str) -> Any:
    """JSON as json.loads decodes it, fast. What msgspec refuses and json accepts (NaN, 1e400,
    lone surrogates) falls back to json, so every input decodes exactly as json.loads decodes it
    or raises ValueError."""
    try:
        return _fast_loads(data)
    except _FastError:
        return json.loads(data)


@dataclass(frozen=True)
class Kind:
    kind: str
    group: str
    version: str
    plural: str

    @property
    def custom(self) -> bool:
        return self.group not in ("", "apps")

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version


ROLLOUT = Kind("Rollout", "argoproj.io", "v1alpha1", "rollouts")
ANALYSIS_RUN = Kind("AnalysisRun", "argoproj.io", "v1alpha1", "analysisruns")
EXPERIMENT = Kind("Experiment", "argoproj.io", "v1alpha1", "experiments")
REPLICA_SET = Kind("ReplicaSet", "apps", "v1", "replicasets")
POD = Kind("Pod", "", "v1", "pods")
EVENT = Kind("Event", "", "v1", "events")
ANALYSIS_TEMPLATE = Kind("AnalysisTemplate", "argoproj.io", "v1alpha1", "analysistemplates")
CLUSTER_ANALYSIS_TEMPLATE = Kind(
    "ClusterAnalysisTemplate", "argoproj.io", "v1alpha1", "clusteranalysistemplates"
)
KINDS = {k.kind: k for k in (ROLLOUT, ANALYSIS_RUN, EXPERIMENT, REPLICA_SET, POD, EVENT)}


@dataclass(frozen=True, slots=True)
class ListPage:
    """One page of a paged list."""

    items: list[dict[str, Any]]  # with kind/apiVersion set
    resource_version: str  # of the list's snapshot (the first page's)
    last: bool
    remaining: int | None  # the server's remainingItemCount after this page (0 on the last; None: not said)


def label_selector(selector: Any) -> str:
    """A LabelSelector dict (matchLabels + matchExpressions) as the query-string syntax."""
    if not isinstance(selector, dict):
        return ""
    parts = []
    match_labels = selector.get("matchLabels")
    if isinstance(match_labels, dict):
        parts += [f"{k}={v}" for k, v in sorted(match_labels.items())]
    for expr in selector.get("matchExpressions") or []:
        if not isinstance(expr, dict) or not expr.get("key"):
            continue
        key, op = str(expr["key"]), str(expr.get("operator", ""))
        values = ",".join(sorted(str(v) for v in expr.get("values") or []))
        if op == "In":
            parts.append(f"{key} in ({values})")
        elif op == "NotIn":
            parts.append(f"{key} notin ({values})")
        elif op == "Exists":
            parts.append(key)
        elif op == "DoesNotExist":
            parts.append(f"!{key}")
    return ",".join(parts)


class ResourceClient:
    """list/watch/get of one kind on one cluster, optionally in one namespace, returning raw JSON."""

    def __init__(self, api_client: Any, kind: Kind) -> None:
        self.api_client = api_client
        self.kind = kind

    def _call(self, namespace: str | None, request_timeout: Any = None, **query: Any) -> Any:
        from rollout_tui.kube.transport import get, resource_path

        names = {
            "label_selector": "labelSelector",
            "field_selector": "fieldSelector",
            "limit": "limit",
            "_continue": "continue",
            "watch": "watch",
            "allow_watch_bookmarks": "allowWatchBookmarks",
            "resource_version": "resourceVersion",
            "timeout_seconds": "timeoutSeconds",
        }
        return get(
            self.api_client,
            resource_path(self.kind, namespace),
            {names[k]: v for k, v in query.items()},
            request_timeout,
        )

    def get(self, namespace: str, name: str, request_timeout: Any = None) -> dict[str, Any]:
        from rollout_tui.kube.transport import get, resource_path

        resp = get(self.api_client, resource_path(self.kind, namespace, name), None, request_timeout)
        try:
            obj = loads(resp.data)
        finally:
            resp.release_conn()
        obj.setdefault("kind", self.kind.kind)
        obj.setdefault("apiVersion", self.kind.api_version)
        return cast("dict[str, Any]", obj)

    def list_page(
        self,
        namespace: str | None = None,
        *,
        label_selector: str | None = None,
        field_selector: str | None = None,
        limit: int | None = None,
        continue_token: str | None = None,
        request_timeout: Any = None,
    ) -> dict[str, Any]:
        resp = self._call(
            namespace,
            request_timeout,
            label_selector=label_selector,
            field_selector=field_selector,
            limit=limit,
            _continue=continue_token,
        )
        try:
            data = loads(resp.data)
        finally:
            resp.release_conn()
        if not isinstance(data, dict):
            raise ValueError(f"list of {self.kind.plural}: not a JSON object")
        return data

    def list_pages(
        self,
        namespace: str | None = None,
        *,
        label_selector: str | None = None,
        field_selector: str | None = None,
        page_size: int = 500,
        request_timeout: Any = None,
    ) -> Iterator[ListPage]:
        """A paged list (limit/continue), one page at a time as the server sends them."""
        token: str | None = None
        rv = ""
        while True:
            page = self.list_page(
                namespace,
                label_selector=label_selector,
                field_selector=field_selector,
                limit=page_size,
                continue_token=token,
                request_timeout=request_timeout,
            )
            meta = page.get("metadata") or {}
            if not rv:  # the first page's RV is the snapshot the continue pages belong to
                rv = str(meta.get("resourceVersion") or "")
            token = meta.get("continue") or None
            remaining = meta.get("remainingItemCount")
            remaining = remaining if isinstance(remaining, int) and remaining >= 0 else None
            # no local holds the items while the consumer has the page: once it lets go of it,
            # the decoded objects are freed, also while the list waits before its next page
            yield ListPage(
                self._kinded(page.pop("items", None)), rv, token is None, remaining if token else 0
            )
            if token is None:
                return

    def _kinded(self, items: Any) -> list[dict[str, Any]]:
        """A list page's objects, with kind/apiVersion set (a list's items have neither)."""
        out: list[dict[str, Any]] = []
        for item in items or ():
            if isinstance(item, dict):
                item.setdefault("kind", self.kind.kind)
                item.setdefault("apiVersion", self.kind.api_version)
                out.append(item)
        return out

    def list_all(
        self,
        namespace: str | None = None,
        *,
        label_selector: str | None = None,
        field_selector: str | None = None,
        page_size: int = 500,
        request_timeout: Any = None,
    ) -> tuple[list[dict[str, Any]], str]:
        """Paged list (limit/continue). Returns (items with kind/apiVersion set, list resourceVersion)."""
        items: list[dict[str, Any]] = []
        rv = ""
        for page in self.list_pages(
            namespace,
            label_selector=label_selector,
            field_selector=field_selector,
            page_size=page_size,
            request_timeout=request_timeout,
        ):
            items += page.items
            rv = page.resource_version
        return items, rv

    def watch(
        self,
        namespace: str | None = None,
        *,
        resource_version: str,
        label_selector: str | None = None,
        field_selector: str | None = None,
        timeout_seconds: int = 300,
        request_timeout: Any = None,
    ) -> Any:
        """Open a watch; returns the streaming urllib3 response (close it to stop)."""
        return self._call(
            namespace,
            request_timeout,
            watch=True,
            allow_watch_bookmarks=True,
            resource_version=resource_version,
            label_selector=label_selector,
            field_selector=field_selector,
            timeout_seconds=timeout_seconds,
        )


def iter_lines(resp: Any, chunk_size: int = 65536) -> Iterator[bytes]:
    """Split a streaming HTTP response into non-empty lines as chunks arrive."""
    # chunked (what API servers send): yields each chunk as it arrives; otherwise read1 returns
    # whatever is available instead of blocking until chunk_size bytes came in
    chunks = (
        resp.stream(chunk_size, decode_content=True)
        if getattr(resp, "chunked", False)
        else iter(lambda: resp.read1(chunk_size), b"")
    )
    partial: list[bytes] = []  # the start of a line whose end has not arrived yet
    for chunk in chunks:
        if b"\n" not in chunk:
            if chunk:
                partial.append(chunk)
            continue
        # one split per chunk: cutting line by line copied the rest of the buffer for every line
        lines = chunk.split(b"\n")
        if partial:
            lines[0] = b"".join([*partial, lines[0]])
        partial = [lines.pop()] if lines[-1] else []
        for line in lines:
            if line.strip():
                yield line
    rest = b"".join(partial)
    if rest.strip():
        yield rest
