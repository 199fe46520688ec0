"""Shared fixtures: a fixed clock and time zone, and small demo cohorts on disk."""
import datetime as dt
import os
import time

import pytest

from sheetsync import load_config
from sheetsync.demo import generate_cohort, write_demo

NOW = dt.date(2026, 5, 12)          # a Tuesday in sprint 2; every test judges as of it

os.environ["TZ"] = "Europe/Stockholm"
time.tzset()


@pytest.fixture(autouse=True)
def own_quota_ledger(tmp_path, monkeypatch):
    """Each test counts its Google calls in a ledger of its own, not in the machine's
    (~/.cache/sheetsync/quota.db), which other test runs on the machine share."""
    monkeypatch.setenv("SHEETSYNC_QUOTA_LEDGER", str(tmp_path / "quota-ledger.db"))


@pytest.fixture(params=["export", "sheets"])
def read_via(request, monkeypatch):
    """Google's two read paths ([quota] read_via): a module that uses this fixture runs
    every test on both, as the default of every config it loads."""
    from sheetsync import config
    monkeypatch.setitem(config._SCHEMA["quota"], "read_via", (("export", "sheets"), request.param))
    return request.param


@pytest.fixture
def now():
    return NOW


@pytest.fixture
def demo_cohort():
    return generate_cohort(students=8, seed=7, today=NOW)


@pytest.fixture
def demo_config(tmp_path, demo_cohort):
    return load_config(write_demo(tmp_path / "demo", demo_cohort))
