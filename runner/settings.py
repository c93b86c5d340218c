"""Settings: a TOML file, then `NATTSKIFT_…` environment variables, then a secrets directory.

Precedence, highest first: explicit arguments, environment (`NATTSKIFT_ROBOTS__RONNEY__CONCURRENCY=8`),
secret files (`<secrets_dir>/nattskift_systems__ekonomi__password`), the TOML file, defaults.
The file is `--config FILE`, else `$NATTSKIFT_CONFIG`, else `./nattskift.toml` if it exists.

A wrong setting stops start-up with one line naming the key and what is allowed (`SettingsError`).
"""

from __future__ import annotations

import ipaddress
import os
import re
import tomllib
from datetime import datetime, time
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    NestedSecretsSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from runner.retention.policy import RetentionSettings, RobotRetention

ENV_PREFIX = "NATTSKIFT_"
DEFAULT_CONFIG_NAME = "nattskift.toml"
CRON_FIELD = re.compile(r"^[\d*/,\-a-zA-Z]+$")


class SettingsError(Exception):
    """A setting is wrong. `str()` is one line naming the key and what is allowed."""


def check_timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError("must be an IANA time zone such as Europe/Stockholm") from exc
    return value


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DatabaseSettings(Section):
    """Where the ledger lives. Empty url: a SQLite file `nattskift.db` in the data directory."""

    url: SecretStr | None = None
    echo: bool = False


class BrowserSettings(Section):
    """Which Chromium to drive. Empty executable_path: Playwright's own, then one on PATH."""

    executable_path: Path | None = None
    headless: bool = True
    slow_mo_ms: int = Field(default=0, ge=0)
    timeout_ms: int = Field(default=15_000, ge=100, description="default wait for a page element")
    navigation_timeout_ms: int = Field(default=30_000, ge=100)
    read_retries: int = Field(default=2, ge=0, le=10, description="re-read a page or API answered 5xx this often")
    fetch_read_retries: int = Field(
        default=5, ge=0, le=10,
        description="re-read a page or API answered 5xx this often while fetching: one page that cannot be read "
        "fails the whole fetch (a robot may read hundreds), so the fetch is more patient than an item",
    )
    read_retry_backoff_seconds: float = Field(default=0.5, ge=0)
    trace_failures: bool = Field(
        default=True, description="keep a Playwright trace of an item's failed last attempt (records every action)"
    )
    trace_screenshots: bool = Field(
        default=False, description="film screenshots in failure traces (costs CPU on every item; DOM snapshots are always kept)"
    )
    fresh_page_after_items: int = Field(
        default=5, ge=0,
        description="give a worker fresh pages (same context and login) after this many items; 0: never. "
        "A page's renderer grows with every page it reads through Playwright (bench/README.md)",
    )
    fresh_context_after_items: int = Field(
        default=250, ge=0,
        description="give a worker a fresh browser context (a new login) after this many items; 0: never. "
        "Playwright keeps every request of a context until it closes, in the driver and in Python",
    )


class LoggingSettings(Section):
    level: Literal["debug", "info", "warning", "error"] = "info"
    console: Literal["auto", "always", "never"] = "auto"


class SystemSettings(Section):
    """A target system: its address and the robot's account there."""

    url: str
    username: str = ""
    password: SecretStr | None = None
    api_key: SecretStr | None = None

    @field_validator("url")
    @classmethod
    def _http_url(cls, v: str) -> str:
        if not re.match(r"^https?://[^/\s]+", v):
            raise ValueError("must be an http(s) URL such as http://127.0.0.1:8101")
        return v.rstrip("/")


class RobotConfig(BaseModel):
    """The framework's settings for one robot; the robot's own settings sit in the same table."""

    model_config = ConfigDict(extra="allow")

    enabled: bool = True
    schedule: str | None = Field(default=None, description="cron, e.g. '30 1 * * *'; empty: the robot's default")
    calendar: Literal["every_day", "working_days"] = "every_day"
    closed_dates: list[str] = Field(default_factory=list, description="extra dates (YYYY-MM-DD) with no run")
    concurrency: int = Field(default=4, ge=1, le=64)
    max_attempts: int = Field(default=3, ge=1, le=20)
    retry_backoff_seconds: float = Field(default=2.0, ge=0)
    circuit_breaker: int = Field(default=5, ge=1, description="consecutive technical failures that stop a run")
    deadline: time | None = Field(default=None, description="latest local end time, e.g. 06:30")
    grace_hours: float = Field(default=3.0, ge=0, description="how late a missed nightly run may still start")
    retention: RobotRetention | None = Field(default=None, description="gallring: this robot's own times")

    @field_validator("schedule")
    @classmethod
    def _cron(cls, v: str | None) -> str | None:
        if v is None or v == "":
            return None
        parts = v.split()
        if len(parts) != 5 or not all(CRON_FIELD.match(p) for p in parts):
            raise ValueError("must be a cron expression with five fields, e.g. '30 1 * * *'")
        return v

    @property
    def robot_settings(self) -> dict[str, Any]:
        """The keys that belong to the robot's own Settings model."""
        return dict(self.model_extra or {})


#: The keys of `[robots.<name>]` the framework reads itself; a robot's own setting may not use them.
FRAMEWORK_ROBOT_KEYS: frozenset[str] = frozenset(RobotConfig.model_fields)


class SchedulerSettings(Section):
    """The night scheduler (`nattskift schedule` / `serve`). Cron times are read in `timezone`."""

    timezone: str = "Europe/Stockholm"
    lock_timeout_seconds: float = Field(
        default=0, ge=0, description="wait this long for another scheduler to release the database before refusing"
    )
    robots: list[str] = Field(
        default_factory=list, description="schedule only these robots; empty: every installed robot that is enabled"
    )
    max_parallel_runs: int = Field(default=4, ge=1, le=32, description="robots that may run at the same time")
    standby: bool = Field(
        default=False,
        description="wait for the database lock as long as it takes (the second scheduler of an HA pair) instead "
        "of refusing to start",
    )

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, v: str) -> str:
        return check_timezone(v)


class WorkerSettings(Section):
    """Leases, and work handed to `nattskift worker` processes on other machines (PostgreSQL only)."""

    lease_seconds: float = Field(
        default=30.0, ge=1, le=3600,
        description="an item or run not renewed for this long may be taken over (renewed every third of it); "
        "also procrastinate's stalled-worker timeout",
    )
    queue: bool = Field(
        default=False, description="defer each run's items as procrastinate jobs that `nattskift worker` processes take"
    )
    local: bool = Field(
        default=True, description="with queue = true: the process that fetched also works the queue itself"
    )


class SmtpSettings(Section):
    """Optional e-mail to operations when a night's run failed, was interrupted or missed."""

    host: str | None = None
    port: int = 25
    username: str | None = None
    password: SecretStr | None = None
    starttls: bool = False
    ssl: bool = Field(default=False, description="implicit TLS (SMTPS, usually port 465) instead of STARTTLS")
    timeout_seconds: float = Field(default=10.0, gt=0)
    sender: str = "nattskift@localhost"
    recipients: list[str] = Field(default_factory=list)
    subject_prefix: str = "[Nattskift]"


class WebSettings(Section):
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    secret_key: SecretStr | None = Field(default=None, description="signs sessions; empty: generated per data dir")
    session_minutes: int = Field(default=480, ge=1, description="a login lasts at most this long (a working day)")
    idle_minutes: int = Field(default=60, ge=1, description="a session with no request for this long ends")
    base_url: str | None = Field(default=None, description="public address, e.g. https://nattskift.kommun.se; https: secure cookies")
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description="addresses or networks (127.0.0.1, 10.0.0.0/8) of reverse proxies whose X-Forwarded-For "
        "names the client; empty: the connection's own address is the client's",
    )

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, v: list[str]) -> list[str]:
        return check_networks(v)


def check_networks(v: list[str]) -> list[str]:
    """Each entry an IP address or network ("127.0.0.1", "10.0.0.0/8"); the bad one named."""
    for entry in v:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise ValueError(f"{entry!r} is not an IP address or network such as 10.0.0.0/8") from None
    return v


class MetricsSettings(Section):
    """Who may read `/metrics` (the Prometheus text format) from the web app. Nobody by default: set a
    token, an address allow-list, or both (either lets a scraper in). `/healthz` is always open."""

    token: SecretStr | None = Field(
        default=None, description="the scraper sends 'Authorization: Bearer <token>'; keep it in secrets_dir")
    allow: list[str] = Field(
        default_factory=list,
        description="addresses or networks (10.0.0.0/8) that may read /metrics without a token; the client's "
        "address as web.trusted_proxies gives it")

    @field_validator("allow")
    @classmethod
    def _networks(cls, v: list[str]) -> list[str]:
        return check_networks(v)


class Settings(BaseSettings):
    """All of Nattskift's settings. See `nattskift.example.toml` for a commented example."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter="__",
        extra="forbid",
        nested_model_default_partial_update=True,
    )

    data_dir: Path = Field(default=Path("var"), description="ledger, logs, artifacts and reports")
    timezone: str = "Europe/Stockholm"
    clock: datetime | None = Field(default=None, description="frozen 'now' for demos and tests; empty: real time")
    secrets_dir: Path | None = None
    robot_dirs: list[Path] = Field(default_factory=list, description="extra folders with <name>/robot.py robots")
    database: DatabaseSettings = DatabaseSettings()
    browser: BrowserSettings = BrowserSettings()
    logging: LoggingSettings = LoggingSettings()
    scheduler: SchedulerSettings = SchedulerSettings()
    workers: WorkerSettings = WorkerSettings()
    smtp: SmtpSettings = SmtpSettings()
    web: WebSettings = WebSettings()
    metrics: MetricsSettings = MetricsSettings()
    retention: RetentionSettings = RetentionSettings()
    systems: dict[str, SystemSettings] = Field(default_factory=dict)
    robots: dict[str, RobotConfig] = Field(default_factory=dict)

    _config_file: Path | None = None

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, v: str) -> str:
        return check_timezone(v)

    @model_validator(mode="after")
    def _aware_clock(self) -> Settings:
        if self.clock is not None and self.clock.tzinfo is None:
            self.clock = self.clock.replace(tzinfo=ZoneInfo(self.timezone))
        return self

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        secrets_dir = _SOURCE_OPTIONS.get("secrets_dir")
        if secrets_dir:
            sources.append(NestedSecretsSettingsSource(file_secret_settings, secrets_dir=secrets_dir, secrets_dir_missing="error"))
        toml_file = _SOURCE_OPTIONS.get("toml_file")
        if toml_file:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=toml_file))
        return tuple(sources)

    # -- derived values ---------------------------------------------------------------------------

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def config_file(self) -> Path | None:
        return self._config_file

    def database_url(self) -> str:
        if self.database.url is not None:
            return self.database.url.get_secret_value()
        return f"sqlite:///{(self.data_dir / 'nattskift.db').resolve()}"

    def robot_config(self, name: str) -> RobotConfig:
        return self.robots.get(name) or RobotConfig()

    def now(self) -> datetime:
        return self.clock if self.clock is not None else datetime.now(self.tz)


_SOURCE_OPTIONS: dict[str, Any] = {}


def resolve_config_path(config: str | Path | None) -> Path | None:
    """`--config`, else `$NATTSKIFT_CONFIG`, else ./nattskift.toml when present."""
    if config:
        path = Path(config)
        if not path.is_file():
            raise SettingsError(f"config file {path}: not found")
        return path
    env = os.environ.get(f"{ENV_PREFIX}CONFIG")
    if env:
        path = Path(env)
        if not path.is_file():
            raise SettingsError(f"{ENV_PREFIX}CONFIG={path}: file not found")
        return path
    default = Path(DEFAULT_CONFIG_NAME)
    return default if default.is_file() else None


def load_settings(config: str | Path | None = None, **overrides: Any) -> Settings:
    """Load settings, or raise SettingsError with one line naming the bad key."""
    path = resolve_config_path(config)
    if path is not None:
        try:
            with path.open("rb") as fh:
                raw = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"config file {path}: not valid TOML ({exc})") from None
    else:
        raw = {}
    secrets_dir = overrides.get("secrets_dir") or os.environ.get(f"{ENV_PREFIX}SECRETS_DIR") or raw.get("secrets_dir")
    _SOURCE_OPTIONS.clear()
    _SOURCE_OPTIONS.update(toml_file=path, secrets_dir=secrets_dir)
    try:
        settings = Settings(**overrides)
    except ValidationError as exc:
        raise SettingsError(describe_validation_error(exc, path)) from None
    finally:
        _SOURCE_OPTIONS.clear()
    if path is not None:
        settings._config_file = path.resolve()
        if not settings.data_dir.is_absolute() and "data_dir" not in overrides and f"{ENV_PREFIX}DATA_DIR" not in os.environ:
            settings.data_dir = (path.parent / settings.data_dir).resolve()
    return settings


def describe_validation_error(exc: ValidationError, path: Path | None = None, prefix: str = "") -> str:
    """One line per problem: where, which key, what is wrong. Never echoes the value (it may be a secret).

    Every problem is listed (a file with two mistakes needs two fixes), each line whole in itself.
    """
    where = f"{path}: " if path else ""
    lines = []
    for err in exc.errors(include_url=False, include_input=False):
        key = ".".join(str(p) for p in (prefix.split(".") if prefix else []) + list(err["loc"]))
        message = err["msg"]
        if err["type"] == "extra_forbidden":
            message = "unknown setting (check the spelling; see nattskift.example.toml)"
        elif err["type"] == "missing":
            message = "required setting is missing"
        lines.append(f"{where}setting '{key}': {message}")
    return "\n".join(lines)


def validate_robot_settings(
    model: type[BaseModel], robot_name: str, config: RobotConfig, path: Path | None = None
) -> BaseModel:
    """Validate a robot's own settings from its `[robots.<name>]` table (`path`: the file, for the message).

    A robot's settings share the table with the framework's keys (FRAMEWORK_ROBOT_KEYS). A field of the
    robot's model with such a name would never reach the robot (the framework takes the key), so it is
    refused here, at start-up, rather than silently ignored at night. A start-up error rather than a
    sub-table: every existing `[robots.<name>]` table keeps working as written."""
    shadowed = sorted(FRAMEWORK_ROBOT_KEYS & set(model.model_fields))
    if shadowed:
        raise SettingsError(
            f"robot {robot_name}: its Settings field(s) {', '.join(shadowed)} have the name of a framework setting "
            f"of [robots.{robot_name}] and would never reach the robot; rename them in {model.__qualname__} "
            f"(framework keys: {', '.join(sorted(FRAMEWORK_ROBOT_KEYS))})"
        )
    try:
        return model.model_validate(config.robot_settings)
    except ValidationError as exc:
        raise SettingsError(describe_validation_error(exc, path, prefix=f"robots.{robot_name}")) from None
