"""The morning report: a server-rendered web app where staff review the night's prepared cases.

`runner.web.app.create_app(settings, scheduler=...)` builds it; `runner.web.server.make_server` serves it.
"""
