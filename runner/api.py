"""The robot API: everything a robot developer needs, and nothing of the engine.

A robot is a small class with a name, a default schedule and three steps, like a Scrapy spider:

    class Vera(Robot):
        name = "vera"
        title = "Vera – nya beslut till rätt grupp"
        systems = ("hemtjanst",)

        async def fetch(self, ctx):
            for row in await (await DecisionList.open(ctx, status="ny")).rows():  # a runner.pages.Screen
                yield WorkItem(key=row.decision_id, title=f"Beslut {row.decision_id}", data=row)

        async def process(self, ctx, item):
            ...
            return Outcome.prepared("Klar för granskning")

Robots import from `runner.api` only; the engine, ledger and browser are the framework's business.
"""

from __future__ import annotations

import asyncio
import enum
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Protocol

from pydantic import BaseModel, ConfigDict, Field
from typing_extensions import TypeVar

if TYPE_CHECKING:  # pragma: no cover - imports for type checkers only
    import httpx
    from playwright.async_api import Page
    from structlog.stdlib import BoundLogger

    from runner.settings import RobotConfig, SystemSettings


class Status(str, enum.Enum):
    """What the morning reader sees for an item."""

    prepared = "prepared"
    needs_attention = "needs_attention"
    waiting = "waiting"
    skipped = "skipped"
    failed = "failed"

    @property
    def label_sv(self) -> str:
        return STATUS_LABELS_SV[self]


STATUS_LABELS_SV: dict[Status, str] = {
    Status.prepared: "Förberett",
    Status.needs_attention: "Behöver en handläggare",
    Status.waiting: "Väntar",
    Status.skipped: "Inget att göra",
    Status.failed: "Tekniskt fel",
}

#: A run's count of the items it fetched or claimed but did not finish (not a Status: no outcome).
NOT_REACHED = "not_reached"

#: The Swedish label of every count a run has (each status, and the items not reached): the one place
#: the CLI, the web pages, the exported report and the operations notices take them from.
COUNT_LABELS_SV: dict[str, str] = {**{s.value: label for s, label in STATUS_LABELS_SV.items()}, NOT_REACHED: "Inte behandlat"}


class Severity(str, enum.Enum):
    info = "info"
    warning = "warning"
    error = "error"


class Finding(BaseModel):
    """One thing a person should know about a case, in plain Swedish."""

    model_config = ConfigDict(frozen=True)

    code: str
    message: str
    severity: Severity = Severity.warning


class Evidence(BaseModel):
    """One row a person can check: what the value is and where it came from."""

    model_config = ConfigDict(frozen=True)

    label: str
    value: str
    source: str = ""


class Link(BaseModel):
    """A link into the source system, so staff can open the case where it lives."""

    model_config = ConfigDict(frozen=True)

    label: str
    url: str


#: A robot's own settings model (`Robot[S]`, `Context[S]`).
S = TypeVar("S", bound=BaseModel, default=BaseModel, covariant=True)
#: A robot's item model (`Robot[S, D]`, `WorkItem[D]`): what `process` gets as `item.data`.
D = TypeVar("D", default=dict[str, Any])


class WorkItem(BaseModel, Generic[D]):
    """One unit of work. `key` is stable and unique per robot: it is the idempotency key.

    `data` is what `process` needs to find the case again: a dict of JSON values, or an instance of the
    robot's item model (`Robot[S, D]`), which `process` then gets back parsed. It is checked when the
    item is yielded; a value that is not JSON (a `date` in a dict) is an error naming robot and field.
    """

    key: str = Field(min_length=1, max_length=200)
    title: str = ""
    if TYPE_CHECKING:
        data: D
    else:
        data: Any = Field(default_factory=dict)


class Outcome(BaseModel):
    """What processing an item produced, for the ledger and the morning report."""

    status: Status
    summary: str
    findings: list[Finding] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)
    links: list[Link] = Field(default_factory=list)
    data: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def prepared(cls, summary: str, **kw: Any) -> Outcome:
        return cls(status=Status.prepared, summary=summary, **kw)

    @classmethod
    def needs_attention(cls, summary: str, **kw: Any) -> Outcome:
        return cls(status=Status.needs_attention, summary=summary, **kw)

    @classmethod
    def waiting(cls, summary: str, **kw: Any) -> Outcome:
        return cls(status=Status.waiting, summary=summary, **kw)

    @classmethod
    def skipped(cls, summary: str, **kw: Any) -> Outcome:
        return cls(status=Status.skipped, summary=summary, **kw)


class BusinessError(Exception):
    """The case needs a person. Becomes `needs_attention` at once and is never retried.

    `message` is Swedish and shown to staff; it must not contain personal data beyond what the
    case page shows anyway, and it never reaches the logs (only `code` does).
    """

    def __init__(
        self,
        code: str,
        message: str,
        *,
        findings: Iterable[Finding] = (),
        evidence: Iterable[Evidence] = (),
        links: Iterable[Link] = (),
    ) -> None:
        super().__init__(code)
        self.code = code
        self.message = message
        self.findings = list(findings)
        self.evidence = list(evidence)
        self.links = list(links)

    def to_outcome(self) -> Outcome:
        findings = self.findings or [Finding(code=self.code, message=self.message, severity=Severity.error)]
        return Outcome.needs_attention(self.message, findings=findings, evidence=self.evidence, links=self.links)


class StopRun(Exception):
    """Stops the whole run at once: going on would only fail every remaining case the same way.

    The items not reached stay `new` for the next run; `message_sv` is shown in the morning report.
    """

    message_sv: str = "Körningen stoppades."


class LoginFailedError(StopRun):
    """The robot's account was refused by a target system (wrong password, locked account)."""

    def __init__(self, system: str) -> None:
        super().__init__(f"login to system {system!r} was refused")
        self.system = system
        self.message_sv = f"Inloggningen i {system} nekades; kontrollera robotens konto och lösenord."


class PageChangedError(StopRun):
    """A screen in a target system no longer looks like the robot expects.

    Raising it stops the whole run ("Sidan X i systemet Y har ändrats") instead of timing out on
    every remaining case; the items not reached stay `new`.
    """

    def __init__(self, system: str, page: str, detail: str = "") -> None:
        super().__init__(f"page {page!r} in system {system!r} has changed" + (f": {detail}" if detail else ""))
        self.system = system
        self.page = page
        self.detail = detail
        self.message_sv = f"Sidan ”{page}” i systemet {system} har ändrats; roboten stoppades."


class SystemUnavailableError(Exception):
    """A target system answered that it is down. Counted by the circuit breaker like any technical error."""


class SessionExpiredError(Exception):
    """The target system's session ended in the middle of a step (a technical error: the next attempt
    logs in again and reads back before it writes)."""


#: The page name of a system's login screen in PageChangedError (the default `Robot.login`).
LOGIN_PAGE = "login"
#: Pauses (seconds) before trying a login answered 5xx again.
LOGIN_RETRY_PAUSES = (0.2, 0.5, 1.0)
#: Pass as `extensions=READ_ONLY` on a POST that only reads (a query with personal data in the body, which
#: must not go in a URL): `ctx.http` clients then re-send it after a 5xx like a GET.
READ_ONLY: dict[str, Any] = {"nattskift.read_only": True}


class Checkpoints(Protocol):
    """Per-item checkpoints for multi-step writes; persisted in the ledger at once."""

    def get(self, name: str) -> Any | None: ...

    def done(self, name: str) -> bool: ...

    def mark(self, name: str, value: Any = True) -> None: ...


class Context(Protocol[S]):
    """What a robot's steps get. One per worker; `item` is set while an item is processed.

    `Context[MySettings]`: `ctx.settings` is the robot's own settings model, validated at start-up.
    """

    robot: Robot[Any, Any]
    @property
    def settings(self) -> S: ...  # the robot's own settings (an instance of robot.Settings)
    config: RobotConfig  # enabled, schedule, concurrency, … for this robot
    log: BoundLogger
    dry_run: bool
    run_id: str
    item: WorkItem | None
    checkpoints: Checkpoints
    artifacts_dir: Path

    def now(self) -> datetime:
        """Aware local time (Europe/Stockholm unless configured); frozen in tests and demos."""
        ...

    def system(self, name: str) -> SystemSettings:
        """URL and credentials of a target system (password is a SecretStr)."""
        ...

    async def page(self, system: str) -> Page:
        """This worker's logged-in page in `system` (logs in on first use and after a crash)."""
        ...

    async def goto(self, system: str, path: str) -> Page:
        """Open `path` in `system`; logs in again first if the session has expired."""
        ...

    def http(self, system: str) -> httpx.AsyncClient:
        """An HTTP client for a system's JSON API, with its base URL; closed by the framework.

        GETs answered 5xx are re-sent a few times; so are POSTs sent with `extensions=READ_ONLY`."""
        ...

    def lock(self, name: str) -> AbstractAsyncContextManager[None]:
        """`async with ctx.lock(f"vikarie:{id}"):` a lock every worker of this robot respects, on every
        machine: a PostgreSQL advisory lock with PostgreSQL, a lock in this process with SQLite."""
        ...


class Robot(Generic[S, D]):
    """Base class of every robot. Subclass it, set the class attributes, write the steps.

    `class Vera(Robot[VeraSettings, Decision])`: `VeraSettings` becomes `Vera.Settings` (read from
    `[robots.vera]`) and `Decision` becomes `Vera.Item`, the model of `WorkItem.data`. Both are optional.
    One instance of the class serves every worker of a run, concurrently: keep per-item state in locals
    and in `ctx`, never in `self`.
    """

    name: ClassVar[str] = ""
    title: ClassVar[str] = ""
    description: ClassVar[str] = ""
    schedule: ClassVar[str] = "0 2 * * *"
    minutes_saved_per_case: ClassVar[float] = 0
    systems: ClassVar[tuple[str, ...]] = ()
    #: Statuses whose items are processed again when a later fetch yields the same key.
    reprocess_statuses: ClassVar[frozenset[Status]] = frozenset({Status.waiting, Status.failed})

    class Settings(BaseModel):
        """The robot's own settings; override with a subclass. Read from `[robots.<name>]`.

        A field may not have the name of a framework key of that table (`schedule`, `deadline`, …):
        that is refused at start-up, see `runner.settings.FRAMEWORK_ROBOT_KEYS`."""

        model_config = ConfigDict(extra="forbid")

    #: The model of `WorkItem.data` (from `Robot[S, D]`), or None for plain dicts.
    Item: ClassVar[type[BaseModel] | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Take `Settings` and `Item` from the type arguments `Robot[S, D]` unless the class sets them."""
        super().__init_subclass__(**kwargs)
        for base in getattr(cls, "__orig_bases__", ()):
            if getattr(base, "__origin__", None) is not Robot:
                continue
            settings, item = (*base.__args__, None, None)[:2]
            if isinstance(settings, type) and issubclass(settings, BaseModel) and "Settings" not in cls.__dict__:
                cls.Settings = settings  # type: ignore[misc, assignment]
            if isinstance(item, type) and issubclass(item, BaseModel) and "Item" not in cls.__dict__:
                cls.Item = item

    async def login(self, ctx: Context[S], system: str, page: Page) -> None:
        """Log in to `system` on `page`. The default fills a plain username/password form.

        A login answered 5xx (the page or the form) is tried again a few times: logging in writes
        nothing, so repeating it is harmless. Then it is a technical error. A login page without the
        expected fields has changed: one stop for the run, not a timeout per case.
        """
        creds = ctx.system(system)
        url = creds.url.rstrip("/") + "/login"
        status = 0
        for pause in (0.0, *LOGIN_RETRY_PAUSES):
            if pause:
                await asyncio.sleep(pause)
            response = await page.goto(url)
            status = response.status if response is not None else 0
            if status >= 500:
                continue
            for field in ("#username", "#password"):
                if not await page.locator(field).count():
                    raise PageChangedError(system, LOGIN_PAGE, f"{field} missing")
            await page.fill("#username", creds.username)
            await page.fill("#password", creds.password.get_secret_value() if creds.password else "")
            async with page.expect_navigation() as navigation:
                await page.click("button[type=submit]")
            answer = await navigation.value
            status = answer.status if answer is not None else 0
            if status >= 500:
                continue
            await page.wait_for_load_state()
            if await self.is_login_page(system, page):
                raise LoginFailedError(system)
            return
        raise SystemUnavailableError(f"system {system!r} answered {status} to the login")

    async def is_login_page(self, system: str, page: Page) -> bool:
        """True when `page` shows a login form (the session has expired)."""
        return await page.locator("input[type=password]").count() > 0

    def fetch(self, ctx: Context[S]) -> AsyncIterator[WorkItem[D]]:
        """Yield the work items of this night. Each is stored in the ledger before any is processed."""
        raise NotImplementedError

    async def process(self, ctx: Context[S], item: WorkItem[D]) -> Outcome:
        """Do one item. Raise BusinessError for a case a person must handle; anything else is retried."""
        raise NotImplementedError

    async def report(self, ctx: Context[S], run: RunReport) -> Report | dict[str, Any] | None:
        """Optional: extra data for the morning report (e.g. Bosse's LAS list). Return JSON-able data."""
        return None


class RunReport:
    """What the robot's `report` step sees of its run. Outcomes are streamed from the ledger."""

    def __init__(
        self,
        run_id: str,
        robot: str,
        dry_run: bool,
        counts: dict[str, int],
        outcomes: Callable[[], Iterator[tuple[WorkItem, Outcome]]],
    ) -> None:
        self.run_id = run_id
        self.robot = robot
        self.dry_run = dry_run
        self.counts = counts
        self._outcomes = outcomes

    def outcomes(self) -> Iterator[tuple[WorkItem, Outcome]]:
        """Every (item, outcome) of this run, in batches from the ledger (never all in memory). The item
        has its key and title only: what a report shows comes from the outcome."""
        return self._outcomes()


#: One cell of a report table: text, a number (shown the Swedish way), lines of text, or nothing.
Cell = str | int | float | list[str] | None
#: The order in which the status sections of a report come: what needs a person first.
REPORT_STATUS_ORDER = (Status.needs_attention, Status.failed, Status.waiting, Status.prepared, Status.skipped)


class Section(BaseModel):
    """One part of the morning report: a heading, an optional paragraph, and a table.

    The column labels are Swedish and are the only headers staff see: rows are lists, one cell per
    column, so no key of the robot's own ever reaches the page or an export.
    """

    heading: str = Field(min_length=1)
    text: str = ""
    columns: list[str] = Field(default_factory=list)
    rows: list[list[Cell]] = Field(default_factory=list)
    #: Shown instead of an empty table.
    empty: str = "Inga."

    def model_post_init(self, __context: Any) -> None:
        for i, row in enumerate(self.rows):
            if len(row) != len(self.columns):
                raise ValueError(
                    f"report section {self.heading!r}: row {i} has {len(row)} cells for {len(self.columns)} columns"
                )

    def records(self) -> list[dict[str, Cell]]:
        """The rows as dicts keyed by column label (for tests and for reading an export)."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


class Report(BaseModel):
    """What `Robot.report` returns: the night's summary as staff read it, rendered the same way by the
    run page and by both exports (HTML and CSV)."""

    format: str = "nattskift-report/1"
    heading: str = Field(min_length=1)
    sections: list[Section] = Field(default_factory=list)

    def section(self, heading: str) -> Section:
        """The section with this heading (KeyError names the ones there are)."""
        for section in self.sections:
            if section.heading == heading:
                return section
        raise KeyError(f"no section {heading!r} in the report (there are: {[s.heading for s in self.sections]})")

    @classmethod
    def parse(cls, data: Any) -> Report | None:
        """A stored report back as a Report; None for a robot's older free-form dict."""
        if isinstance(data, dict) and data.get("format") == "nattskift-report/1":
            return cls.model_validate(data)
        return None


def count_section(run: RunReport, heading: str = "Antal ärenden") -> Section:
    """The run's counts per status, with the Swedish status names, what needs a person first."""
    order = {s.value: i for i, s in enumerate(REPORT_STATUS_ORDER)}
    rows: list[list[Cell]] = [
        [Status(s).label_sv if s in Status.__members__ else s, n]
        for s, n in sorted(run.counts.items(), key=lambda kv: order.get(kv[0], len(order)))
    ]
    return Section(heading=heading, columns=["Status", "Antal"], rows=rows)


def status_sections(
    run: RunReport,
    columns: list[str] | Mapping[Status, list[str]],
    row: Callable[[WorkItem, Outcome], list[Cell]],
    *,
    statuses: tuple[Status, ...] = REPORT_STATUS_ORDER,
    headings: Mapping[Status, str] | None = None,
) -> list[Section]:
    """One section per status in `statuses` (what needs a person first), each row `row(item, outcome)`,
    sorted by item key; a status with no cases is left out. Reads the run's outcomes once.

    `columns` is one list for every section, or one per status (then `row` gives that status's cells)."""
    buckets: dict[Status, list[tuple[str, list[Cell]]]] = {s: [] for s in statuses}
    for item, outcome in run.outcomes():
        if outcome.status in buckets:
            buckets[outcome.status].append((item.key, row(item, outcome)))
    names = headings or {}
    return [
        Section(
            heading=names.get(s, s.label_sv),
            columns=list(columns[s] if isinstance(columns, Mapping) else columns),
            rows=[r for _, r in sorted(rows, key=lambda kr: kr[0])],
        )
        for s, rows in buckets.items()
        if rows
    ]


#: The HTTP status of the document a page shows, from the browser's Navigation Timing (0 when unknown).
_DOCUMENT_STATUS_JS = "() => (performance.getEntriesByType('navigation')[0] || {}).responseStatus || 0"


async def http_status(page: Page) -> int:
    """The HTTP status of the document on `page`, 0 when unknown (a closed page, a page not navigated).

    A legacy system's error page looks like any page; its status tells a 503 from a changed screen.
    """
    try:
        return int(await page.evaluate(_DOCUMENT_STATUS_JS))
    except Exception:
        return 0


__all__ = [
    "BusinessError",
    "LoginFailedError",
    "StopRun",
    "Cell",
    "Checkpoints",
    "Context",
    "Evidence",
    "Finding",
    "Link",
    "Outcome",
    "PageChangedError",
    "READ_ONLY",
    "Report",
    "Robot",
    "RunReport",
    "Section",
    "SessionExpiredError",
    "Severity",
    "Status",
    "SystemUnavailableError",
    "WorkItem",
    "count_section",
    "http_status",
    "status_sections",
]
