"""Shared constants and helpers of the common layer's tests (kept out of conftest so tests can import them)."""

from __future__ import annotations

from typing import Any

import httpx

USERNAME = "exempel"
PASSWORD = "hemligt-1"
API_KEY = "nyckel-12345678"


def example_scenario_dict(n_cases: int = 60) -> dict[str, Any]:
    return {
        "name": "exempel",
        "description": "Testscenario för det gemensamma lagret",
        "today": "2026-11-23",
        "accounts": {
            "example": {"username": USERNAME, "password": PASSWORD},
            "exampleapi": {"username": "api", "password": "x", "api_key": API_KEY},
        },
        "faults": {"example": {"seed": 1}},
        "example": {"cases": [{"id": f"C{i:04d}", "title": f"Ärende nummer {i}", "month": "2026-11"} for i in range(n_cases)]},
        "exampleapi": {"values": {"a": 1, "b": 2}},
    }


def login(client: httpx.Client, next_path: str = "") -> httpx.Response:
    return client.post("/login", data={"username": USERNAME, "password": PASSWORD, "next": next_path})
