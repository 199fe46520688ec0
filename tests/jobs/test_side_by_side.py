"""Through a pool of identities each identity's sheets have workers of their own: a
worker waiting for one identity's quota never holds up a sheet another identity can do
now (jobs.night.context.side_by_side)."""
import threading
from types import SimpleNamespace

from jobs.night.context import CALLS_AT_ONCE_PER_IDENTITY, side_by_side


def night_through(identities: list[str], lane_of: dict):
    backend = SimpleNamespace(members=identities, identity_for=lambda sid: lane_of[sid])
    return SimpleNamespace(backend=backend, config=SimpleNamespace(quota={"workers": 1}))


def test_an_identity_out_of_quota_does_not_hold_up_the_others():
    # the first identity's sheets come first and wait (its minute is spent) until every
    # sheet of the second identity is done: with one shared queue every worker would be
    # waiting on the first identity and the second's sheets would never start
    slow = [f"a{i}" for i in range(3 * CALLS_AT_ONCE_PER_IDENTITY)]
    quick = [f"b{i}" for i in range(3 * CALLS_AT_ONCE_PER_IDENTITY)]
    lane_of = {s: "one@pool" for s in slow} | {s: "two@pool" for s in quick}
    night = night_through(["one@pool", "two@pool"], lane_of)
    quick_done, done = threading.Event(), []
    lock = threading.Lock()

    def write(sid: str) -> str:
        if sid in lane_of and lane_of[sid] == "one@pool":
            assert quick_done.wait(timeout=20), "the second identity's sheets were held up"
        with lock:
            done.append(sid)
            if all(q in done for q in quick):
                quick_done.set()
        return sid.upper()

    students = slow + quick
    results = side_by_side(night, students, lambda sid: SimpleNamespace(id=sid), write)
    assert results == [s.upper() for s in students]           # in the items' order
    assert set(done[:len(quick)]) == set(quick)
    assert sorted(done) == sorted(students)


def test_without_a_pool_the_items_are_done_in_turn_when_one_worker_is_asked():
    night = SimpleNamespace(backend=SimpleNamespace(), config=SimpleNamespace(quota={"workers": 1}))
    seen = []
    assert side_by_side(night, [3, 1, 2], lambda i: SimpleNamespace(id=str(i)),
                        lambda i: seen.append(i) or i * 10) == [30, 10, 20]
    assert seen == [3, 1, 2]
