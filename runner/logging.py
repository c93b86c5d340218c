"""structlog set-up: JSON lines to a file per run, readable console output on a terminal.

Log files are created owner-only (0600, `runner.private_files`): they name case references.

`run_id`, `robot` and `item_key` are bound through contextvars by the engine. Every line, including
stdlib loggers (APScheduler, uvicorn) and exception text, passes the redaction processor; tracebacks are
rendered without local variables, which could hold passwords or personal data.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path
from typing import Any

import structlog
from structlog.tracebacks import ExceptionDictTransformer

from runner.private_files import PrivateFileHandler, PrivateWatchedFileHandler, private_dir
from runner.redact import redact_processor

_FILE_HANDLER_NAME = "nattskift-run-file"
_CONSOLE_HANDLER_NAME = "nattskift-console"

_shared: list[Any] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_logger_name,
    structlog.stdlib.add_log_level,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def _formatter(console: bool) -> logging.Formatter:
    if console:
        render: list[Any] = [
            structlog.processors.format_exc_info,
            redact_processor,
            structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty()),
        ]
    else:
        render = [
            structlog.processors.ExceptionRenderer(ExceptionDictTransformer(show_locals=False)),
            redact_processor,
            structlog.processors.JSONRenderer(ensure_ascii=False),
        ]
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=_shared,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *render],
    )


def configure_logging(level: str = "info", console: str = "auto", log_dir: Path | None = None) -> None:
    """Configure structlog and the stdlib root logger once per process (idempotent)."""
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *_shared,
            redact_processor,  # at the source too, so no handler (pytest's included) sees raw values
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    root = logging.getLogger()
    root.setLevel(level.upper())
    want_console = console == "always" or (console == "auto" and sys.stderr.isatty())
    existing = {h.get_name() for h in root.handlers}
    if want_console and _CONSOLE_HANDLER_NAME not in existing:
        handler = logging.StreamHandler(sys.stderr)
        handler.set_name(_CONSOLE_HANDLER_NAME)
        handler.setFormatter(_formatter(console=True))
        root.addHandler(handler)
    if log_dir is not None:
        private_dir(log_dir, ours=True)
        service = log_dir / "nattskift.jsonl"
        if not any(getattr(h, "baseFilename", None) == str(service.resolve()) for h in root.handlers):
            handler = PrivateWatchedFileHandler(service, encoding="utf-8")
            handler.setFormatter(_formatter(console=False))
            root.addHandler(handler)
    for noisy in ("httpx", "httpcore", "asyncio", "apscheduler.executors.default"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))


class _OnlyRun(logging.Filter):
    """Keeps a run's file to its own lines when several robots run at once in one process.

    Lines with no run bound (a library's warning during the run) are kept too: they may explain it.
    """

    def __init__(self, run_id: str) -> None:
        super().__init__()
        self.run_id = run_id

    def filter(self, record: logging.LogRecord) -> bool:
        bound = structlog.contextvars.get_contextvars().get("run_id")
        return bound is None or bound == self.run_id


def attach_run_log(log_dir: Path, run_id: str) -> logging.Handler:
    """Start a JSON-lines file for one run: `<log_dir>/runs/<run_id>.jsonl`. Detach it with `detach`."""
    path = log_dir / "runs" / f"{run_id}.jsonl"
    private_dir(path.parent, ours=True)
    handler = PrivateFileHandler(path, encoding="utf-8")
    handler.set_name(f"{_FILE_HANDLER_NAME}:{run_id}")
    handler.addFilter(_OnlyRun(run_id))
    handler.setFormatter(_formatter(console=False))
    logging.getLogger().addHandler(handler)
    return handler


def detach(handler: logging.Handler) -> None:
    logging.getLogger().removeHandler(handler)
    handler.close()
