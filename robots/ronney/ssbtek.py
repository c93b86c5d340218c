"""SSBTEK client: a person's incomes for one month, per agency (FK, AF, CSN, SKV, SO, PM …).

The API takes the personnummer in a POST body (never in a URL, where access logs would keep it) and the
robot's API key in `X-Api-Key`. Anything but a clean answer is "SSBTEK could not be read": Ronney then
makes no calculation at all rather than one on half the data.
"""

from __future__ import annotations

from datetime import date

import httpx

from runner.api import READ_ONLY, LoginFailedError

from robots.ronney.rules.model import AgencyIncome

INCOMES_PATH = "/api/v1/inkomster"
AGENCY_NAMES = {
    "FK": "Försäkringskassan", "AF": "Arbetsförmedlingen", "CSN": "CSN", "SKV": "Skatteverket",
    "SO": "Sveriges a-kassor", "PM": "Pensionsmyndigheten", "TNS": "Transportstyrelsen", "MIV": "Migrationsverket",
}


class SsbtekUnavailable(Exception):
    """SSBTEK did not answer usefully. `detail_sv` is shown to staff (no personal data)."""

    def __init__(self, detail_sv: str) -> None:
        super().__init__(detail_sv)
        self.detail_sv = detail_sv


async def incomes_for(
    client: httpx.AsyncClient, api_key: str, personnummer: str, month: str, *, timeout: float = 10.0,
    from_month: str | None = None,
) -> list[AgencyIncome]:
    """The person's incomes for `month`, or for every month from `from_month` to `month` (at most 12),
    each with its net amount, and its gross amount and payment date where the agency reports them."""
    try:
        response = await client.post(
            INCOMES_PATH,
            json={"personnummer": personnummer, "fran": from_month or month, "till": month},
            headers={"X-Api-Key": api_key, "Accept": "application/json"},
            timeout=timeout,
            extensions=READ_ONLY,  # a query: re-sent after a passing 5xx, like a GET
        )
    except httpx.TimeoutException:
        raise SsbtekUnavailable("tjänsten svarade inte i tid") from None
    except httpx.HTTPError:
        raise SsbtekUnavailable("tjänsten gick inte att nå") from None
    if response.status_code in (401, 403):
        raise LoginFailedError("ssbtek")
    if response.status_code != 200:
        raise SsbtekUnavailable(f"tjänsten svarade {response.status_code}")
    try:
        body = response.json()
        errors = body.get("fel") or []
        if errors:
            names = ", ".join(sorted({AGENCY_NAMES.get(e.get("myndighet", ""), e.get("myndighet", "?")) for e in errors}))
            raise SsbtekUnavailable(f"{names} svarade inte")
        out = []
        for entry in body["manader"]:
            for inc in entry["inkomster"]:
                gross, paid = inc.get("brutto"), inc.get("utbetald")
                out.append(AgencyIncome(personnummer=personnummer, month=entry["manad"], agency=inc["myndighet"],
                                        type=inc["typ"], amount=int(inc["belopp"]),
                                        gross=None if gross is None else int(gross),
                                        paid=None if paid is None else date.fromisoformat(paid)))
    except (ValueError, KeyError, TypeError, AttributeError):
        raise SsbtekUnavailable("svaret gick inte att tolka") from None
    return out


async def household_incomes(
    client: httpx.AsyncClient, api_key: str, personnummer: list[str], month: str, *, timeout: float = 10.0,
    from_january: frozenset[str] = frozenset(),
) -> list[AgencyIncome]:
    """Each person's incomes for `month`; for those in `from_january`, every month of the year up to it
    (a child's earlier earnings this year decide how much of this month's counts)."""
    january = month[:4] + "-01"
    out: list[AgencyIncome] = []
    for pnr in personnummer:
        out += await incomes_for(client, api_key, pnr, month, timeout=timeout,
                                 from_month=january if pnr in from_january else None)
    return out
