"""Running the web app with uvicorn, alone (`nattskift web`) or next to the scheduler (`nattskift serve`)."""

from __future__ import annotations

import uvicorn

from runner.settings import Settings
from runner.web.app import create_app
from runner.web.scheduling import Scheduler


def make_server(
    settings: Settings, host: str | None = None, port: int | None = None, *, scheduler: Scheduler | None = None
) -> uvicorn.Server:
    """A uvicorn server for the app; `server.run()` blocks, `server.should_exit = True` stops it.
    `scheduler` is what the pages show the schedule from (runner.web.scheduling).

    Uvicorn's own access log is off: it would write URLs (search terms, case keys) to the log. The app logs
    each request's route template and status instead.
    """
    config = uvicorn.Config(
        create_app(settings, scheduler=scheduler),
        host=host or settings.web.host,
        port=port if port is not None else settings.web.port,
        log_config=None,
        access_log=False,
        proxy_headers=False,
        server_header=False,
    )
    return uvicorn.Server(config)
