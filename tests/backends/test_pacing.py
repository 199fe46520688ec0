"""Pacing inside Google's quotas, and not reading what has not changed."""
import datetime as dt

from jobs.nightly import run_nightly
from sheetsync.backends.google import GoogleBackend
from sheetsync.backends.ratelimit import RateLimiter
from sheetsync.demo import generate_cohort
from sheetsync.demo.google import upload_cohort
from sheetsync.testing import FakeGoogle
from tests.conftest import NOW


class Clock:
    def __init__(self):
        self.t = 0.0

    def now(self):
        return self.t

    def sleep(self, s):
        self.t += max(s, 0)


def test_the_limiter_never_lets_more_than_n_calls_into_a_minute():
    clock = Clock()
    limiter = RateLimiter({"reads": 5}, clock=clock.now, sleep=clock.sleep)
    times = []
    for _ in range(23):
        limiter.acquire("reads")
        times.append(clock.t)
        clock.t += 0.5                                   # each call takes half a second
    assert all(sum(1 for u in times if t <= u < t + 60) <= 5 for t in times)
    assert times[-1] >= 4 * 60                           # 23 calls at 5 a minute: 4 full waits


def test_structural_calls_count_as_writes():
    clock = Clock()
    limiter = RateLimiter({"writes": 2}, clock=clock.now, sleep=clock.sleep, same_as={"structural": "writes"})
    limiter.acquire("writes")
    limiter.acquire("structural")
    limiter.acquire("writes")
    assert clock.t >= 60


import pytest


@pytest.mark.parametrize("read_via, paced", [
    # 10 export reads on Drive; 11 Sheets reads (10 shapes + the master) and 12 write calls
    # (one per student, the master's structure and values): past 6 a minute, a minute's wait
    ("export", (12 - 6) / 6 * 60),
    # 11 Sheets reads and 22 write-quota calls (values + first-run structural) at 6 a minute
    ("sheets", (22 - 6) / 6 * 60)])
def test_a_whole_run_meets_no_429_with_the_quotas_on(tmp_path, read_via, paced):
    clock = Clock()
    with FakeGoogle(quotas=True, reads_per_minute_user=6, writes_per_minute_user=6,
                    latency=0.2, clock=clock.now, sleep=clock.sleep) as google:
        config, sheets, _ = upload_cohort(google, generate_cohort(10, 4, NOW), tmp_path)
        config.quota.update(reads_per_minute=6, writes_per_minute=6, workers=1, read_via=read_via)
        report = run_nightly(config, now=NOW, backend=GoogleBackend(config, sleep=clock.sleep,
                                                                    clock=clock.now))
        assert report.ok and report.api_calls["http_429"] == 0
        assert [c for c in google.requests if c.status == 429] == []
        assert clock.t >= paced


def test_an_unchanged_local_workbook_is_not_opened_again(demo_config, now):
    run_nightly(demo_config, now=now)
    files = sorted(demo_config.resolve("students").glob("*.xlsx"))
    from openpyxl import load_workbook
    book = load_workbook(files[0])
    book.worksheets[0].cell(row=60, column=1).value = "Ny Firma AB"
    book.save(files[0])
    report = run_nightly(demo_config, now=now + dt.timedelta(days=0))
    assert report.unchanged == len(files) - 1 and report.api_calls["reads"] == 1
    assert report.ok


def test_the_report_says_how_long_the_run_waited_for_the_quota(tmp_path):
    clock = Clock()
    with FakeGoogle(quotas=True, reads_per_minute_user=3, writes_per_minute_user=3,
                    clock=clock.now, sleep=clock.sleep) as google:
        config, sheets, _ = upload_cohort(google, generate_cohort(4, 4, NOW), tmp_path)
        config.quota.update(reads_per_minute=3, writes_per_minute=3, workers=1)
        report = run_nightly(config, now=NOW, backend=GoogleBackend(config, sleep=clock.sleep,
                                                                    clock=clock.now))
        assert report.api_calls["quota_wait_s"] >= 60 and report.api_calls["http_429"] == 0
