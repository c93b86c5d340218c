"""The scheduling system's schedule list, from which a person downloads the export of approved schedules."""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Page

from runner.api import PageChangedError

from robots.harry.pages.base import ensure

SYSTEM = "schema"
LIST_PATH = "/scheman"
PAGE_NAME = "Scheman"
EXPORT_LINK = "#export-csv"


class ScheduleList:
    """`/scheman`: the table of schedules and the link "Exportera godkända scheman (CSV)"."""

    def __init__(self, page: Page) -> None:
        self.page = page

    async def check(self) -> ScheduleList:
        await ensure(self.page, SYSTEM, PAGE_NAME, EXPORT_LINK)
        return self

    async def download_export(self, folder: Path) -> bytes:
        """Click the export link as a person would and keep the downloaded file in `folder`."""
        await self.check()
        async with self.page.expect_download() as info:
            await self.page.locator(EXPORT_LINK).first.click()
        download = await info.value
        failure = await download.failure()
        if failure:
            raise RuntimeError(f"the export download failed: {failure}")
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / (download.suggested_filename or "godkanda-scheman.csv")
        await download.save_as(target)
        content = target.read_bytes()
        if content.lstrip(b"\xef\xbb\xbf").lstrip().startswith(b"<"):
            # An HTML page instead of a CSV file: the export link no longer leads to the export.
            raise PageChangedError(SYSTEM, PAGE_NAME, "the export link returned a web page, not a CSV file")
        return content
