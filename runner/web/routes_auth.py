"""Logging in and out. Wrong passwords lock the account and throttle the address (see throttle.py);
a new login ends the browser's earlier session."""

from __future__ import annotations

from datetime import timedelta

import structlog
from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from runner.web.auth import get_user, to_web_user, verify_password
from runner.web.deps import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    LoginRequired,
    check_csrf,
    current_user,
    login_csrf_ok,
    login_csrf_pair,
    render,
    safe_next,
    web_state,
    write_audit,
)
from runner.web.client_address import client_address
from runner.web.format import seconds_sv
from runner.web.sessions import create_session, end_session, end_session_of_token
from runner.web.throttle import FREE_PER_USER, lock_seconds

log = structlog.get_logger(__name__)
router = APIRouter()


def _login_page(request: Request, *, status_code: int = 200, error: str = "", info: str = "", username: str = "",
                next_path: str = "/") -> Response:
    state = web_state(request)
    form_token, cookie_value = login_csrf_pair(state.secret)
    response = render(request, "login.html", status_code=status_code, error=error, info=info, username=username,
                      next_path=next_path, login_csrf=form_token, title="Logga in")
    response.set_cookie(LOGIN_CSRF_COOKIE, cookie_value, httponly=True, samesite="strict", secure=state.secure_cookies,
                        path="/login")
    return response


@router.get("/login")
def login_form(request: Request, next: str = "/", utgangen: int = 0, utloggad: int = 0) -> Response:
    try:
        current_user(request)
        return RedirectResponse(safe_next(next), status_code=303)
    except LoginRequired:
        pass
    info = ""
    if utgangen:
        info = "Du har loggats ut eftersom sessionen gick ut. Logga in igen."
    elif utloggad:
        info = "Du är utloggad."
    return _login_page(request, info=info, next_path=safe_next(next))


@router.post("/login")
def login(
    request: Request,
    username: str = Form(""),
    password: str = Form(""),
    csrf_token: str = Form(""),
    next: str = Form("/"),
) -> Response:
    state = web_state(request)
    next_path = safe_next(next)
    username = username.strip()[:128]
    if not login_csrf_ok(state.secret, csrf_token, request.cookies.get(LOGIN_CSRF_COOKIE)):
        return _login_page(request, status_code=403, username=username, next_path=next_path,
                           error="Formuläret hade gått ut. Försök igen.")
    client = client_address(request, state.settings.web.trusted_proxies)
    now = state.now()
    with state.sessions() as s:
        user = get_user(s, username) if username else None
    wait = state.throttle.wait_seconds(username, client)
    if user is not None and user.last_failed_at is not None:  # the account's lock, across processes
        until = user.last_failed_at + timedelta(seconds=lock_seconds(user.failed_logins, FREE_PER_USER))
        wait = max(wait, (until - now).total_seconds())
    if wait > 0:
        write_audit(state, user.username if user else "(okänd)", "login_locked", client=client)
        log.warning("web.login_locked", wait_seconds=round(wait, 1))
        return _login_page(request, status_code=429, username=username, next_path=next_path,
                           error=f"För många misslyckade inloggningar. Vänta {seconds_sv(wait)} och försök igen.")
    ok = verify_password(user.password_hash if user else None, password) and user is not None and user.active
    if not ok:
        state.throttle.failed(username, client)
        if user is not None:
            with state.sessions.begin() as s:
                row = get_user(s, user.username)
                if row is not None:
                    row.failed_logins = (row.failed_logins or 0) + 1
                    row.last_failed_at = now
        # an unknown name may be a password typed in the wrong field: it is never stored
        write_audit(state, user.username if user else "(okänd)", "login_failed", client=client)
        log.info("web.login_failed")
        return _login_page(request, status_code=401, username=username, next_path=next_path,
                           error="Fel användarnamn eller lösenord.")
    assert user is not None
    state.throttle.succeeded(username, client)
    with state.sessions.begin() as s:
        row = get_user(s, user.username)
        if row is not None:
            row.failed_logins, row.last_failed_at = 0, None
    old_token = request.cookies.get(SESSION_COOKIE)
    if old_token:  # the browser's earlier session (this or another account) ends with the new login
        end_session_of_token(state.sessions, old_token)
    token, ws = create_session(state.sessions, user.username, now)
    request.state.user, request.state.web_session = to_web_user(user), ws
    write_audit(state, user.username, "login", client=client)
    log.info("web.login", user=user.username)
    response = RedirectResponse(next_path, status_code=303)
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", secure=state.secure_cookies, path="/")
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout", dependencies=[Depends(check_csrf)])
def logout(request: Request) -> Response:
    state = web_state(request)
    user = current_user(request)
    end_session(state.sessions, request.state.web_session.id)
    write_audit(state, user.username, "logout")
    response = RedirectResponse("/login?utloggad=1", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
