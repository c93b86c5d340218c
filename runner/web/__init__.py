"""The morning report: a server-rendered web app where staff review the night's prepared cases."""

from runner.web.app import create_app

__all__ = ["create_app"]
