"""The simulator's object store: what etcd + the API server's registry do, in memory.

Each stored version is kept as its JSON bytes plus the few fields selectors need (a Python dict
of a 3 KB object costs ~20 KB; 40,000 objects must fit comfortably). Callers get fresh dicts
decoded from those bytes, which is both the cheapest deep copy and what the HTTP server writes
as-is for lists and watch events. One RLock guards everything; listeners run after the lock is
released.

Rules implemented (as kube-apiserver applies them):
- every write takes the next global resourceVersion and is recorded in a bounded history that
  watches replay from; a watch from an RV older than the history is refused with 410 Expired;
- ``generation`` starts at 1 and grows when anything outside ``metadata`` (and ``status``, for
  types with a status subresource) changes;
- types with a status subresource: create drops ``status`` (unless ``seed=True``), writes to the
  main resource keep the stored status, writes to ``subresource="status"`` change only status;
- a write that changes nothing is a no-op: no new RV, no event;
- deleting an object deletes its dependents (ownerReferences) and a namespace its contents, as
  the garbage collector and namespace controller would (immediately, no finalizers).
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import random
import re
import threading
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from rollout_tui.sim.errors import ApiError, bad_request
from rollout_tui.sim.patch import apply_patch
from rollout_tui.sim.records import Clock, Entry, dumps, timestamp
from rollout_tui.sim.resources import RESOURCES, ResourceType
from rollout_tui.sim.selectors import FieldSelector, LabelSelector, parse_field_selector, parse_label_selector
from rollout_tui.sim.watch import Watch, WatchEvent

__all__ = ["ApiError", "Entry", "ListResult", "Store", "Watch", "WatchEvent", "dumps"]

log = logging.getLogger(__name__)

Listener = Callable[[str, str, dict[str, Any]], None]

_NAME_RE = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_GENERATE_CHARS = "bcdfghjklmnpqrstvwxz2456789"  # apiserver's alphabet: no vowels, no look-alikes


def _own(obj: Any) -> dict[str, Any]:
    """A copy of a caller's object that the store may edit at the top level and in metadata.

    Shallow on purpose: deeper parts are only ever serialized (to the stored bytes), never kept
    or modified, so sharing them with the caller is safe and saves a deep copy per write.
    """
    if not isinstance(obj, dict):
        raise bad_request("the object must be a JSON object")
    copy = dict(obj)
    meta = copy.get("metadata", {})
    if not isinstance(meta, dict):
        raise bad_request("metadata must be an object")
    copy["metadata"] = dict(meta)
    return copy


@dataclass(frozen=True)
class ListResult:
    items: list[bytes]
    resource_version: str
    continue_token: str | None
    remaining: int | None


@dataclass
class _HistoryItem:
    rv: int
    plural: str
    type: str
    entry: Entry
    prev: Entry | None


def _continue_token(rv: int, key: tuple[str, str]) -> str:
    return base64.urlsafe_b64encode(json.dumps({"rv": rv, "start": list(key)}).encode()).decode()


def _parse_continue(token: str) -> tuple[int, tuple[str, str]]:
    try:
        data = json.loads(base64.urlsafe_b64decode(token.encode()))
        return int(data["rv"]), (str(data["start"][0]), str(data["start"][1]))
    except (ValueError, KeyError, IndexError, TypeError, binascii.Error):
        raise bad_request(
            "continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)"
        ) from None


def _spec_part(obj: dict[str, Any], has_status: bool) -> dict[str, Any]:
    skip = ("metadata", "status") if has_status else ("metadata",)
    return {k: v for k, v in obj.items() if k not in skip}


class Store:
    """Thread-safe in-memory API registry (see the module docstring for its rules)."""

    def __init__(self, clock: Clock | None = None, history_limit: int = 20000) -> None:
        self.clock = clock
        self.history_limit = history_limit
        self._lock = threading.RLock()
        self._rv = 1
        self._compacted_rv = 0  # events with rv <= this are no longer in the history
        self._objects: dict[str, dict[str, dict[str, Entry]]] = {p: {} for p in RESOURCES}
        self._owned: dict[str, set[tuple[str, str, str]]] = {}  # owner uid -> dependents
        self._history: deque[_HistoryItem] = deque()
        self._watches: dict[str, set[Watch]] = {p: set() for p in RESOURCES}
        self._listeners: list[Listener] = []
        self._pending: list[tuple[str, str, Entry]] = []
        self._depth = 0
        self._dry_run = False  # set (under the lock) for the duration of a dryRun=All write
        self._ensure_namespace("default")
        self._pending.clear()

    # ----------------------------------------------------------------- helpers
    @staticmethod
    def resource(plural: str) -> ResourceType:
        try:
            return RESOURCES[plural]
        except KeyError:
            raise ApiError(404, "NotFound", "the server could not find the requested resource") from None

    @property
    def resource_version(self) -> str:
        with self._lock:
            return str(self._rv)

    @staticmethod
    def _not_found(rt: ResourceType, name: str) -> ApiError:
        return ApiError(
            404,
            "NotFound",
            f'{rt.group_resource} "{name}" not found',
            {"name": name, "group": rt.group, "kind": rt.plural},
        )

    @staticmethod
    def _scope(rt: ResourceType, namespace: str | None) -> str:
        return (namespace or "") if rt.namespaced else ""

    def _entry(self, rt: ResourceType, namespace: str | None, name: str) -> Entry:
        entry = self._objects[rt.plural].get(self._scope(rt, namespace), {}).get(name)
        if entry is None:
            raise self._not_found(rt, name)
        return entry

    @contextmanager
    def _writing(self, dry_run: bool = False) -> Iterator[None]:
        """Hold the lock for a write; run listeners once the outermost write has released it."""
        self._lock.acquire()
        self._depth += 1
        was_dry, self._dry_run = self._dry_run, self._dry_run or dry_run
        notes: list[tuple[str, str, Entry]] = []
        try:
            yield
        finally:
            self._dry_run = was_dry
            self._depth -= 1
            if self._depth == 0:
                notes, self._pending = self._pending, []
            self._lock.release()
        listeners = list(self._listeners) if notes else []
        for event_type, plural, entry in notes if listeners else ():
            obj = entry.copy()
            for fn in listeners:
                try:
                    fn(event_type, plural, obj)
                except Exception:  # a broken listener must not break writes
                    log.exception("store listener failed")

    def _commit(self, rt: ResourceType, event_type: str, obj: dict[str, Any], prev: Entry | None) -> Entry:
        if self._dry_run:  # what the write would store; nothing is stored, versioned or announced
            if prev is None:
                obj["metadata"].pop("resourceVersion", None)
            else:
                obj["metadata"]["resourceVersion"] = prev.resource_version
            return Entry(obj, prev.rv if prev else 0, rt.field_labels)
        obj["metadata"]["resourceVersion"] = str(self._rv + 1)
        entry = Entry(obj, self._rv + 1, rt.field_labels)  # may raise (not JSON): nothing committed yet
        self._rv += 1
        ns, name = entry.namespace, entry.name
        bucket = self._objects[rt.plural]
        if event_type == "DELETED":
            del bucket[ns][name]
            if not bucket[ns]:
                del bucket[ns]
        else:
            bucket.setdefault(ns, {})[name] = entry
        key = (rt.plural, ns, name)
        if prev is not None:
            for uid in prev.owners:
                self._owned.get(uid, set()).discard(key)
        if event_type != "DELETED":
            for uid in entry.owners:
                self._owned.setdefault(uid, set()).add(key)
        self._history.append(_HistoryItem(self._rv, rt.plural, event_type, entry, prev))
        while len(self._history) > self.history_limit:
            self._compacted_rv = self._history.popleft().rv
        for watch in list(self._watches[rt.plural]):
            watch._offer(event_type, entry, prev)
        self._pending.append((event_type, rt.plural, entry))
        return entry

    def _ensure_namespace(self, namespace: str) -> None:
        if namespace and namespace not in self._objects["namespaces"].get("", {}):
            rt = RESOURCES["namespaces"]
            self._commit(
                rt,
                "ADDED",
                {
                    "apiVersion": "v1",
                    "kind": "Namespace",
                    "metadata": {
                        "name": namespace,
                        "uid": str(uuid.uuid4()),
                        "creationTimestamp": timestamp(self.clock),
                        "labels": {"kubernetes.io/metadata.name": namespace},
                    },
                    "spec": {"finalizers": ["kubernetes"]},
                    "status": {"phase": "Active"},
                },
                None,
            )

    # ----------------------------------------------------------------- reads
    def get(self, plural: str, namespace: str | None, name: str) -> dict[str, Any]:
        return json.loads(self.get_raw(plural, namespace, name))

    def get_raw(self, plural: str, namespace: str | None, name: str) -> bytes:
        rt = self.resource(plural)
        with self._lock:
            return self._entry(rt, namespace, name).raw

    def _select(
        self,
        rt: ResourceType,
        namespace: str | None,
        labels: LabelSelector | None,
        fields: FieldSelector | None,
        start_after: tuple[str, str] | None = None,
    ) -> Iterator[Entry]:
        bucket = self._objects[rt.plural]
        scope = self._scope(rt, namespace) if namespace else None
        namespaces = [scope] if scope is not None else sorted(bucket)
        for ns in namespaces:
            if start_after and ns < start_after[0]:
                continue
            names = bucket.get(ns, {})
            for name in sorted(names):
                if start_after and (ns, name) <= start_after:
                    continue
                entry = names[name]
                if labels is not None and not labels.matches(entry.labels):
                    continue
                if fields is not None and not fields(entry.field_view()):
                    continue
                yield entry

    @staticmethod
    def _selectors(
        rt: ResourceType,
        label_selector: str | LabelSelector | None,
        field_selector: str | FieldSelector | None,
    ) -> tuple[LabelSelector | None, FieldSelector | None]:
        labels = parse_label_selector(label_selector) if isinstance(label_selector, str) else label_selector
        fields = (
            parse_field_selector(field_selector, rt.field_labels)
            if isinstance(field_selector, str)
            else field_selector
        )
        return labels, fields

    def list(
        self,
        plural: str,
        namespace: str | None = None,
        label_selector: str | None = None,
        field_selector: str | None = None,
    ) -> tuple[list[dict[str, Any]], str]:
        result = self.list_raw(plural, namespace, label_selector, field_selector)
        return [json.loads(raw) for raw in result.items], result.resource_version

    def list_raw(
        self,
        plural: str,
        namespace: str | None = None,
        label_selector: str | None = None,
        field_selector: str | None = None,
        limit: int | None = None,
        continue_token: str | None = None,
    ) -> ListResult:
        """Items as JSON bytes in (namespace, name) order; ``limit``/``continue`` paginate."""
        rt = self.resource(plural)
        labels, fields = self._selectors(rt, label_selector, field_selector)
        start = None
        with self._lock:
            rv = self._rv
            if continue_token:
                rv, start = _parse_continue(continue_token)
            selected = self._select(rt, namespace, labels, fields, start)
            if not limit or limit <= 0:
                return ListResult([e.raw for e in selected], str(rv), None, None)
            page: list[Entry] = []
            for entry in selected:
                if len(page) == limit:
                    remaining = 1 + sum(1 for _ in selected)
                    last = page[-1]
                    return ListResult(
                        [e.raw for e in page],
                        str(rv),
                        _continue_token(rv, (last.namespace, last.name)),
                        remaining,
                    )
                page.append(entry)
            return ListResult([e.raw for e in page], str(rv), None, None)

    def count(self, plural: str) -> int:
        with self._lock:
            return sum(len(names) for names in self._objects[self.resource(plural).plural].values())

    # ----------------------------------------------------------------- writes
    def create(
        self, plural: str, obj: dict[str, Any], *, seed: bool = False, dry_run: bool = False
    ) -> dict[str, Any]:
        """Create ``obj`` (its ``metadata.namespace``, default "default"). ``seed=True`` loads an
        object as it was elsewhere (keeps status, uid, creationTimestamp, generation).
        ``dry_run`` (here and on every write) returns the result without storing anything."""
        rt = self.resource(plural)
        new = _own(obj)
        with self._writing(dry_run):
            entry = self._create(rt, new, seed)
        return entry.copy()

    def _create(self, rt: ResourceType, new: dict[str, Any], seed: bool) -> Entry:
        meta = new.setdefault("metadata", {})
        self._check_type(rt, new)
        new["apiVersion"], new["kind"] = rt.api_version, rt.kind
        if rt.namespaced:
            meta["namespace"] = meta.get("namespace") or "default"
        else:
            meta.pop("namespace", None)
        ns = meta.get("namespace", "")
        if not meta.get("name") and meta.get("generateName"):
            while True:
                meta["name"] = meta["generateName"] + "".join(random.choices(_GENERATE_CHARS, k=5))
                if meta["name"] not in self._objects[rt.plural].get(ns, {}):
                    break
        name = meta.get("name")
        if not name:
            raise self._invalid(rt, "", "metadata.name: Required value: name or generateName is required")
        if not seed:  # seeds are recorded objects, some from before today's validation
            self._check_name(rt, name)
        if name in self._objects[rt.plural].get(ns, {}):
            raise ApiError(
                409,
                "AlreadyExists",
                f'{rt.group_resource} "{name}" already exists',
                {"name": name, "group": rt.group, "kind": rt.plural},
            )
        if not (seed and meta.get("uid")):
            meta["uid"] = str(uuid.uuid4())
        if not (seed and meta.get("creationTimestamp")):
            meta["creationTimestamp"] = timestamp(self.clock)
        if not (seed and isinstance(meta.get("generation"), int)):
            meta["generation"] = 1
        for key in ("deletionTimestamp", "deletionGracePeriodSeconds", "managedFields", "selfLink"):
            meta.pop(key, None)
        if rt.has_status and not seed:
            new.pop("status", None)
        if rt.plural == "namespaces":  # what the namespace registry adds
            meta["labels"] = {**(meta.get("labels") or {}), "kubernetes.io/metadata.name": name}
            new.setdefault("spec", {"finalizers": ["kubernetes"]})
            new.setdefault("status", {"phase": "Active"})
        if rt.namespaced and not self._dry_run:
            self._ensure_namespace(ns)
        return self._commit(rt, "ADDED", new, None)

    @staticmethod
    def _invalid(rt: ResourceType, name: str, detail: str) -> ApiError:
        kind = f"{rt.kind}.{rt.group}" if rt.group else rt.kind
        return ApiError(
            422,
            "Invalid",
            f'{kind} "{name}" is invalid: {detail}',
            {
                "name": name,
                "group": rt.group,
                "kind": rt.kind,
                "causes": [{"reason": "FieldValueInvalid", "message": detail}],
            },
        )

    def _check_name(self, rt: ResourceType, name: Any) -> None:
        if not isinstance(name, str) or len(name) > 253 or not _NAME_RE.match(name):
            raise self._invalid(
                rt,
                str(name),
                f'metadata.name: Invalid value: "{name}": a lowercase RFC 1123 '
                "subdomain must consist of lower case alphanumeric characters, '-' or '.', "
                "and must start and end with an alphanumeric character",
            )

    @staticmethod
    def _check_type(rt: ResourceType, obj: dict[str, Any]) -> None:
        api_version, kind = obj.get("apiVersion"), obj.get("kind")
        if api_version not in (None, "", rt.api_version) or kind not in (None, "", rt.kind):
            raise bad_request(
                f"the API version in the data ({api_version}) and kind ({kind}) do not match "
                f"the expected {rt.api_version} {rt.kind}"
            )

    def _updated(
        self, rt: ResourceType, old: dict[str, Any], cand: dict[str, Any], subresource: str | None
    ) -> dict[str, Any]:
        """The object a write of ``cand`` over ``old`` stores (API server update strategy)."""
        if subresource == "status":
            if not rt.has_status:
                raise ApiError(404, "NotFound", "the server could not find the requested resource")
            new = old  # a fresh decode: ours to edit
            if "status" in cand:
                new["status"] = cand["status"]
            else:
                new.pop("status", None)
            return new
        if subresource is not None:
            raise ApiError(404, "NotFound", "the server could not find the requested resource")
        self._check_type(rt, cand)
        new = cand
        new["apiVersion"], new["kind"] = rt.api_version, rt.kind
        meta = new.setdefault("metadata", {})
        if not isinstance(meta, dict):
            raise bad_request("metadata must be an object")
        old_meta = old["metadata"]
        if meta.get("name", old_meta["name"]) != old_meta["name"]:
            raise bad_request(
                f"the name of the object ({meta.get('name')}) does not match the name on the "
                f"URL ({old_meta['name']})"
            )
        if rt.namespaced and meta.get("namespace", old_meta["namespace"]) != old_meta["namespace"]:
            raise bad_request(
                "the namespace of the provided object does not match the namespace sent on the request"
            )
        for key in (
            "name",
            "namespace",
            "uid",
            "creationTimestamp",
            "generation",
            "resourceVersion",
            "deletionTimestamp",
        ):
            if key in old_meta:
                meta[key] = old_meta[key]
            else:
                meta.pop(key, None)
        meta.pop("managedFields", None)
        if rt.has_status:
            if "status" in old:
                new["status"] = old["status"]
            else:
                new.pop("status", None)
        if _spec_part(new, rt.has_status) != _spec_part(old, rt.has_status):
            meta["generation"] = int(old_meta.get("generation") or 0) + 1
        return new

    def _write(self, rt: ResourceType, entry: Entry, cand: dict[str, Any], subresource: str | None) -> Entry:
        new = self._updated(rt, entry.copy(), cand, subresource)
        new["metadata"]["resourceVersion"] = entry.resource_version
        if new == entry.copy():
            return entry  # nothing changed: no new resourceVersion, no event
        return self._commit(rt, "MODIFIED", new, entry)

    def conflict(self, rt: ResourceType, name: str) -> ApiError:
        return ApiError(
            409,
            "Conflict",
            f'Operation cannot be fulfilled on {rt.group_resource} "{name}": the '
            "object has been modified; please apply your changes to the latest version and try "
            "again",
            {"name": name, "group": rt.group, "kind": rt.plural},
        )

    def replace(
        self, plural: str, obj: dict[str, Any], subresource: str | None = None, *, dry_run: bool = False
    ) -> dict[str, Any]:
        """PUT: needs ``metadata.resourceVersion`` equal to the stored one (409 otherwise)."""
        rt = self.resource(plural)
        cand = _own(obj)
        meta = cand.setdefault("metadata", {})
        name = meta.get("name") or ""
        with self._writing(dry_run):
            entry = self._entry(rt, meta.get("namespace") or ("default" if rt.namespaced else ""), name)
            rv = meta.get("resourceVersion")
            if not rv:
                raise self._invalid(
                    rt, name, "metadata.resourceVersion: Invalid value: 0x0: must be specified for an update"
                )
            if str(rv) != entry.resource_version:
                raise self.conflict(rt, name)
            entry = self._write(rt, entry, cand, subresource)
        return entry.copy()

    def patch(
        self,
        plural: str,
        namespace: str | None,
        name: str,
        patch_body: Any,
        content_type: str,
        subresource: str | None = None,
        *,
        dry_run: bool = False,
    ) -> dict[str, Any]:
        """Merge patch or JSON Patch (``patch_body`` as bytes/str JSON or parsed); 415 for others."""
        rt = self.resource(plural)
        if isinstance(patch_body, (bytes, bytearray, str)):
            try:
                patch_body = json.loads(patch_body)
            except ValueError as exc:
                raise bad_request(f"error decoding patch: {exc}") from None
        with self._writing(dry_run):
            entry = self._entry(rt, namespace, name)
            cand = apply_patch(entry.copy(), patch_body, content_type, strategic=rt.group != "argoproj.io")
            if not isinstance(cand, dict) or not isinstance(cand.get("metadata", {}), dict):
                raise bad_request("the patched object is not a Kubernetes object")
            rv = cand.get("metadata", {}).get("resourceVersion")
            if rv and str(rv) != entry.resource_version:
                raise self.conflict(rt, name)  # a patch that names an RV is a precondition
            entry = self._write(rt, entry, cand, subresource)
        return entry.copy()

    def mutate(
        self,
        plural: str,
        namespace: str | None,
        name: str,
        fn: Callable[[dict[str, Any]], Any],
        subresource: str | None = None,
    ) -> dict[str, Any]:
        """Read-modify-write in one step: ``fn`` edits a copy in place (or returns a new dict)."""
        rt = self.resource(plural)
        with self._writing():
            entry = self._entry(rt, namespace, name)
            cand = entry.copy()
            result = fn(cand)
            if isinstance(result, dict):
                cand = result
            if not isinstance(cand, dict) or not isinstance(cand.get("metadata", {}), dict):
                raise bad_request("mutate must leave a Kubernetes object")
            entry = self._write(rt, entry, cand, subresource)
        return entry.copy()

    def delete(
        self,
        plural: str,
        namespace: str | None,
        name: str,
        *,
        propagation: str = "Background",
        precondition_rv: str | None = None,
        precondition_uid: str | None = None,
        dry_run: bool = False,
    ) -> dict[str, Any]:
        """Delete and return the last state; dependents go too unless ``propagation="Orphan"``."""
        rt = self.resource(plural)
        with self._writing(dry_run):
            entry = self._entry(rt, namespace, name)
            if precondition_uid and precondition_uid != entry.uid:
                raise ApiError(
                    409,
                    "Conflict",
                    f"Operation cannot be fulfilled on {rt.group_resource} "
                    f'"{name}": Precondition failed: UID in precondition: {precondition_uid}, UID '
                    f"in object meta: {entry.uid}",
                )
            if precondition_rv and precondition_rv != entry.resource_version:
                raise self.conflict(rt, name)
            last = self._delete(rt, entry, propagation != "Orphan")
        return last.copy()

    def _delete(self, rt: ResourceType, entry: Entry, cascade: bool) -> Entry:
        gone = entry.copy()
        gone["metadata"]["deletionTimestamp"] = timestamp(self.clock)
        last = self._commit(rt, "DELETED", gone, entry)
        if cascade and not self._dry_run:
            for plural, ns, name in sorted(self._owned.pop(entry.uid or "", set())):
                child = self._objects[plural].get(ns, {}).get(name)
                if child is not None:
                    self._delete(RESOURCES[plural], child, True)
            if rt.plural == "namespaces":
                for plural, bucket in self._objects.items():
                    for child in sorted(bucket.get(entry.name, {}).values(), key=lambda e: e.name):
                        if bucket.get(entry.name, {}).get(child.name) is child:
                            self._delete(RESOURCES[plural], child, True)
        return last

    # ----------------------------------------------------------------- watches
    def watch(
        self,
        plural: str,
        namespace: str | None = None,
        resource_version: str | None = None,
        label_selector: str | None = None,
        field_selector: str | None = None,
    ) -> Watch:
        """Unset/"0": ADDED for every current object, then changes; an exact RV: changes after it
        (410 Expired when it is older than the history)."""
        rt = self.resource(plural)
        labels, fields = self._selectors(rt, label_selector, field_selector)
        watch = Watch(
            rt,
            self._scope(rt, namespace) or None,
            labels,
            fields,
            self._lock,
            lambda: self._rv,
            self._unregister,
        )
        with self._lock:
            if resource_version in (None, "", "0"):
                for entry in self._select(rt, namespace, labels, fields):
                    watch._push(WatchEvent("ADDED", entry.raw, entry.rv))
                watch.last_rv = self._rv
            else:
                try:
                    since = int(resource_version)
                except ValueError:
                    raise bad_request(f'invalid resource version "{resource_version}"') from None
                if since < self._compacted_rv:
                    raise self.expired(since)
                if since > self._rv:
                    # A version this store never handed out (e.g. a client from before a fresh
                    # simulator process): kube-apiserver's answer, on which client-go relists.
                    raise ApiError(
                        504,
                        "Timeout",
                        f"Too large resource version: {since}, current: {self._rv}",
                        {
                            "causes": [
                                {"reason": "ResourceVersionTooLarge", "message": "Too large resource version"}
                            ],
                            "retryAfterSeconds": 1,
                        },
                    )
                for item in self._history:
                    if item.rv > since and item.plural == rt.plural:
                        watch._offer(item.type, item.entry, item.prev)
                watch.last_rv = max(since, 0)
            self._watches[rt.plural].add(watch)
        return watch

    def expired(self, since: int | str) -> ApiError:
        return ApiError(410, "Expired", f"too old resource version: {since} ({self._compacted_rv + 1})")

    def _unregister(self, watch: Watch) -> None:
        with self._lock:
            self._watches[watch.resource.plural].discard(watch)

    def watches(self) -> list[Watch]:
        with self._lock:
            return [w for ws in self._watches.values() for w in ws]

    def expire_history(self, terminate_watches: bool = True) -> None:
        """Forget all history (any watch from an older RV gets 410); optionally end open watches
        with a 410 ERROR event, as an API server whose watch cache fell behind does."""
        with self._lock:
            self._history.clear()
            self._rv += 1  # so that even the latest version handed out is now too old
            self._compacted_rv = self._rv
            watches = [w for ws in self._watches.values() for w in ws]
            for watch in watches if terminate_watches else ():
                watch.terminate(self.expired(watch.last_rv))

    def add_listener(self, fn: Listener) -> None:
        with self._lock:
            self._listeners.append(fn)

    def remove_listener(self, fn: Listener) -> None:
        with self._lock:
            if fn in self._listeners:
                self._listeners.remove(fn)

    # ----------------------------------------------------------------- bulk
    def load(self, objects: Iterable[dict[str, Any]]) -> int:
        """Seed objects as they are (kind decides the type; duplicates skipped); returns how many
        were stored."""
        from rollout_tui.sim.resources import by_kind

        count = 0
        with self._writing():
            for obj in objects:
                try:
                    rt = by_kind(obj.get("kind", ""))
                except KeyError:
                    raise bad_request(f'no kind "{obj.get("kind")}" is registered in the simulator') from None
                new = _own(obj)
                meta = new.setdefault("metadata", {})
                ns = (meta.get("namespace") or "default") if rt.namespaced else ""
                if meta.get("name") in self._objects[rt.plural].get(ns, {}):
                    continue  # the same object in two manifests: the first one wins
                new["apiVersion"] = rt.api_version  # fixtures may carry old groups (extensions/v1beta1)
                self._create(rt, new, True)
                count += 1
        return count
