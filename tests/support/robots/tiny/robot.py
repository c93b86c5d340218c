"""A tiny robot for the engine's tests: reads a list, opens each item, writes once, reads back."""

from __future__ import annotations

from collections.abc import AsyncIterator

from runner.api import BusinessError, Context, Outcome, Robot, WorkItem


class Tiny(Robot):
    name = "tiny"
    title = "Tiny – testrobot"
    systems = ("target",)
    minutes_saved_per_case = 1

    async def fetch(self, ctx: Context) -> AsyncIterator[WorkItem]:
        page = await ctx.goto("target", "/items")
        for key in await page.locator("li.item").all_inner_texts():
            yield WorkItem(key=key, title=f"Ärende {key}")

    async def process(self, ctx: Context, item: WorkItem) -> Outcome:
        page = await ctx.goto("target", f"/item/{item.key}")
        if await page.locator("#case").count() == 0:
            raise RuntimeError("item page did not load")
        if await page.locator("#blocked").count():
            raise BusinessError("blocked", "Ärendet är spärrat och måste hanteras av en handläggare")
        if int(await page.locator("#written").inner_text()) > 0:
            return Outcome.skipped("Redan sparat")
        if ctx.dry_run:
            return Outcome.prepared("Skulle sparas (provkörning)")
        await page.click("#write")
        await page.wait_for_load_state()
        if int(await page.locator("#written").inner_text()) < 1:
            raise RuntimeError("write not visible on read-back")
        return Outcome.prepared("Sparat")
