"""The scheduling system's schedule list, from which a person downloads the export of approved schedules."""

from __future__ import annotations

from pathlib import Path

from runner.pages import Screen

SYSTEM = "schema"
LIST_PATH = "/scheman"
PAGE_NAME = "Scheman"
EXPORT_LINK = "#export-csv"


class ScheduleList(Screen):
    """`/scheman`: the table of schedules and the link "Exportera godkända scheman (CSV)"."""

    system = SYSTEM
    name = PAGE_NAME
    path = LIST_PATH
    requires = (EXPORT_LINK,)

    async def download_export(self, folder: Path) -> bytes:
        """Click the export link as a person would and keep the downloaded file in `folder`."""
        await self.verify()
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
            raise self.changed("the export link returned a web page, not a CSV file")
        return content
