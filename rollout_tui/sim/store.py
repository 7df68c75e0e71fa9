"""The simulator's object store: what etcd + the API server's registry do, in memory.

Each stored version is kept as its JSON bytes plus the few fields selectors need (a Python dict
of a 3 KB object costs ~20 KB; 40,000 objects must fit comfortably). Callers get fresh dicts
decoded from those bytes, which is both the cheapest deep copy and what the HTTP server writes
as-is for lists and watch events. One RLock guards everything; listeners run after the lock is
released.

Rules implemented (as kube-apiserver applies them; what create and update do to an object is in
``registry``):
- every write takes the next global resourceVersion and is recorded in a bounded history that
  watches replay from (``history``); a watch from an RV older than it is refused with 410 Expired;
- a write that changes nothing is a no-op: no new RV, no event;
- deleting an object deletes its dependents (ownerReferences) and a namespace its contents, as
  the garbage collector and namespace controller would (immediately, no finalizers).
"""

from __future__ import annotations

import builtins
import json
import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from rollout_tui.sim import pagination, registry
from rollout_tui.sim.buckets import Buckets
from rollout_tui.sim.errors import ApiError, bad_request
from rollout_tui.sim.fanout import Fanout, Listener, Note
from rollout_tui.sim.history import History, HistoryItem
from rollout_tui.sim.pagination import ListResult
from rollout_tui.sim.patch import apply_patch
from rollout_tui.sim.records import Clock, Entry, dumps, timestamp
from rollout_tui.sim.resources import RESOURCES, ResourceType
from rollout_tui.sim.selection import Selection
from rollout_tui.sim.watch import Watch, WatchEvent

__all__ = ["ApiError", "Entry", "ListResult", "Store", "Watch", "WatchEvent", "dumps"]

log = logging.getLogger(__name__)


class Store:
    """Thread-safe in-memory API registry (see the module docstring for its rules)."""

    def __init__(self, clock: Clock | None = None, history_limit: int = 20000) -> None:
        self.clock = clock
        self._lock = threading.RLock()
        self._rv = 1
        self._objects = Buckets()
        self._history = History(history_limit)
        self._fanout = Fanout(self._lock)
        self._depth = 0
        self._dry_run = False  # set (under the lock) for the duration of a dryRun=All write
        self._ensure_namespace("default")
        self._fanout.take_pending()

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
    def _scope(rt: ResourceType, namespace: str | None) -> str:
        return (namespace or "") if rt.namespaced else ""

    def _entry(self, rt: ResourceType, namespace: str | None, name: str) -> Entry:
        entry = self._objects.get(rt.plural, self._scope(rt, namespace), name)
        if entry is None:
            raise registry.not_found(rt, name)
        return entry

    @contextmanager
    def _writing(self, dry_run: bool = False) -> Iterator[None]:
        """Hold the lock for a write; run listeners once the outermost write has released it."""
        self._lock.acquire()
        self._depth += 1
        was_dry, self._dry_run = self._dry_run, self._dry_run or dry_run
        notes: list[Note] = []
        try:
            yield
        finally:
            self._dry_run = was_dry
            self._depth -= 1
            if self._depth == 0:
                notes = self._fanout.take_pending()
            self._lock.release()
        self._fanout.deliver(notes)

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
        if event_type == "DELETED":
            self._objects.remove(rt.plural, entry, prev)
        else:
            self._objects.put(rt.plural, entry, prev)
        self._history.append(HistoryItem(self._rv, rt.plural, event_type, entry, prev))
        self._fanout.offer(event_type, rt.plural, entry, prev)
        return entry

    def _ensure_namespace(self, namespace: str) -> None:
        if namespace and not self._objects.has("namespaces", "", namespace):
            self._commit(
                RESOURCES["namespaces"], "ADDED", registry.namespace_object(namespace, self.clock), None
            )

    # ----------------------------------------------------------------- reads
    def get(self, plural: str, namespace: str | None, name: str) -> dict[str, Any]:
        return json.loads(self.get_raw(plural, namespace, name))

    def get_raw(self, plural: str, namespace: str | None, name: str) -> bytes:
        rt = self.resource(plural)
        with self._lock:
            return self._entry(rt, namespace, name).raw

    def _selection(
        self, plural: str, namespace: str | None, label_selector: str | None, field_selector: str | None
    ) -> Selection:
        rt = self.resource(plural)
        return Selection.parse(rt, self._scope(rt, namespace) or None, label_selector, field_selector)

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
        selection = self._selection(plural, namespace, label_selector, field_selector)
        start = None
        with self._lock:
            rv = self._rv
            if continue_token:
                rv, start = pagination.parse_continue(continue_token)
            return pagination.page(self._objects.select(selection, start), rv, limit)

    def count(self, plural: str) -> int:
        with self._lock:
            return self._objects.count(self.resource(plural).plural)

    # ----------------------------------------------------------------- writes
    def create(
        self, plural: str, obj: dict[str, Any], *, seed: bool = False, dry_run: bool = False
    ) -> dict[str, Any]:
        """Create ``obj`` (its ``metadata.namespace``, default "default"). ``seed=True`` loads an
        object as it was elsewhere (keeps status, uid, creationTimestamp, generation).
        ``dry_run`` (here and on every write) returns the result without storing anything."""
        rt = self.resource(plural)
        new = registry.own(obj)
        with self._writing(dry_run):
            entry = self._create(rt, new, seed)
        return entry.copy()

    def _create(self, rt: ResourceType, new: dict[str, Any], seed: bool) -> Entry:
        ns, _name = registry.prepare_create(
            rt, new, seed, self.clock, lambda ns, name: self._objects.has(rt.plural, ns, name)
        )
        if rt.namespaced and not self._dry_run:
            self._ensure_namespace(ns)
        return self._commit(rt, "ADDED", new, None)

    def _write(self, rt: ResourceType, entry: Entry, cand: dict[str, Any], subresource: str | None) -> Entry:
        new = registry.updated(rt, entry.copy(), cand, subresource)
        new["metadata"]["resourceVersion"] = entry.resource_version
        if new == entry.copy():
            return entry  # nothing changed: no new resourceVersion, no event
        return self._commit(rt, "MODIFIED", new, entry)

    @staticmethod
    def conflict(rt: ResourceType, name: str) -> ApiError:
        return registry.conflict(rt, name)

    def replace(
        self, plural: str, obj: dict[str, Any], subresource: str | None = None, *, dry_run: bool = False
    ) -> dict[str, Any]:
        """PUT: needs ``metadata.resourceVersion`` equal to the stored one (409 otherwise)."""
        rt = self.resource(plural)
        cand = registry.own(obj)
        meta = cand.setdefault("metadata", {})
        name = meta.get("name") or ""
        with self._writing(dry_run):
            entry = self._entry(rt, meta.get("namespace") or ("default" if rt.namespaced else ""), name)
            rv = meta.get("resourceVersion")
            if not rv:
                raise registry.invalid(
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
                raise registry.uid_precondition_failed(rt, name, precondition_uid, entry.uid)
            if precondition_rv and precondition_rv != entry.resource_version:
                raise self.conflict(rt, name)
            last = self._delete(rt, entry, propagation != "Orphan")
        return last.copy()

    def _delete(self, rt: ResourceType, entry: Entry, cascade: bool) -> Entry:
        gone = entry.copy()
        gone["metadata"]["deletionTimestamp"] = timestamp(self.clock)
        last = self._commit(rt, "DELETED", gone, entry)
        if cascade and not self._dry_run:
            for plural, ns, name in self._objects.take_dependents(entry.uid or ""):
                child = self._objects.get(plural, ns, name)
                if child is not None:
                    self._delete(RESOURCES[plural], child, True)
            if rt.plural == "namespaces":
                for plural, child in self._objects.in_namespace(entry.name):
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
        selection = self._selection(plural, namespace, label_selector, field_selector)
        watch = Watch(selection, self._lock, lambda: self._rv, self._fanout.remove_watch)
        with self._lock:
            if resource_version in (None, "", "0"):
                for entry in self._objects.select(selection):
                    watch._push(WatchEvent("ADDED", entry.raw, entry.rv))
                watch.last_rv = self._rv
            else:
                since = self._history.start(resource_version, self._rv)
                for item in self._history.since(since, plural):
                    watch._offer(item.type, item.entry, item.prev)
                watch.last_rv = max(since, 0)
            self._fanout.add_watch(watch)
        return watch

    def expired(self, since: int | str) -> ApiError:
        return self._history.expired(since)

    def watches(self) -> builtins.list[Watch]:
        return self._fanout.watches()

    def expire_history(self, terminate_watches: bool = True) -> None:
        """Forget all history (any watch from an older RV gets 410); optionally end open watches
        with a 410 ERROR event, as an API server whose watch cache fell behind does."""
        with self._lock:
            self._rv += 1  # so that even the latest version handed out is now too old
            self._history.forget(self._rv)
            for watch in self._fanout.watches() if terminate_watches else ():
                watch.terminate(self.expired(watch.last_rv))

    def add_listener(self, fn: Listener) -> None:
        self._fanout.add_listener(fn)

    def remove_listener(self, fn: Listener) -> None:
        self._fanout.remove_listener(fn)

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
                new = registry.own(obj)
                meta = new.setdefault("metadata", {})
                ns = (meta.get("namespace") or "default") if rt.namespaced else ""
                if self._objects.has(rt.plural, ns, str(meta.get("name"))):
                    continue  # the same object in two manifests: the first one wins
                new["apiVersion"] = rt.api_version  # fixtures may carry old groups (extensions/v1beta1)
                self._create(rt, new, True)
                count += 1
        return count
