"""`feedbot daemon`: the only APScheduler user. build_scheduler() returns an unstarted
BlockingScheduler so tests can inspect its job and triggers (with an explicit `now`) instead of
waiting; run_daemon() adds signals, status and shutdown.

Job defaults are set explicitly: APScheduler's misfire grace of 1 s would silently skip a run
that starts late (a suspended laptop, a busy machine); coalesce folds a backlog into one run;
max_instances=1 keeps runs from overlapping (the run lock also does, across processes).
"""

from __future__ import annotations

import logging
import signal
import threading
from collections import deque
from collections.abc import Callable
from datetime import datetime, timedelta
from types import FrameType

from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_MAX_INSTANCES,
    EVENT_JOB_MISSED,
    JobEvent,
    JobExecutionEvent,
)
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.combining import OrTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from feedbot.config import Config, ScheduleConfig
from feedbot.errors import ConfigError, FeedbotError, LockedError
from feedbot.models import RunReport
from feedbot.normalize import KST
from feedbot.ops.runner import execute
from feedbot.ops.status import write_status
from feedbot.store.db import Store

log = logging.getLogger(__name__)
JOB_ID = "feedbot-run"


def build_trigger(schedule: ScheduleConfig) -> BaseTrigger:
    """`cron` lines (Korea time) when given, else every `interval_minutes`; with jitter."""
    jitter = int(schedule.jitter_s) or None
    if not schedule.cron:
        return IntervalTrigger(minutes=schedule.interval_minutes, timezone=KST, jitter=jitter)
    triggers = []
    for index, line in enumerate(schedule.cron):
        minute, hour, day, month, weekday = line.split()  # five fields: config/checks.py checked
        try:
            # CronTrigger.from_crontab() takes no jitter, so the fields are passed one by one.
            # Weekdays are names (config/checks.py refuses numbers: APScheduler counts from Monday).
            triggers.append(
                CronTrigger(
                    minute=minute,
                    hour=hour,
                    day=day,
                    month=month,
                    day_of_week=weekday,
                    timezone=KST,
                    jitter=jitter,
                )
            )
        except ValueError as exc:
            raise ConfigError(f"schedule.cron[{index}]: {line!r}: {exc}") from exc
    return triggers[0] if len(triggers) == 1 else OrTrigger(triggers, jitter=jitter)


def build_scheduler(
    schedule: ScheduleConfig, job: Callable[[], None], now: datetime | None = None
) -> BlockingScheduler:
    """An unstarted scheduler with one job, whose first run is at start-up (`now`)."""
    defaults = {
        "coalesce": True,
        "max_instances": 1,
        "misfire_grace_time": int(schedule.misfire_grace_s) or None,
    }
    scheduler = BlockingScheduler(timezone=KST, job_defaults=defaults)
    # also on the job itself: APScheduler applies job_defaults only when it starts, and tests
    # inspect the job before that
    scheduler.add_job(
        job,
        build_trigger(schedule),
        id=JOB_ID,
        name="feedbot run",
        next_run_time=now or datetime.now(KST),
        **defaults,
    )
    return scheduler


class Daemon:
    """Runs `run_job(stop)` on the schedule until SIGTERM/SIGINT; SIGHUP runs one at once
    (the config is re-read at the start of every run, so edits apply then)."""

    def __init__(
        self,
        schedule: ScheduleConfig,
        run_job: Callable[[threading.Event], None],
        on_event: Callable[[list[str], datetime | None], None],
    ) -> None:
        self.schedule = schedule
        self.stop = threading.Event()
        self.idle = threading.Event()
        self.idle.set()
        # a SIGHUP while a run is under way: max_instances=1 would drop the run it asks for,
        # so the run under way does one more as soon as it ends (and one that meets the end
        # of a run is tried again, see _listen)
        self.again = threading.Event()
        self.events: deque[str] = deque(maxlen=20)
        self._run_job = run_job
        self._on_event = on_event
        self.scheduler = build_scheduler(schedule, self._job)
        self.scheduler.add_listener(
            self._listen, EVENT_JOB_ERROR | EVENT_JOB_MISSED | EVENT_JOB_MAX_INSTANCES
        )

    def next_run(self) -> datetime | None:
        """When the next run starts; None once the daemon is stopping (nothing will run)."""
        if self.stop.is_set():
            return None
        job = self.scheduler.get_job(JOB_ID)
        return job.next_run_time if job is not None else None

    def _job(self) -> None:
        self.idle.clear()
        try:
            while True:
                self.again.clear()
                self._run_job(self.stop)
                if not self.again.is_set() or self.stop.is_set():
                    break
                log.info("running again, as the SIGHUP during the last run asked")
        finally:
            # status first, then idle: serve() waits for idle before writing the final status,
            # so a stop never races this write (it used to leave next_run to chance)
            try:
                self._on_event(list(self.events), self.next_run())
            finally:
                self.idle.set()
            if self.again.is_set() and not self.stop.is_set():  # a SIGHUP after the last check
                self._schedule_now()

    def _record(self, text: str) -> str:
        """Keep a scheduler event, stamped in Korea time, for status.json."""
        stamped = f"{datetime.now(KST).isoformat(timespec='seconds')} {text}"
        self.events.append(stamped)
        return stamped

    def _schedule_now(self, delay_s: float = 0.0) -> None:
        job = self.scheduler.get_job(JOB_ID)
        if job is not None:
            job.modify(next_run_time=datetime.now(KST) + timedelta(seconds=delay_s))

    def _listen(self, event: JobEvent) -> None:
        if event.code == EVENT_JOB_MAX_INSTANCES and self.again.is_set() and self.idle.is_set():
            # the run a SIGHUP asked for met the one just ending (APScheduler still counted
            # it): try again in a moment rather than drop it
            if not self.stop.is_set():
                self._schedule_now(0.5)
            return
        if event.code == EVENT_JOB_MISSED:
            text = f"run missed (scheduled {event.scheduled_run_time})"
        elif event.code == EVENT_JOB_MAX_INSTANCES:
            text = "run skipped: the previous one is still running"
        else:
            error = (
                getattr(event, "exception", None) if isinstance(event, JobExecutionEvent) else None
            )
            text = f"run crashed: {error!r}"
        log.warning("scheduler: %s", self._record(text))
        self._on_event(list(self.events), self.next_run())

    def _terminate(self, signum: int, frame: FrameType | None) -> None:
        if self.stop.is_set():  # a second Ctrl-C or SIGTERM while stopping: already under way
            log.info("%s received again: already stopping", signal.Signals(signum).name)
            return
        log.info(
            "%s received: stopping (the current run is abandoned safely)",
            signal.Signals(signum).name,
        )
        self.stop.set()
        self._record(f"daemon stopped ({signal.Signals(signum).name})")
        self.scheduler.shutdown(wait=False)

    def reschedule(self, schedule: ScheduleConfig) -> None:
        """Run on `schedule` from now on (an edited [schedule], read with the config)."""
        if schedule == self.schedule:
            return
        self.schedule = schedule
        self.scheduler.reschedule_job(JOB_ID, trigger=build_trigger(schedule))
        self._record("schedule changed: the next runs follow the edited [schedule]")

    def note(self, text: str) -> None:
        """Record an event for status.json and write the status now."""
        log.warning("daemon: %s", self._record(text))
        self._on_event(list(self.events), self.next_run())

    def _run_now(self, signum: int, frame: FrameType | None) -> None:
        self.again.set()
        if not self.idle.is_set():
            log.info("SIGHUP received: a run is under way; another starts when it ends")
            self._record("SIGHUP: run again once the current run ends, with the config read again")
            return
        log.info("SIGHUP received: re-reading the config and running now")
        self._record("SIGHUP: run now, with the config read again")
        self._schedule_now()

    def serve(self) -> bool:
        """Block until stopped; True when the last run finished in time."""
        signal.signal(signal.SIGTERM, self._terminate)
        signal.signal(signal.SIGINT, self._terminate)
        signal.signal(signal.SIGHUP, self._run_now)
        log.info(
            "daemon started; first run now, then %s",
            f"cron {list(self.schedule.cron)}"
            if self.schedule.cron
            else f"every {self.schedule.interval_minutes:g} min",
        )
        self.scheduler.start()
        finished = self.idle.wait(self.schedule.shutdown_timeout_s)
        if not finished:
            log.error(
                "the current run did not stop within %.0fs; exiting anyway (feeds and "
                "store are written atomically)",
                self.schedule.shutdown_timeout_s,
            )
            self._record(f"the last run did not stop within {self.schedule.shutdown_timeout_s:g}s")
        # the last word in status.json: nothing is scheduled any more
        self._on_event(list(self.events), None)
        return finished


def run_daemon(load: Callable[[], Config], summary: Callable[[RunReport, Config], str]) -> bool:
    """`feedbot daemon`: read the config (`load` raises ConfigError for a bad one), then run on
    its schedule until SIGTERM. The config is read again before every run, so edits apply
    without a restart; a config broken by an edit skips that run and says so in status.json.
    Returns whether the last run stopped within `schedule.shutdown_timeout_s`."""
    latest = [load()]  # the config last read: status goes where the runs go
    build_trigger(latest[0].schedule)  # a bad cron line fails now, not at the first run
    daemon: Daemon | None = None

    def run_job(stop: threading.Event) -> None:
        assert daemon is not None  # the scheduler starts only in daemon.serve()
        try:
            current = load()
            build_trigger(current.schedule)
        except FeedbotError as exc:
            daemon.note(f"run skipped: the config no longer loads: {exc}")
            return
        latest[0] = current
        daemon.reschedule(current.schedule)
        try:
            report = execute(
                current, stop=stop, next_run=daemon.next_run(), events=list(daemon.events)
            )
            log.info("%s", summary(report, current))
        except LockedError as exc:
            daemon.note(f"run skipped: {exc}")
        except FeedbotError as exc:
            log.error("run failed: %s", exc)

    def on_event(events: list[str], next_run: datetime | None) -> None:
        config = latest[0]
        try:
            with Store(config.store.path) as store:
                write_status(config, store, next_run=next_run, events=events)
        except FeedbotError as exc:
            log.error("status.json not updated: %s", exc)

    daemon = Daemon(latest[0].schedule, run_job, on_event)
    return daemon.serve()
