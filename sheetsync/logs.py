"""The service's log lines: text for a person at a terminal, JSON lines for a log system
(`[monitoring] log_format = "json"`: one object a line, for Loki, Cloud Logging, journald's
JSON export). Both go to stderr; the report and the Runs tab stay the record of a night."""
from __future__ import annotations

import datetime as dt
import json
import logging
import sys

TEXT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# what LogRecord holds by itself; anything else was passed as `extra=` and is kept
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {"time": dt.datetime.fromtimestamp(record.created, dt.timezone.utc)
                .isoformat(timespec="milliseconds"),
                "level": record.levelname.lower(), "logger": record.name,
                "message": record.getMessage()}
        line |= {k: v for k, v in vars(record).items() if k not in _STANDARD}
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def setup_logging(log_format: str = "text", stream=None) -> None:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonLines() if log_format == "json" else logging.Formatter(TEXT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
