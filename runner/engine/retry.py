"""Retrying what is safe to retry: reading a page or a JSON resource after a passing server error.

Legacy systems answer an odd 500 or 503 under night-time load. Re-reading is harmless, so a GET is tried
again a few times with a short backoff before it counts as a technical failure of the item. Writes are
never retried here: the robot reads back, and the engine retries the whole item.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import httpx
from playwright.async_api import Page, Response

from runner.api import READ_ONLY, SystemUnavailableError

RETRY_STATUSES = frozenset({500, 502, 503, 504})
READ_ONLY_KEY = next(iter(READ_ONLY))


async def goto_with_retry(page: Page, url: str, *, retries: int, backoff: float, system: str) -> Response | None:
    """`page.goto(url)`, again on a 5xx answer; raises SystemUnavailableError when it never succeeds."""
    for attempt in range(retries + 1):
        response = await page.goto(url)
        if response is None or response.status not in RETRY_STATUSES:
            return response
        if attempt < retries:
            await asyncio.sleep(backoff * 2**attempt)
    raise SystemUnavailableError(f"system {system!r} answered {response.status} {retries + 1} times")


class RetryingTransport(httpx.AsyncBaseTransport):
    """An httpx transport that re-sends idempotent requests answered 5xx or not answered at all.

    Idempotent: GET, HEAD, OPTIONS, and a POST the robot marks as a read (`extensions=runner.api.READ_ONLY`).
    """

    def __init__(
        self,
        retries: int,
        backoff: float,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        inner: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._inner = inner or httpx.AsyncHTTPTransport()
        self._retries = retries
        self._backoff = backoff
        self._sleep = sleep

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        idempotent = request.method in ("GET", "HEAD", "OPTIONS") or request.extensions.get(READ_ONLY_KEY) is True
        for attempt in range(self._retries + 1):
            last = attempt == self._retries or not idempotent
            try:
                response = await self._inner.handle_async_request(request)
            except httpx.TransportError:
                if last:
                    raise
            else:
                if response.status_code not in RETRY_STATUSES or last:
                    return response
                await response.aclose()
            await self._sleep(self._backoff * 2**attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    async def aclose(self) -> None:
        await self._inner.aclose()
