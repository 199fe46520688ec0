"""sheetsync: each student's Google Sheet as their LIA CRM, checked every night.

    from sheetsync import load_config
    from jobs.nightly import run_nightly
    report = run_nightly(load_config("sheetsync.toml"))
"""
from sheetsync.config import Config, Student, load_config
from sheetsync.errors import SheetsyncError

__all__ = ["Config", "SheetsyncError", "Student", "load_config"]
__version__ = "0.1.0"
