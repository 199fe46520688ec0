"""A night that writes while it reads, so reads and writes share the night.

Google gives reads and writes separate quotas. A night that reads everyone before it
writes uses them one after the other: reads/60 + writes/60 minutes. Only the cap (D1)
needs everyone; so once nearly every student has a snapshot from an earlier night, a
student can be judged as soon as their sheet is read, counting the students not read
yet by their last snapshot, and written at once, while the next sheets are read.

At the end the cap is judged once more over tonight's sheets only. A student whose
lost companies differ from what they were written with (a sheet read later changed a
company's holders) is written again: `report.rewritten` counts them, usually none.
The lottery's draws are saved from that final judgement only, so a provisional verdict
never fixes a draw.

This is the other schedule of the same stages as jobs.nightly's read-everyone-first
night: it reads, judges and writes through the `Night` (jobs.night).
"""
from __future__ import annotations

import queue
from concurrent.futures import ThreadPoolExecutor

from jobs.night.context import Night, ReadJob, cpu_stage, side_by_side, through_a_pool, workers
from jobs.night.judge import Judgement
from jobs.night.outcome import StudentOutcome
from jobs.night.read import ReadRequest, SheetRead, read_student
from jobs.night.write import skip_as_stopping, write_student

# Most students must already be known from a snapshot, or early verdicts would be guesses
# (on the first night nobody is: everyone is read before anyone is judged).
MAX_UNKNOWN_SHARE = 0.05
MIN_BATCH = 10           # each batch judges the cap again: a tenth of what is left, 10 at least


def can_stream(jobs: list) -> bool:
    to_read = [j for j in jobs if j.reuse is None]
    unknown = sum(1 for j in to_read if j.last is None)
    return bool(to_read) and unknown <= MAX_UNKNOWN_SHARE * len(jobs)


def stream_night(night: Night, jobs: list[ReadJob]) -> tuple[Judgement, bool]:
    """Read, judge and write everyone in overlapping batches; (final judgement, stopped).
    Those listening (`on_student`) hear of everyone at the end."""
    judged, stopped = _Stream(night).run(jobs)
    if night.options.on_student:
        for o in night.report.students:
            night.options.on_student(o)
    return judged, stopped


class _Stream:
    """One streamed night: `view` holds every student's newest data (tonight's sheet or
    a snapshot), `settled` the cap verdict each student's sheet now shows."""

    def __init__(self, night: Night):
        self.night = night
        self.view: dict[str, SheetRead] = {}
        self.settled: dict[str, set] = {}

    def run(self, jobs: list[ReadJob]) -> tuple[Judgement, bool]:
        night = self.night
        night.report.streamed = True
        self._view_from_snapshots(jobs)
        to_read = [j for j in jobs if j.reuse is None]
        previous = {j.student.id: self.view.get(j.student.id) for j in to_read}
        arrivals = _Arrivals(night.backend)
        start = night.backend.clock()

        def read_one(j) -> None:
            r = None
            try:
                night.backend.sleep(max(0.0, start - night.backend.clock()))   # not before it was asked for
                last = previous.pop(j.student.id)          # not held once replaced
                r = read_student(night, ReadRequest(j.student, j.outcome, version=j.version, prepare=True,
                                           previous=last, before=last.workbook if last else None))
            finally:                           # the writer counts on one arrival per sheet
                arrivals.put(night.backend.clock(), j.student.id, r)

        stopped = False
        with ThreadPoolExecutor(max_workers=workers(night)) as pool:    # through a pool: more at once
            for j in to_read:
                pool.submit(read_one, j)
            batch = [j.student.id for j in jobs if j.reuse is not None]
            pending = len(to_read)
            while True:
                if batch:
                    stopped = self._write_batch(batch)
                    if stopped:
                        pool.shutdown(wait=True, cancel_futures=True)
                        break
                if not pending:
                    break
                arrived = arrivals.take(min(pending, max(MIN_BATCH, pending // 10)))
                pending -= len(arrived)
                batch = []
                for sid, r in arrived:
                    if r is None:                  # failed or nothing to judge: out of the cap too
                        self.view.pop(sid, None)
                    else:
                        self.view[sid] = r
                        if not r.stale:            # unreadable tonight: counts as last seen
                            batch.append(sid)
        if stopped:
            skip_as_stopping(j.outcome for j in jobs
                                   if j.student.id not in self.settled and j.outcome.status == "ok")
        return self._settle(stopped)

    def _view_from_snapshots(self, jobs: list[ReadJob]) -> None:
        """Everyone known from a snapshot counts for the cap from the start: the unchanged
        for good, the others until tonight's read replaces theirs."""
        for j in jobs:
            if j.reuse is not None:
                r = read_student(self.night, ReadRequest(j.student, j.outcome, snapshot=j.reuse))
            elif j.last is not None:           # to be read tonight; counts for the cap till then
                r = read_student(self.night, ReadRequest(j.student, StudentOutcome(j.student.id, ""),
                                                snapshot=j.last))
            else:
                continue
            if r is not None:
                self.view[j.student.id] = r
            j.last = None                      # held by the view until tonight's read replaces it

    def _settle(self, stopped: bool) -> tuple[Judgement, bool]:
        """The cap judged once more over everyone; a sheet written with another verdict is
        written again."""
        night = self.night
        with cpu_stage(night.report, "rules"):
            final = night.judge(list(self.view.values()))
        if not stopped:
            again = [sid for sid, r in self.view.items()
                     if r.outcome.status == "ok" and self.settled.get(sid) != final.cap_of(sid)]
            if again:
                night.report.rewritten += sum(1 for sid in again if sid in self.settled)
                self._write_batch(again, final)
                final = night.judge(list(self.view.values()))
        return final, stopped

    def _write_batch(self, batch: list[str], judged: Judgement | None = None) -> bool:
        """Judge `batch` with everyone in the view counting for the cap, and write each;
        True when told to stop. Given the final judgement (`judged`), it writes to the
        end: the sheets must not keep a provisional verdict."""
        night, view = self.night, self.view
        may_stop = judged is None
        reads = list(view.values())
        index = {r.student.id: i for i, r in enumerate(reads)}
        batch = [sid for sid in batch if sid in index]
        focus = set(batch)
        if judged is None:
            with cpu_stage(night.report, "rules"):
                judged = night.judge(reads, focus)
        latest, stopped = [judged], []

        def one(sid: str) -> None:
            if may_stop and (stopped or night.options.stop_now()):
                stopped.append(sid)
                return
            i = index[sid]
            after = write_student(night, reads, i, latest[0], focus)
            with night.one_at_a_time:          # an edit re-judged: the batch's judgement from then on
                latest[0] = after
                reads[i].outcome.done = True
                view[sid] = reads[i]
                if reads[i].outcome.status == "ok":
                    self.settled[sid] = after.cap_of(sid)
        if through_a_pool(night):              # each identity writes its own students
            side_by_side(night, batch, lambda sid: view[sid].student, one)
        else:
            for sid in batch:
                one(sid)
                if stopped:
                    break
        return bool(stopped)


class _Arrivals:
    """Sheets read by the workers, handed to the writer in the order they were read.

    Each carries the moment it was read on the backend's clock, and the writer takes
    only what has been read by its own moment: with real time that is everything that
    has arrived; on the benchmark's simulated clocks it keeps the two in step. At most
    HELD sheets wait, so a reader far ahead of the writer waits instead of holding the
    whole cohort twice in memory (the view still has the snapshots)."""
    HELD = 200

    def __init__(self, backend):
        self.backend = backend
        self._queue: queue.Queue = queue.Queue(maxsize=self.HELD)
        self._waiting: list[tuple[float, str, SheetRead | None]] = []

    def put(self, moment: float, student: str, read: SheetRead | None) -> None:
        self._queue.put((moment, student, read))

    def take(self, at_least: int) -> list[tuple[str, SheetRead | None]]:
        while len(self._waiting) < at_least:
            self._waiting.append(self._queue.get())
        while len(self._waiting) < at_least + self.HELD:
            try:
                self._waiting.append(self._queue.get_nowait())
            except queue.Empty:
                break
        self._waiting.sort(key=lambda item: item[0])
        lag = self._waiting[at_least - 1][0] - self.backend.clock()
        if lag > 0:
            self.backend.sleep(lag)
        now = self.backend.clock()
        n = max(at_least, sum(1 for item in self._waiting if item[0] <= now))
        taken, self._waiting = self._waiting[:n], self._waiting[n:]
        return [(student, read) for _, student, read in taken]
