"""`sheetsync serve` for a school: several cohorts, each with its own config, state store,
run lock and "has tonight run" decision (jobs.serve.Service), in one service.

    sheetsync serve --config 7a/sheetsync.toml --config 7b/sheetsync.toml [--side-by-side]

- One after the other (the default) or side by side (a thread per cohort; the run lock
  and the state store stay each cohort's own).
- One cohort never stops the others. A config that cannot be loaded (missing file,
  unknown key, bad TOML) is logged, told to staff and read again every minute, so a
  fixed file runs that same day (a missed night is made up once). A night that raises
  (a missing students folder, an unreadable state folder, a bug) is logged, told, and
  not tried again before the next night.
- Who hears about a config that cannot be loaded: the first cohort in the list that has
  `[alerts]` (a webhook or e-mail), once a day after that cohort's `[schedule] time`;
  the alert's subject names the file. A cohort's own failure goes to its own `[alerts]`
  and names the cohort (sheetsync.notify.alert_text).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import signal
import threading
import time
from pathlib import Path

import schedule

from jobs.serve import Service
from sheetsync import notify
from sheetsync.config import load_config
from sheetsync.errors import ConfigError, SheetsyncError

log = logging.getLogger("sheetsync.school")


@dataclasses.dataclass
class Cohort:
    """One config of the school: its Service once it loads, else why it does not."""
    path: Path
    service: Service | None = None
    load_error: str | None = None
    gave_up_on: dt.date | None = None      # its night raised that day: not again before the next

    @property
    def name(self) -> str:
        return self.service.config.cohort["name"] if self.service else str(self.path)


class School:
    def __init__(self, config_paths, *, clock=None, backend_factory=None, side_by_side: bool = False):
        """`backend_factory(config)` gives a cohort's backend (tests, FakeGoogle); None
        opens the one its config names. `clock` as for Service."""
        self.clock = clock
        self.backend_factory = backend_factory
        self.side_by_side = side_by_side
        self.stopping = False
        unique = dict.fromkeys(Path(p).resolve() for p in config_paths)   # the same file once
        self.cohorts = [Cohort(p) for p in unique]
        self.told_broken: dict[Path, dt.date] = {}
        for cohort in self.cohorts:
            self._load(cohort)
        if not any(c.service for c in self.cohorts):
            raise ConfigError("; ".join(c.load_error for c in self.cohorts))
        names = [c.name for c in self.cohorts]
        for name in sorted({n for n in names if names.count(n) > 1}):
            log.warning("several configs name their cohort %r: their alerts and results look"
                        " alike; give each [cohort] name its own", name)

    def _load(self, cohort: Cohort) -> None:
        try:
            config = load_config(cohort.path)
            factory = (lambda: self.backend_factory(config)) if self.backend_factory else None
            cohort.service = Service(config, clock=self.clock, backend_factory=factory)
            if cohort.load_error:
                log.info("cohort %s: %s loads now", cohort.name, cohort.path)
            cohort.load_error = None
        except Exception as e:                 # ConfigError, or an unknown time zone, a bad time
            message = str(e) if isinstance(e, ConfigError) else f"{cohort.path}: {type(e).__name__}: {e}"
            if message != cohort.load_error:
                log.error("cohort %s cannot be loaded: %s", cohort.path, message)
            cohort.load_error = message

    def tick(self) -> dict[str, object]:
        """Every cohort's tick, in the list's order or side by side: name -> its report,
        None (not due, or it could not run) or the exception its night raised."""
        if self.stopping:
            return {}
        for cohort in self.cohorts:
            if cohort.service is None:
                self._load(cohort)
        self._tell_broken_configs()
        ready = [c for c in self.cohorts if c.service is not None]
        results: dict[str, object] = {}
        if not self.side_by_side:
            for cohort in ready:
                if not self.stopping:
                    results[cohort.name] = self._tick_one(cohort)
            return results
        threads = [threading.Thread(target=lambda c=c: results.__setitem__(c.name, self._tick_one(c)),
                                    name=f"cohort {c.name}") for c in ready]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return results

    def _tick_one(self, cohort: Cohort):
        service = cohort.service
        today = (service.clock()).astimezone(service.zone).date()
        if cohort.gave_up_on == today:
            return None
        try:
            return service.tick()
        except Exception as e:                 # one cohort's night never stops the others
            cohort.gave_up_on = today
            ours = isinstance(e, SheetsyncError)   # a message for staff; anything else is a bug
            error = str(e) if ours else f"{type(e).__name__}: {e}"
            log.error("cohort %s: tonight's run failed, the other cohorts go on; tried again"
                      " next night: %s", cohort.name, error, exc_info=not ours,
                      extra={"cohort": cohort.name})
            if not getattr(e, "told", False):  # run_nightly tells what it raises itself
                _tell(service.config, error)
            return e

    def _tell_broken_configs(self) -> None:
        """Once a day, after the teller's scheduled time, a config that does not load is
        told through the first loaded cohort that has [alerts], under the file's name."""
        teller = next((c.service for c in self.cohorts if c.service and
                       (c.service.config.alerts["webhook"] or c.service.config.alerts["email_to"])), None)
        if teller is None:                     # nobody to tell: the log line at load is all
            return
        local = teller.clock().astimezone(teller.zone)
        for cohort in self.cohorts:
            if cohort.service is not None or local.time() < teller.at \
                    or self.told_broken.get(cohort.path) == local.date():
                continue
            self.told_broken[cohort.path] = local.date()
            config = teller.config
            as_the_file = dataclasses.replace(
                config, cohort={**config.cohort, "name": str(cohort.path)},
                monitoring={**config.monitoring, "ping_url": "", "prometheus_textfile": ""})
            _tell(as_the_file, f"its config could not be loaded: {cohort.load_error}")

    def stop(self, *_) -> None:
        self.stopping = True
        for cohort in self.cohorts:
            if cohort.service:
                cohort.service.stop()

    def serve_forever(self, *, sleep=time.sleep, poll_seconds: float = 1.0) -> None:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        scheduler = schedule.Scheduler()
        scheduler.every(1).minutes.do(self.tick)
        for c in self.cohorts:
            if c.service:
                log.info("serving cohort %s: nightly at %s %s", c.name,
                         c.service.at.strftime("%H:%M"), c.service.zone.key)
        log.info("%d cohort(s), %s", len(self.cohorts), "side by side" if self.side_by_side else "one after the other")
        self.tick()                                   # a missed night is made up at start
        while not self.stopping:
            scheduler.run_pending()
            sleep(poll_seconds)
        log.info("stopped")


def _tell(config, error: str) -> None:
    """Staff hear that a night did not run; telling never stops another cohort."""
    try:
        notify.after_night(config, error=error)
    except Exception:
        log.exception("could not tell staff that %s did not run", config.cohort["name"])
