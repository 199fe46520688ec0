"""The cap lottery (D1): fair over seeds, kept across nights, silent about who holds a lead."""
from collections import Counter

import pandas as pd

from rules.caps.lottery import draw
from sheetsync.engine.context import Calendar
from sheetsync.engine.registry import registry
from sheetsync.engine.run import run_rules
from sheetsync.normalize import normalize
from sheetsync.state import StateStore
from tests.rules.cases import NOW, crm

STUDENTS = ["alva", "bo", "cleo", "dan", "eva", "fred"]


def cohort(holders, status=None):
    status = status or {}
    return pd.concat([normalize(crm(("Volvo AB", "Bo", "", "", status.get(s, ""))), year=2026,
                                student=s, tab="CRM").frame for s in holders], ignore_index=True)


def losers(frame, draws=None, seed="sheetsync"):
    found, new = run_rules(frame, now=NOW, calendar=Calendar.default(2026), only=("LC01",),
                           settings={"LC01": {"seed": seed}}, draws=draws or {})
    return set(found["student"]), new


def test_every_eligible_student_wins_about_equally_often():
    wins, first = Counter(), Counter()
    seeds = 20_000
    for n in range(seeds):
        _, order = draw(STUDENTS, f"s{n}", "volvo", 0)
        wins.update(order[:3])
        first[order[0]] += 1
    for student in STUDENTS:                      # 3 places among 6: each wins half the time
        assert abs(wins[student] / seeds - 0.5) < 0.015, wins
        assert abs(first[student] / seeds - 1 / 6) < 0.015, first


def test_the_rule_gives_the_places_in_the_drawn_order():
    frame = cohort(STUDENTS)
    for n in range(20):
        lost, new = losers(frame, seed=f"s{n}")
        _, order = draw(STUDENTS, f"s{n}", "volvo", 0)
        assert new["volvo"]["order"] == order and lost == set(order[3:])


def test_the_draw_is_reproducible_from_its_seed():
    assert losers(cohort(STUDENTS))[0] == losers(cohort(STUDENTS))[0]


def test_the_draw_is_kept_across_nights_and_newcomers_queue_behind(tmp_path):
    store = StateStore(tmp_path / "state.db")
    first, new = losers(cohort(STUDENTS[:5]))
    store.save_draws(new, run_id=1)
    # night 2, another seed in the config: the stored draw still decides
    again, new2 = losers(cohort(STUDENTS[:5]), store.draws(), seed="changed")
    assert again == first and new2 == {}
    # night 3: a sixth student adds the company: drawn behind the first five
    later, new3 = losers(cohort(STUDENTS), store.draws())
    assert later == first | {"fred"} and new3["volvo"]["candidates"] == ["fred"]
    store.save_draws(new3, run_id=3)
    assert store.draws()["volvo"][-1] == "fred"


def test_a_holder_saying_no_frees_the_place_for_the_next_in_order(tmp_path):
    lost, new = losers(cohort(STUDENTS[:5]))
    order = new["volvo"]["order"]
    winner = order[0]
    after, _ = losers(cohort(STUDENTS[:5], {winner: "nej tack"}), {"volvo": order})
    assert after == lost - {order[3]}             # the first loser moves up


def test_students_in_contact_keep_the_company():
    lost, _ = losers(cohort(STUDENTS, {s: "ringt 1 ggr" for s in STUDENTS[:3]}))
    assert lost == set(STUDENTS[3:])


def test_the_loser_is_never_told_who_holds_it():
    frame = cohort(STUDENTS)
    found, _ = run_rules(frame, now=NOW, calendar=Calendar.default(2026), only=("LC01",))
    rule = registry()["LC01"]
    for f in found.itertuples():
        for language in ("sv", "en"):
            text = rule.text(language, f.params) + repr(f.params)
            assert not any(other in text for other in STUDENTS), text
