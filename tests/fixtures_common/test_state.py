"""The state store: the scenario data stays pristine, the first write copies, a reset is instant."""

from __future__ import annotations

import threading

from fixtures.common.state import StateStore
from tests.fixtures_common.example_system import Case, ExampleData


def data() -> ExampleData:
    return ExampleData(cases=[Case(id=f"C{i:04d}", title="t", month="2026-11") for i in range(3)])


def test_writes_go_to_a_copy_and_reset_brings_the_pristine_data_back() -> None:
    pristine = data()
    store = StateStore(lambda: pristine)
    with store.read() as state:
        assert state is pristine  # reading costs nothing
    with store.write() as state:
        state.cases[0].notes.append("skriven")
    assert pristine.cases[0].notes == []
    assert store.dump()["cases"][0]["notes"] == ["skriven"]
    with store.write() as state:  # later writes change the same copy
        state.cases[1].notes.append("två")
    assert [c["notes"] for c in store.dump()["cases"]] == [["skriven"], ["två"], []]
    store.reset()
    assert store.dump() == pristine.model_dump(mode="json")
    with store.write() as state:
        assert state is not pristine and state.cases[0].notes == []


def test_check_then_write_is_atomic_across_threads() -> None:
    store = StateStore(data)
    booked: list[str] = []

    def book(worker: str) -> None:
        for _ in range(200):
            with store.write() as state:
                if len(state.cases[0].notes) < 100:  # "the shift is still free"
                    state.cases[0].notes.append(worker)
                    booked.append(worker)

    threads = [threading.Thread(target=book, args=(f"w{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(booked) == 100 == len(store.dump()["cases"][0]["notes"])
