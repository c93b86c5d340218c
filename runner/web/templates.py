"""The Jinja2 templates of the pages and of the exported report, with their Swedish filters.

One place for the pages (runner.web.app) and the self-contained export (runner.web.report): the export
renders the same macros, so a case reads the same on screen and in the file.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from fastapi.templating import Jinja2Templates

from runner.web import format as fmt
from runner.web.masking import mask_personnummer

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


def make_templates() -> Jinja2Templates:
    """The templates with the filters the pages use (`local`, `antal`, `mask`, …) and the label tables."""
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    env = templates.env
    env.filters.update(
        local=fmt.local_time,
        duration=fmt.duration,
        number=fmt.number,
        antal=fmt.count,  # {{ n|antal("ärende", "ärenden") }}: "1 ärende", "2 ärenden"
        cron=fmt.cron_in_words,
        hours=fmt.minutes_as_hours,
        status_label=fmt.status_label,
        run_status_label=fmt.run_status_label,
        mask=mask_personnummer,
        urlquote=lambda v: quote(str(v), safe=""),
    )
    env.globals.update(
        STATUS_LABELS=fmt.STATUS_LABELS,
        RUN_STATUS_LABELS=fmt.RUN_STATUS_LABELS,
        TRIGGER_LABELS=fmt.TRIGGER_LABELS,
        SEVERITY_LABELS=fmt.SEVERITY_LABELS,
        AUDIT_ACTION_LABELS=fmt.AUDIT_ACTION_LABELS,
    )
    return templates
