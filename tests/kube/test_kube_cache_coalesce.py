from __future__ import annotations

import queue

from rollout_tui.kube.cache import ObjectCache
from rollout_tui.kube.coalesce import Coalescer
from rollout_tui.kube.state import ConnectionState, Phase, worst


def obj(name: str, rv: str, ns: str = "a", owner: str | None = None) -> dict:
    meta: dict = {"name": name, "namespace": ns, "resourceVersion": rv, "uid": f"uid-{name}"}
    if owner:
        meta["ownerReferences"] = [{"uid": owner, "controller": True}]
    return {"kind": "Pod", "metadata": meta}


def test_relist_diff_reports_exact_changes() -> None:
    cache = ObjectCache()
    up, gone = cache.replace("r1", "Pod", [obj("x", "1"), obj("y", "1")])
    assert [o["metadata"]["name"] for o in up] == ["x", "y"] and gone == []
    up, gone = cache.replace("r1", "Pod", [obj("x", "1"), obj("z", "5"), obj("y", "7")])
    assert sorted(o["metadata"]["name"] for o in up) == ["y", "z"]  # x unchanged: not re-announced
    assert gone == []
    up, gone = cache.replace("r1", "Pod", [obj("z", "5")])
    assert up == [] and sorted(gone) == [("Pod", "a", "x"), ("Pod", "a", "y")]
    assert [o["metadata"]["name"] for o in cache.objects_of("Pod")] == ["z"]


def test_indexes_by_namespace_and_owner_follow_updates() -> None:
    cache = ObjectCache()
    cache.upsert("r", "Pod", obj("p1", "1", ns="a", owner="rs-1"))
    cache.upsert("r", "Pod", obj("p2", "1", ns="b", owner="rs-1"))
    assert {o["metadata"]["name"] for o in cache.owned_by("rs-1")} == {"p1", "p2"}
    assert [o["metadata"]["name"] for o in cache.objects_of("Pod", "b")] == ["p2"]
    cache.upsert("r", "Pod", obj("p1", "2", ns="a", owner="rs-2"))  # adopted by another owner
    assert [o["metadata"]["name"] for o in cache.owned_by("rs-1")] == ["p2"]
    assert [o["metadata"]["name"] for o in cache.owned_by("rs-2")] == ["p1"]
    assert cache.drop("r", ("Pod", "b", "p2"))
    assert cache.owned_by("rs-1") == [] and cache.objects_of("Pod", "b") == []


def test_overlapping_holders_keep_an_object_until_the_last_lets_go() -> None:
    cache = ObjectCache()
    cache.upsert("one", "Pod", obj("p", "1"))
    cache.upsert("two", "Pod", obj("p", "1"))
    assert cache.release("one") == []
    assert cache.get("Pod", "a", "p") is not None
    assert cache.release("two") == [("Pod", "a", "p")]
    assert len(cache) == 0


def test_coalescer_merges_per_object_and_keeps_the_newest() -> None:
    out: queue.Queue = queue.Queue()
    states = {"ctx": ConnectionState(Phase.LIVE)}
    co = Coalescer(out, lambda: states)
    co.add("ctx", "Pod", [(("Pod", "a", "x"), obj("x", "1")), (("Pod", "a", "y"), obj("y", "1"))], [])
    co.add("ctx", "Pod", [(("Pod", "a", "x"), obj("x", "2"))], [])
    co.add("ctx", "Pod", [], [("Pod", "a", "y")])
    co.add("ctx", "Rollout", [(("Rollout", "a", "r"), {"kind": "Rollout", "metadata": {"name": "r"}})], [])
    co.state_changed("other")
    assert co.flush() == 3
    batches = [out.get_nowait() for _ in range(3)]
    pods = next(b for b in batches if b.kind == "Pod")
    assert [o["metadata"]["resourceVersion"] for o in pods.upserted] == ["2"]
    assert pods.deleted == (("Pod", "a", "y"),)
    state_only = next(b for b in batches if b.context == "other")
    assert state_only.kind == "" and state_only.connections == states
    assert co.flush() == 0


def test_coalescer_thread_flushes_on_its_own() -> None:
    out: queue.Queue = queue.Queue()
    co = Coalescer(out, dict, interval=0.01)
    co.start()
    try:
        co.add("ctx", "Pod", [(("Pod", "a", "x"), obj("x", "1"))], [])
        batch = out.get(timeout=5)
        assert batch.upserted[0]["metadata"]["name"] == "x"
    finally:
        co.stop()


def test_worst_state_wins_and_keeps_its_since() -> None:
    from datetime import UTC, datetime

    t1 = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    t2 = datetime(2026, 1, 1, 12, 5, 0, tzinfo=UTC)
    states = [
        ConnectionState(Phase.LIVE),
        ConnectionState(Phase.RECONNECTING, t2, "x"),
        ConnectionState(Phase.RECONNECTING, t1, "y"),
        ConnectionState(Phase.FORBIDDEN, t1),
    ]
    result = worst(states)
    assert result.phase is Phase.RECONNECTING and result.since == t1
    assert result.describe() == "reconnecting since 12:00:00: y"
    assert worst([ConnectionState(Phase.LIVE)]).describe() == "live"


def test_a_deferred_projection_is_computed_only_for_the_versions_read() -> None:
    computed: list[str] = []

    def project(o: dict) -> tuple[str, str]:
        computed.append(o["metadata"]["resourceVersion"])
        return ("state", o["metadata"]["resourceVersion"])

    cache = ObjectCache()
    for rv in ("1", "2", "3"):
        cache.upsert("r", "State", obj("x", rv), project, defer=True)
    assert cache.upsert("r", "State", obj("x", "3"), project, defer=True) is None  # same version
    assert computed == []
    assert cache.find("State", "a", "x") == ("state", "3")
    assert cache.objects_of("State") == [("state", "3")]
    assert computed == ["3"]  # once, for the version read


def test_while_the_consumer_has_not_taken_a_batch_the_next_waits_and_keeps_merging() -> None:
    """A flood costs one projection per object per drain: the flush waits for the consumer, then
    carries the newest version alone, projected once."""
    import time

    computed: list[str] = []

    def project(o: dict) -> str:
        computed.append(o["metadata"]["resourceVersion"])
        return o["metadata"]["resourceVersion"]

    out: queue.Queue = queue.Queue()
    cache = ObjectCache()
    co = Coalescer(out, dict, interval=0.01)
    co.start()
    try:
        co.add(
            "ctx",
            "State",
            [(("State", "a", "x"), cache.upsert("r", "State", obj("x", "1"), project, True))],
            [],
        )
        first = out.get(timeout=2)  # taken: the consumer keeps up
        assert first.upserted == ("1",)
        out.put(first)  # now a batch waits unconsumed
        for rv in range(2, 40):
            value = cache.upsert("r", "State", obj("x", str(rv)), project, True)
            co.add("ctx", "State", [(("State", "a", "x"), value)], [])
            time.sleep(0.005)
        time.sleep(0.1)
        assert out.qsize() == 1  # nothing flushed while the first waits
        out.get_nowait()
        newest = out.get(timeout=2)
        assert newest.upserted == ("39",)
        assert computed == ["1", "39"]
    finally:
        co.stop()


def test_while_a_flush_waits_it_projects_pending_objects_beyond_the_bound() -> None:
    """A deferred state holds its decoded object: 20 contexts listing while the UI is busy kept
    ~10,000 of them (194 MB peak, goal 150). Past MAX_UNRESOLVED they are projected while waiting."""
    import time

    from rollout_tui.kube.cache import Deferred
    from rollout_tui.kube.coalesce import MAX_UNRESOLVED

    out: queue.Queue = queue.Queue()
    out.put("a batch the consumer has not taken")
    co = Coalescer(out, dict, interval=0.01)
    few = [Deferred(obj(f"f{i}", "1"), lambda o: o["metadata"]["name"], "1") for i in range(10)]
    co.add("ctx", "State", [(("State", "a", f"f{i}"), d) for i, d in enumerate(few)], [])
    co.start()
    try:
        time.sleep(0.1)
        assert all(d._obj is not None for d in few)  # few pending: they wait for the flush
        many = [
            Deferred(obj(f"m{i}", "1"), lambda o: o["metadata"]["name"], "1") for i in range(MAX_UNRESOLVED)
        ]
        co.add("ctx", "State", [(("State", "a", f"m{i}"), d) for i, d in enumerate(many)], [])
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline and any(d._obj is not None for d in many):
            time.sleep(0.01)
        assert out.qsize() == 1  # still holding the flush
        assert all(d._obj is None and d.value() == f"m{i}" for i, d in enumerate(many))
    finally:
        co.stop()


def test_a_connection_change_is_not_held_behind_an_unconsumed_batch() -> None:
    """The hold merges object changes; "live"/"reconnecting" reach the UI at once (a snapshot caught
    the header still "syncing" after every row was shown)."""
    import time

    out: queue.Queue = queue.Queue()
    out.put("a batch the consumer has not taken")
    co = Coalescer(out, lambda: {"ctx": ConnectionState(Phase.LIVE)}, interval=0.01)
    co.start()
    try:
        started = time.monotonic()
        co.state_changed("ctx")
        while out.qsize() < 2 and time.monotonic() - started < 2:
            time.sleep(0.005)
        assert out.qsize() == 2 and time.monotonic() - started < 0.3
    finally:
        co.stop()
