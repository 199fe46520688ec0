"""Judging in batches gives each student exactly what judging the whole cohort gives."""
from types import SimpleNamespace

from jobs.night.judge import Judge
from sheetsync import load_config
from sheetsync.demo import generate_cohort, write_demo
from sheetsync.engine.context import Calendar
from sheetsync.engine.leads import contacted
from sheetsync.normalize import Normalized, normalize


def reads_of(cohort, now):
    return [SimpleNamespace(student=SimpleNamespace(id=s.id),
                            normalized=normalize(s.rows, year=now.year, student=s.id, tab="CRM"))
            for s in cohort.students]


def per_student(judgement, sid):
    found = judgement.found_of(sid)
    rows, states, steps = judgement.per_lead(sid)
    return (sorted((str(f.row), f.code, repr(f.params)) for f in found),
            list(zip(rows.tolist(), states, steps)), judgement.summaries.of(sid))


def test_batches_and_a_rejudged_student_match_the_whole_cohort(tmp_path, now):
    cohort = generate_cohort(students=16, seed=3, today=now)
    config = load_config(write_demo(tmp_path / "demo", cohort))
    reads = reads_of(cohort, now)
    whole = Judge(config, now, Calendar.default(now.year), {})(reads)
    assert (whole.found["code"] == "LC01").any()          # the cap is in play in this cohort

    judge = Judge(config, now, Calendar.default(now.year), {})
    ids = [r.student.id for r in reads]
    for batch in (ids[:5], ids[5:11], ids[11:]):
        part = judge(reads, focus=set(batch))
        assert set(part.cohort["student"]) <= set(batch)
        for sid in batch:
            assert per_student(part, sid) == per_student(whole, sid), sid

    # a winner by lot drops a company one student lost: judged again, the place is theirs
    lost = {sid: lost_keys(whole, sid) for sid in ids}
    key, loser, winner = next((k, sid, r) for sid in ids for k in lost[sid] for r in reads
                              if sum(k in keys for keys in lost.values()) == 1
                              and k not in lost[r.student.id] and k in drawn_keys(r))
    frame = winner.normalized.frame
    winner.normalized = Normalized(frame[frame["company_key"] != key].reset_index(drop=True),
                                   winner.normalized.mapping, winner.normalized.header_row)
    again = judge(reads)
    fresh = Judge(config, now, Calendar.default(now.year), {})(reads)
    for sid in ids:
        assert per_student(again, sid) == per_student(fresh, sid), sid
    assert key in lost[loser] and key not in lost_keys(again, loser)


def drawn_keys(read):
    """Companies the student holds by lot: active, and not yet contacted."""
    f = read.normalized.frame
    active = f[f["stage"] != "no"]
    held = active.groupby("company_key")
    return {k for k, g in held if not contacted(g).any()}


def lost_keys(judgement, sid):
    leads = judgement.leads_of(sid)
    rows = {row for row, _ in judgement.cap_of(sid)}
    return set(leads.loc[leads["row"].isin(rows), "company_key"])
