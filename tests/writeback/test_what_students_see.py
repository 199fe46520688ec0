"""What a student reads (What students and staff see, round 2): short flags in words with
the code last, advice that agrees with itself, the to-do list before the numbers, and
every word of ours in the cohort's language. On the demo cohort, and on a hand-made one
whose students each stand for a kind: ahead, an LIA secured, an empty CRM."""
import re

import pytest
from openpyxl import Workbook, load_workbook

from jobs.nightly import run_nightly
from sheetsync import load_config
from sheetsync.demo import generate_cohort, write_demo
from sheetsync.i18n import t
from tests.conftest import NOW

# words of ours that must not show in a tab of the other language (company names aside)
FOREIGN = {"sv": re.compile(r"\b(email|phone|attempted|in_dialogue|processed|open|Call first|Follow up|weeks"
                            r"|days|yes|passed|not found|workbook|Try again|Pick another)\b"),
           "en": re.compile(r"\b(öppen|bearbetad|Ring först|Följ upp|veckor|dagar|ja|nej|passerad|mejl|telefon"
                            r"|Försök|Välj|kvar|kvalitetsleads|lottning)\b")}


def owned_texts(path):
    """(CRM rows as {header: value}, the owned column headers, the summary's lines)."""
    book = load_workbook(path)
    rows = [["" if v is None else str(v) for v in r] for r in book.worksheets[0].iter_rows(values_only=True)]
    h = next(i for i, r in enumerate(rows) if any(v.startswith("⚑") for v in r))
    owned = [c for c, v in enumerate(rows[h]) if v.startswith("⚑")]
    leads = [{"flags": r[owned[0]], "state": r[owned[1]], "next": r[owned[2]]} for r in rows[h + 1:]
             if len(r) > owned[2]]
    summary = [["" if v is None else str(v) for v in r] for r in book["sheetsync"].iter_rows(values_only=True)]
    return leads, [rows[h][c] for c in owned], summary


@pytest.fixture(scope="module", params=["sv", "en"])
def demo(request, tmp_path_factory):
    path = write_demo(tmp_path_factory.mktemp(request.param) / "demo", generate_cohort(12, 3, NOW))
    path.write_text(path.read_text(encoding="utf-8").replace('language = "sv"', f'language = "{request.param}"'),
                    encoding="utf-8")
    config = load_config(path)
    assert run_nightly(config, now=NOW).ok
    return config, request.param


def test_flags_are_short_phrases_in_words_with_the_code_last(demo):
    config, _ = demo
    for path in sorted(config.resolve("students").glob("*.xlsx")):
        leads, _, _ = owned_texts(path)
        for lead in leads:
            for line in filter(None, lead["flags"].split("\n")):
                assert len(line) <= 70, (path.stem, line)
                assert re.search(r"\([A-Z]{2}\d{2}\)$", line) and not re.match(r"[A-Z]{2}\d{2}\b", line), line


def test_no_lead_has_a_next_step_that_contradicts_its_flags(demo):
    config, language = demo
    for path in sorted(config.resolve("students").glob("*.xlsx")):
        leads, _, summary = owned_texts(path)
        secured = any(lead["state"] == t("state.lia", language) for lead in leads)
        for lead in leads:
            if "(LC01)" in lead["flags"]:
                assert lead["next"] == t("next.pick_another", language), (path.stem, lead)
                assert lead["state"] == t("state.lost", language), (path.stem, lead)
            if secured:                                      # the hunt is over: no advice to chase
                assert lead["next"] == "", (path.stem, lead)
                assert not re.search(r"\((FU|PR)\d\d\)", lead["flags"]), (path.stem, lead)


def test_the_to_do_list_comes_before_the_numbers_and_every_line_is_words_first(demo):
    config, language = demo
    for path in sorted(config.resolve("students").glob("*.xlsx")):
        _, _, summary = owned_texts(path)
        firsts = [r[0] for r in summary if r and r[0]]
        assert firsts.index(t("sum.todo", language)) < firsts.index(t("sum.numbers", language)), path.stem
        todo = firsts[firsts.index(t("sum.todo", language)) + 1:firsts.index(t("sum.numbers", language))]
        assert todo and not any(re.match(r"[A-Z]{2}\d{2}\b", line) for line in todo), (path.stem, todo)


def test_every_word_of_ours_is_in_the_cohorts_language(demo):
    config, language = demo
    for path in sorted(config.resolve("students").glob("*.xlsx")):
        leads, headers, summary = owned_texts(path)
        ours = headers + [v for lead in leads for v in lead.values()] + \
            [c for r in summary for c in r if c and not c.startswith("   ")]      # "   " lines: company names
        for text in ours:
            assert not FOREIGN[language].search(text), (path.stem, text)


# ---- a hand-made cohort: one student of each kind ----------------------------------------
HEADER = ["Företag", "Kontaktperson", "Telefon", "Bransch", "Status", "Senast kontaktad", "Uppföljning"]


def crm(rows):
    book = Workbook()
    book.active.title = "CRM"
    for row in [HEADER] + rows:
        book.active.append(row)
    return book


@pytest.fixture
def hand_made(tmp_path):
    folder = tmp_path / "students"
    folder.mkdir()
    ahead = [[f"Företag {i} AB", "Eva Ek", f"070-{i:03d} 11 22", "Industri", "i dialog", "2026-05-08",
              "2026-05-13" if i == 0 else "2026-05-30"] for i in range(55)]
    crm(ahead).save(folder / "ahead.xlsx")
    secured = [["LIA Företaget AB", "Bo Ek", "070-999 11 22", "Industri", "ja", "2026-05-02", ""],
               ["Annat AB", "Cia Ek", "070-998 11 22", "Industri", "i dialog", "2026-04-20", "2026-05-01"]]
    crm(secured).save(folder / "secured.xlsx")
    crm([]).save(folder / "empty.xlsx")
    (tmp_path / "sheetsync.toml").write_text(
        '[backend]\nkind = "xlsx"\nfolder = "students"\n[master]\npath = "master.xlsx"\n'
        '[state]\npath = "s.db"\n', encoding="utf-8")
    config = load_config(tmp_path / "sheetsync.toml")
    assert run_nightly(config, now=NOW).ok
    return {p.stem: owned_texts(p) for p in folder.glob("*.xlsx")}


def to_do(summary):
    firsts = [r[0] for r in summary if r and r[0]]
    return firsts[firsts.index("ATT GÖRA DENNA VECKA") + 1:firsts.index("DINA SIFFROR")]


def test_each_kind_of_student_is_told_what_fits_them(hand_made):
    empty = to_do(hand_made["empty"][2])
    assert empty[0].startswith("Din CRM är tom") and "målet var 50 till 30/4" in empty[0]
    secured_leads, _, secured_summary = hand_made["secured"]
    assert to_do(secured_summary) == [t("todo.lia", "sv")]
    assert all(lead["next"] == "" for lead in secured_leads)                 # no follow-up to chase
    assert not any("(FU01)" in lead["flags"] for lead in secured_leads)      # its overdue one included
    ahead_leads, _, ahead_summary = hand_made["ahead"]
    todo = to_do(ahead_summary)
    assert todo[0] == t("todo.week", "sv") and todo[1].strip() == "Företag 0 AB"
    assert not any("(PR01)" in line for line in todo)                         # 55 quality leads: none missing
    assert ahead_leads[0]["next"] == "Snart: följ upp 2026-05-13"            # amber by the night's judgement
