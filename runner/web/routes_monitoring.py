"""`/healthz` for the load balancer and `/metrics` for the municipality's monitoring (Prometheus).

Neither needs a login: a load balancer and a scraper have no account. `/healthz` says only whether the
app can reach its ledger. `/metrics` (runner.control.metrics) is open to a scraper that sends the
`metrics.token` as a bearer token or comes from an address in `metrics.allow` (as `web.trusted_proxies`
gives the client's address); nobody else, and nobody at all while neither is set.
"""

from __future__ import annotations

import hmac

import structlog
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from runner.control.metrics import render_metrics
from runner.web.client_address import address_allowed, client_address
from runner.web.deps import web_state

log = structlog.get_logger(__name__)
router = APIRouter()


@router.get("/healthz")
def healthz(request: Request) -> Response:
    """200 while the ledger answers, 503 when it does not (the load balancer then sends no one here)."""
    try:
        with web_state(request).sessions() as s:
            s.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        log.warning("web.health_database_unreachable", error=type(exc).__name__)
        return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok"})


@router.get("/metrics")
def metrics(request: Request) -> Response:
    state = web_state(request)
    refusal = _refusal(request)
    if refusal is not None:
        return refusal
    names = lambda: list(state.robots())  # noqa: E731  (installed robots: "never succeeded" is a 0, not nothing)
    return Response(render_metrics(state.sessions, names), media_type=CONTENT_TYPE_LATEST)


def _refusal(request: Request) -> Response | None:
    """None when this scraper may read the metrics; else the answer that says why not."""
    settings = web_state(request).settings
    token, allow = settings.metrics.token, settings.metrics.allow
    if token is None and not allow:
        return PlainTextResponse("metrics are off: set metrics.token or metrics.allow", status_code=404)
    if allow and address_allowed(client_address(request, settings.web.trusted_proxies), allow):
        return None
    if token is not None:
        sent = request.headers.get("authorization", "")
        scheme, _, value = sent.partition(" ")
        if scheme.lower() == "bearer" and value and hmac.compare_digest(value.strip().encode(),
                                                                       token.get_secret_value().encode()):
            return None
        log.warning("web.metrics_refused", reason="token" if sent else "no_token")
        return PlainTextResponse("a valid bearer token is needed (metrics.token)", status_code=401,
                                 headers={"WWW-Authenticate": 'Bearer realm="nattskift-metrics"'})
    log.warning("web.metrics_refused", reason="address")
    return PlainTextResponse("this address may not read the metrics (metrics.allow)", status_code=403)
