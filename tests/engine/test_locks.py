"""`ctx.lock(name)`: one holder at a time per name, in one process (SQLite) and across processes
(PostgreSQL advisory locks); a holder whose connection dies lets the next one in."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text

from runner.engine import run_coroutine
from runner.engine.locks import ROBOT_LOCK_CLASS, RobotLocks
from runner.ledger.db import close_database, make_engine, open_database
from tests.support.pg import pg_schema_url


async def _two_holders(first: RobotLocks, second: RobotLocks, name_a: str, name_b: str) -> list[str]:
    """A holds `name_a` until B has tried `name_b`; the order of events tells whether B had to wait."""
    events: list[str] = []
    b_tried = asyncio.Event()

    async def a() -> None:
        async with first.hold(name_a):
            events.append("a in")
            await b_tried.wait()
            for _ in range(20):  # give B every chance to get in while A holds
                await asyncio.sleep(0.01)
            events.append("a out")

    async def b() -> None:
        while "a in" not in events:
            await asyncio.sleep(0.005)
        b_tried.set()
        async with second.hold(name_b):
            events.append("b in")

    await asyncio.gather(a(), b())
    return events


def test_one_holder_per_name_in_one_process() -> None:
    locks = RobotLocks("bosse")
    assert not locks.shared
    assert run_coroutine(lambda: _two_holders(locks, locks, "vikarie:1", "vikarie:1")) == ["a in", "a out", "b in"]
    assert run_coroutine(lambda: _two_holders(locks, locks, "vikarie:1", "vikarie:2")) == ["a in", "b in", "a out"]


@pytest.mark.postgres
def test_postgresql_lock_holds_across_connections_and_dies_with_its_holder(postgres_url: str) -> None:
    with pg_schema_url(postgres_url) as url:
        engine, _ = open_database(url)
        other = make_engine(url)  # a second "machine": its own pool
        try:
            one, two = RobotLocks("bosse", engine), RobotLocks("bosse", other)
            assert one.shared and two.shared
            assert run_coroutine(lambda: _two_holders(one, two, "vikarie:7", "vikarie:7")) == ["a in", "a out", "b in"]
            assert run_coroutine(lambda: _two_holders(one, two, "vikarie:7", "vikarie:8")) == ["a in", "b in", "a out"]
            harry = RobotLocks("harry", other)  # another robot's lock of the same name is another lock
            assert run_coroutine(lambda: _two_holders(one, harry, "vikarie:7", "vikarie:7")) == ["a in", "b in", "a out"]

            async def holder_dies() -> bool:
                async with one.hold("vikarie:9"):
                    with other.connect() as admin:  # the holder's machine goes away: its session ends
                        key = one._key(admin, "vikarie:9") & 0xFFFFFFFF
                        admin.execute(
                            text("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' "
                                 "AND classid = :c AND objid::bigint = :k AND granted"),
                            {"c": ROBOT_LOCK_CLASS, "k": key},
                        )
                        admin.commit()
                    async with asyncio.timeout(60):
                        async with two.hold("vikarie:9"):
                            return True

            assert run_coroutine(holder_dies)
        finally:
            other.dispose()
            close_database(url)
