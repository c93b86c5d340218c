"""Every route of the morning report × every role: the answer each role gets, the audit entry each view
of personal data writes, and the security headers on every answer.

The matrix is the declaration of who may do what (runner/web/auth.py's roles): a route that is not in it
fails `test_every_route_is_in_the_matrix`, so a new page cannot ship without saying who may see it.
Per-robot routes are tried with a run, a case and an artifact of each of Ronney, HaRry and Bosse.
"""

from __future__ import annotations

import re
import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import select

from runner.ledger.models import AuditEntry
from tests.web.test_security import SECURITY_HEADERS, Site, _site, logged_in

ROLES = {"anon": None, "admin": "admin", "operations": "drift", "staff:ronney": "handlaggare",
         "staff:harry": "lon", "staff:bosse": "bemanning"}
#: robot → (run, case, case whose outcome gets marked handled) labels of the demo rows
TARGETS = {"ronney": ("ronney", "r_fail", "r_prep2"), "harry": ("harry", "h0", "h2"), "bosse": ("bosse_prev", "b0", "b4")}
METRICS_TOKEN = "matris-token-for-metrics"

GLOBAL = [  # (method, route): answers that do not depend on a robot
    ("GET", "/login"), ("POST", "/logout"), ("GET", "/"), ("GET", "/korningar"), ("GET", "/granskningslogg"),
    ("GET", "/healthz"), ("GET", "/metrics"), ("GET", "/drift"),
]
PER_ROBOT = [
    ("GET", "/korningar/{run_id}"), ("GET", "/korningar/{run_id}/rapport.{fmt}"), ("GET", "/fall/{item_id}"),
    ("POST", "/fall/{item_id}/hanterad"), ("GET", "/fall/{item_id}/artefakt/{outcome_id}/{index}"),
]
#: Routes checked elsewhere, with where.
DRIFT_ACTIONS = "the Drift page's actions (they change the night): tests/web/test_drift.py, staff 403 included"
ELSEWHERE = {("POST", "/login"): "the login form: tests/web/test_security.py, tests/web/test_access.py",
             **{("POST", route): DRIFT_ACTIONS for route in (
                 "/drift/{robot}/kor", "/drift/{robot}/pausa", "/drift/{robot}/ateruppta",
                 "/drift/korningar/{run_id}/stoppa", "/drift/korningar/{run_id}/forsok-igen")}}
#: What a 200 (or 303 for the form) writes to the audit log.
AUDITED = {"/korningar/{run_id}": "view_run", "/korningar/{run_id}/rapport.{fmt}": "export_report",
           "/fall/{item_id}": "view_case", "/fall/{item_id}/hanterad": "mark_handled",
           "/fall/{item_id}/artefakt/{outcome_id}/{index}": "view_artifact", "/granskningslogg": "view_audit_log"}


def expected(method: str, route: str, role: str, robot: str | None) -> int:
    """The answer `role` must get: the access rules, written out."""
    if route == "/healthz":
        return 200
    if route == "/metrics":
        return 401  # a web login never opens /metrics: only its bearer token does
    if role == "anon":
        return 200 if route == "/login" else 303  # to the login page
    if route == "/login" or route == "/logout":
        return 303
    if route in ("/", "/korningar"):
        return 200
    if route == "/granskningslogg":
        return 200 if role == "admin" else 403
    if route == "/drift":
        return 200 if role in ("admin", "operations") else 403
    reads_cases = role == "admin" or role == f"staff:{robot}"
    if role.startswith("staff:") and not reads_cases:
        return 404  # another unit's cases and runs do not exist for it
    if route == "/korningar/{run_id}":
        return 200  # operations see the run's numbers and failures, not the cases
    if not reads_cases:
        return 403
    if route == "/fall/{item_id}/hanterad":
        return 303
    if route == "/fall/{item_id}/artefakt/{outcome_id}/{index}":
        return 200 if robot == "ronney" else 404  # only Ronney's failure has a screenshot
    return 200


CASES = [(m, r, role, None) for m, r in GLOBAL for role in ROLES] + [
    (m, r, role, robot) for m, r in PER_ROBOT for role in ROLES for robot in TARGETS
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, cheap_hashes: None) -> Site:
    root = tmp_path_factory.mktemp("matrix")
    built = _site(root)
    built.settings.metrics.token = SecretStr(METRICS_TOKEN)  # /metrics on, as in production
    return built


def refused(route: str, role: str, robot: str | None) -> bool:
    """A logged-in role asking for another robot's (or, for operations, any robot's) case data."""
    if robot is None or ROLES[role] is None or role in ("admin", f"staff:{robot}"):
        return False
    return not (role == "operations" and route == "/korningar/{run_id}")


def _url(site: Site, route: str, robot: str | None) -> str:
    if robot is None:
        return route
    run, case, handled = TARGETS[robot]
    item = site.demo.items[handled if route.endswith("hanterad") else case]
    outcome = site.demo.outcomes[handled if route.endswith("hanterad") else case]
    return (route.replace("{run_id}", site.demo.runs[run]).replace("{fmt}", "json").replace("{item_id}", str(item))
            .replace("{outcome_id}", str(outcome)).replace("{index}", "0"))


def _client(site: Site, role: str) -> TestClient:
    username = ROLES[role]
    return site.client() if username is None else logged_in(site, username)


def _csrf(client: TestClient) -> str:
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/korningar").text)
    return token.group(1) if token else ""


def _entries(site: Site) -> int:
    with site.sessions() as s:
        return max(s.scalars(select(AuditEntry.id)).all() or [0])


@pytest.mark.parametrize(("method", "route", "role", "robot"), CASES,
                         ids=[f"{m} {r} {role}{' ' + robot if robot else ''}" for m, r, role, robot in CASES])
def test_each_role_gets_the_answer_the_access_rules_give(site: Site, method: str, route: str, role: str,
                                                         robot: str | None) -> None:
    client = _client(site, role)
    url = _url(site, route, robot)
    last = _entries(site)
    if method == "POST":
        data = {"csrf_token": _csrf(client) if ROLES[role] else ""}
        if robot is not None:
            data["utfall"] = str(site.demo.outcomes[TARGETS[robot][2]])
        last = _entries(site)
        answer = client.post(url, data=data)
    else:
        answer = client.get(url)
    assert answer.status_code == expected(method, route, role, robot)
    missing = [h for h in SECURITY_HEADERS if h not in answer.headers]
    assert missing == []
    with site.sessions() as s:
        new = s.execute(select(AuditEntry.username, AuditEntry.action).where(AuditEntry.id > last)).all()
    if answer.status_code in (200, 303) and route in AUDITED and ROLES[role]:
        assert new == [(ROLES[role], AUDITED[route])]  # one entry per view of personal data
    if refused(route, role, robot):
        assert new == [(ROLES[role], "forbidden")]  # a refusal is audited too


def test_every_route_is_in_the_matrix(site: Site) -> None:
    declared = set(GLOBAL) | set(PER_ROBOT) | set(ELSEWHERE)
    served = set()
    for route in site.app.routes:
        for r in getattr(route, "original_router", None) and route.original_router.routes or [route]:  # type: ignore[union-attr]
            for method in getattr(r, "methods", None) or []:
                if method != "HEAD":
                    served.add((method, r.path))
    assert served - declared == set(), "add the new route to GLOBAL or PER_ROBOT with who may use it"
    assert declared - served == set()
