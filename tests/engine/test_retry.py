"""Passing server errors on reads are absorbed; writes are never blindly repeated."""

from __future__ import annotations


import httpx

from runner.api import Status
from runner.engine import run_coroutine
from runner.engine.retry import RetryingTransport
from runner.testing import run_robot


def test_a_page_answered_503_twice_is_read_again_without_failing_the_item(target, tiny_settings):
    server = target(2)
    server.state.flaky["A001"] = 2
    settings = tiny_settings(server, concurrency=1)

    result = run_robot("tiny", settings)

    assert result.outcomes["A001"].status == Status.prepared
    assert server.state.page_views["A001"] == 4  # 503, 503, the page, and the page after the write
    assert server.state.writes["A001"] == 1


def test_the_fetch_reads_a_page_answered_503_more_often_than_an_item_does(target, tiny_settings):
    # read_retries = 2 (three tries) in an item, fetch_read_retries = 5 (six tries) in the fetch: one page
    # that cannot be read fails the whole fetch, and a robot like Bosse reads hundreds in it
    server = target(3)
    server.state.flaky_list = 4
    server.state.flaky["A002"] = 3
    settings = tiny_settings(server, concurrency=1)
    assert (settings.browser.read_retries, settings.browser.fetch_read_retries) == (2, 5)

    result = run_robot("tiny", settings)

    assert result.run.status == "completed"
    assert server.state.list_views == 5  # four 503s, then the list: the fetch's first attempt succeeded
    assert set(result.outcomes) == {"A000", "A001", "A002"}
    assert result.outcomes["A002"].status == Status.prepared
    assert server.state.page_views["A002"] == 5  # three 503s fail the first attempt; the second reads and reads back
    assert all(n == 1 for n in server.state.writes.values())


def _client(answers: list[int], retries: int = 2) -> tuple[httpx.AsyncClient, list[str]]:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.method)
        return httpx.Response(answers.pop(0) if answers else 200, json={"ok": True})

    async def no_sleep(_: float) -> None:
        return None

    transport = RetryingTransport(retries, 0.0, sleep=no_sleep, inner=httpx.MockTransport(handler))
    return httpx.AsyncClient(base_url="http://ssbtek.test", transport=transport), seen


def test_api_reads_are_retried_on_5xx_and_give_up_after_the_limit():
    async def scenario() -> tuple[int, int, list[str], list[str]]:
        client, seen = _client([503, 500])
        ok = await client.get("/inkomster")
        client2, seen2 = _client([503, 503, 503, 503])
        bad = await client2.get("/inkomster")
        return ok.status_code, bad.status_code, seen, seen2

    ok, bad, seen, seen2 = run_coroutine(scenario)
    assert ok == 200 and seen == ["GET", "GET", "GET"]
    assert bad == 503 and len(seen2) == 3  # one try and two retries, then the error is the robot's


def test_api_writes_are_not_repeated():
    async def scenario() -> tuple[int, list[str]]:
        client, seen = _client([503])
        response = await client.post("/anteckning", json={})
        return response.status_code, seen

    status, seen = run_coroutine(scenario)
    assert status == 503 and seen == ["POST"]
