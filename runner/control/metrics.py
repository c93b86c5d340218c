"""The ledger as Prometheus metrics, read at scrape time.

The ledger is the truth for every process (the scheduler, `nattskift run` from a shell, workers on other
machines), so the metrics are computed from it on each scrape rather than counted in one process. Runs
and items are never deleted, so the `_total` counters and the duration histogram only grow.

    nattskift_items{robot,status}                 items by their current status (new, in_progress, or the
                                                  last outcome: prepared, needs_attention, waiting, skipped,
                                                  failed); status="failed" are failed items left to retry
    nattskift_items_left{robot}                   items not done yet (the queue left)
    nattskift_runs_total{robot,status}            runs by how they ended (running, completed, interrupted,
                                                  failed, missed)
    nattskift_run_duration_seconds{robot}         histogram of finished runs' durations
    nattskift_last_run_duration_seconds{robot}    the latest finished run's duration
    nattskift_last_success_timestamp_seconds{robot}  end of the latest completed (not dry) run; 0: never
    nattskift_breaker_trips_total{robot}          runs stopped by the circuit breaker ("Systemet verkar nere")
    nattskift_breaker_open{robot}                 1 when the robot's latest finished run stopped on it
    nattskift_run_running{robot}                  1 while a run of the robot is running
    nattskift_robot_paused{robot}                 1 while operations have paused the robot
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from runner.ledger.models import Item, RobotControl, Run

#: Run durations: a minute to a whole night.
DURATION_BUCKETS = (60.0, 300.0, 900.0, 1800.0, 3600.0, 7200.0, 14400.0, 28800.0)
BREAKER_CAUSE = "system_down"


class LedgerCollector(Collector):
    """Collects the metrics above from the ledger behind `sessions`. `robots()` names robots to report
    even before they have a row (the installed ones), so "never succeeded" shows as 0, not as nothing."""

    def __init__(self, sessions: sessionmaker[Session], robots: Callable[[], Iterable[str]] = tuple) -> None:
        self.sessions = sessions
        self.robots = robots

    def collect(self) -> Iterator[Metric]:
        with self.sessions() as s:
            items = s.execute(
                select(Item.robot, Item.state, Item.status, func.count()).group_by(Item.robot, Item.state, Item.status)
            ).all()
            runs = s.execute(
                select(Run.robot, Run.status, Run.started_at, Run.ended_at, Run.dry_run, Run.stop_cause)
                .order_by(Run.started_at, Run.id)
            ).all()
            paused = {r for (r,) in s.execute(select(RobotControl.robot).where(RobotControl.paused.is_(True)))}
        names = sorted(set(self.robots()) | {r[0] for r in items} | {r[0] for r in runs} | paused)

        by_status = GaugeMetricFamily("nattskift_items", "Items by robot and current status", labels=["robot", "status"])
        left = GaugeMetricFamily("nattskift_items_left", "Items not done yet (the queue left)", labels=["robot"])
        counts: dict[tuple[str, str], int] = defaultdict(int)
        left_by: dict[str, int] = defaultdict(int)
        for robot, state, status, n in items:
            counts[(robot, status if state == "done" and status else state)] += n
            if state != "done":
                left_by[robot] += n
        for (robot, status), n in sorted(counts.items()):
            by_status.add_metric([robot, status], n)
        for robot in names:
            left.add_metric([robot], left_by[robot])
        yield by_status
        yield left
        yield from _run_metrics(names, runs, paused)


def _run_metrics(names: list[str], runs: list, paused: set[str]) -> Iterator[Metric]:  # type: ignore[type-arg]
    total = CounterMetricFamily("nattskift_runs", "Runs by robot and how they ended", labels=["robot", "status"])
    hist = HistogramMetricFamily("nattskift_run_duration_seconds", "Durations of finished runs", labels=["robot"])
    last_duration = GaugeMetricFamily("nattskift_last_run_duration_seconds", "The latest finished run's duration",
                                      labels=["robot"])
    last_ok = GaugeMetricFamily("nattskift_last_success_timestamp_seconds",
                                "End of the latest completed run that was not a dry run (0: never)", labels=["robot"])
    trips = CounterMetricFamily("nattskift_breaker_trips", "Runs stopped by the circuit breaker", labels=["robot"])
    breaker = GaugeMetricFamily("nattskift_breaker_open", "1 when the latest finished run stopped on the circuit breaker",
                                labels=["robot"])
    running = GaugeMetricFamily("nattskift_run_running", "1 while a run of the robot is running", labels=["robot"])
    is_paused = GaugeMetricFamily("nattskift_robot_paused", "1 while operations have paused the robot", labels=["robot"])
    per_status: dict[tuple[str, str], int] = defaultdict(int)
    durations: dict[str, list[float]] = defaultdict(list)
    latest: dict[str, tuple[float, bool]] = {}
    success: dict[str, datetime] = {}
    tripped: dict[str, int] = defaultdict(int)
    now_running: set[str] = set()
    for robot, status, started, ended, dry_run, cause in runs:  # oldest first: the last one seen is the latest
        per_status[(robot, status)] += 1
        if status == "running":
            now_running.add(robot)
        if cause == BREAKER_CAUSE:
            tripped[robot] += 1
        if status == "missed" or ended is None or started is None:
            continue
        seconds = max((ended - started).total_seconds(), 0.0)
        durations[robot].append(seconds)
        latest[robot] = (seconds, cause == BREAKER_CAUSE)
        if status == "completed" and not dry_run and (robot not in success or ended > success[robot]):
            success[robot] = ended
    for (robot, status), n in sorted(per_status.items()):
        total.add_metric([robot, status], n)
    for robot in names:
        values = durations.get(robot, [])
        buckets = [(_le(b), sum(1 for v in values if v <= b)) for b in DURATION_BUCKETS] + [("+Inf", len(values))]
        hist.add_metric([robot], buckets, sum_value=sum(values))
        if robot in latest:
            last_duration.add_metric([robot], latest[robot][0])
        last_ok.add_metric([robot], success[robot].timestamp() if robot in success else 0.0)
        trips.add_metric([robot], tripped[robot])
        breaker.add_metric([robot], 1 if robot in latest and latest[robot][1] else 0)
        running.add_metric([robot], 1 if robot in now_running else 0)
        is_paused.add_metric([robot], 1 if robot in paused else 0)
    yield from (total, hist, last_duration, last_ok, trips, breaker, running, is_paused)


def _le(bound: float) -> str:
    return f"{bound:g}" if bound != int(bound) else f"{int(bound)}.0"


def render_metrics(sessions: sessionmaker[Session], robots: Callable[[], Iterable[str]] = tuple) -> bytes:
    """The Prometheus text exposition of the ledger (a registry per scrape: nothing kept between them)."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(LedgerCollector(sessions, robots))
    return generate_latest(registry)
