"""A tiny stand-in system used only by the tests of fixtures/common: it is also the shortest example of
how a system is written (a data model, `create_app`, a generator and a SPEC)."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from fixtures.common import (
    FORM_ERROR_STATUS,
    ApiUser,
    FormErrors,
    PageNo,
    Runtime,
    SystemDep,
    User,
    make_system_app,
    paginate,
)
from fixtures.registry import SystemSpec


class Case(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^C\d{4}$")
    title: str
    month: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")
    notes: list[str] = Field(default_factory=list)


class ExampleData(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cases: list[Case] = Field(default_factory=list)


def create_app(data: ExampleData, runtime: Runtime) -> FastAPI:
    app = make_system_app(
        SPEC, data, runtime,
        templates_dir=Path(__file__).parent / "example_templates",
        nav=[("Ärenden", "/cases")],
        home="/cases",
    )

    @app.get("/cases")
    def case_list(request: Request, system: SystemDep, user: User, page: PageNo) -> Response:
        with system.store.read() as state:
            rows = paginate(state.cases, page)
        return system.render(request, "cases.html", {"rows": rows})

    @app.get("/cases/{case_id}")
    def case_detail(request: Request, case_id: str, system: SystemDep, user: User) -> Response:
        with system.store.read() as state:
            case = next((c for c in state.cases if c.id == case_id), None)
        if case is None:
            return system.error_response(request, 404)
        return system.render(request, "case.html", {"case": case, "errors": FormErrors(), "form": {}})

    @app.post("/cases/{case_id}/notes")
    async def add_note(request: Request, case_id: str, system: SystemDep, user: User) -> Response:
        form = {k: str(v) for k, v in (await request.form()).items()}
        errors = FormErrors()
        errors.require(form, "text")
        if len(form.get("text", "")) > 100:
            errors.add("text", "Anteckningen får vara högst 100 tecken.")
        with system.store.write() as state:
            case = next((c for c in state.cases if c.id == case_id), None)
            if case is None:
                return system.error_response(request, 404)
            if not errors:
                case.notes.append(form["text"].strip())
                return system.redirect(f"/cases/{case_id}", flash="Anteckningen sparades.")
            snapshot = case.model_copy(deep=True)
        context = {"case": snapshot, "errors": errors, "form": form}
        return system.render(request, "case.html", context, status_code=FORM_ERROR_STATUS)

    return app


def generate(rng: random.Random, size: int, today: date) -> dict[str, Any]:
    month = today.strftime("%Y-%m")
    return {"cases": [{"id": f"C{i:04d}", "title": f"Ärende {rng.randint(1, 999)}", "month": month} for i in range(size)]}


SPEC = SystemSpec(
    name="example", title="Exempelsystemet", default_port=8199, data_model=ExampleData,
    create_app=create_app, generate=generate, kind="web", default_username="exempel",
)


# -- the smallest JSON API system ---------------------------------------------------------------------

class ApiData(BaseModel):
    model_config = ConfigDict(extra="forbid")

    values: dict[str, int] = Field(default_factory=dict)


def create_api(data: ApiData, runtime: Runtime) -> FastAPI:
    app = make_system_app(API_SPEC, data, runtime)

    @app.get("/api/values/{key}")
    def value(key: str, system: SystemDep, _: ApiUser) -> dict[str, Any]:
        with system.store.read() as state:
            return {"key": key, "value": state.values.get(key)}

    return app


API_SPEC = SystemSpec(
    name="exampleapi", title="Exempel-API", default_port=8198, data_model=ApiData,
    create_app=create_api, generate=None, kind="api",
)
