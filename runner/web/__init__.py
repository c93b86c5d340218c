"""The morning report: a server-rendered web app where staff review the night's prepared cases."""

__all__ = ["create_app"]


def __getattr__(name: str):  # the app pulls in FastAPI and the templates: load it on use, not for every CLI call
    if name == "create_app":
        from runner.web.app import create_app

        return create_app
    raise AttributeError(name)
