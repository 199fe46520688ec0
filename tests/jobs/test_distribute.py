"""Sharing out the group's warm leads (D1): at most 3 per lead, fair, reproducible,
nothing written without --apply, appended in each member's own layout, undoable."""
import random
from collections import Counter

from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from jobs.distribute import assign, clean_notes
from jobs.undo import undo_run
from sheetsync.cli import main
from sheetsync.normalize import normalize

COMPANIES = [f"Gruppföretag {chr(65 + i)} AB" for i in range(24)]


def group_crm(path, members, rng):
    book = Workbook()
    ws = book.active
    ws.title = "Gruppens CRM"
    ws.append(["Företag", "Kontaktperson", "Telefon", "Kommentar"] + [m.name for m in members])
    for i, company in enumerate(COMPANIES):
        wants = rng.sample(members, rng.choice([1, 2, 3, 5, 6]))
        note = "Tar emot LIA varje höst. Tror de kanske vill ha fler??" if i % 3 == 0 else "Träffades på mässan."
        ws.append([company, f"Kontakt {i}", f"070-{i:03d} 00 00", note] + ["x" if m in wants else "" for m in members])
    book.save(path)


def test_assignment_caps_each_lead_and_shares_fairly():
    members = [f"m{i}" for i in range(6)]
    keys = [f"k{i}" for i in range(30)]
    everyone = {k: members for k in keys}
    result = assign(keys, everyone, seed="s1")
    assert all(len(v) == 3 for v in result.values())
    load = Counter(m for v in result.values() for m in v)
    assert max(load.values()) - min(load.values()) <= 1          # 90 places among 6: 15 each
    assert assign(keys, everyone, seed="s1") == result            # reproducible from its seed
    assert assign(keys, everyone, seed="s2") != result
    rng = random.Random(4)
    some = {k: rng.sample(members, rng.randint(1, 6)) for k in keys}
    for key, got in assign(keys, some, seed="s3").items():
        assert len(got) <= 3 and set(got) <= set(some[key])
        assert len(got) == min(3, len(some[key]))


def test_speculation_stays_behind():
    assert clean_notes("Tar emot LIA varje höst. Tror de kanske vill ha fler??") == "Tar emot LIA varje höst."


def test_distribute_dry_run_then_apply_then_undo(demo_config, demo_cohort, tmp_path):
    folder = demo_config.resolve("students")
    members = demo_config.students[:6]
    group = tmp_path / "grupp.xlsx"
    group_crm(group, members, random.Random(1))
    before = {p.name: p.read_bytes() for p in folder.glob("*.xlsx")}
    runner = CliRunner()
    dry = runner.invoke(main, ["distribute", "--config", str(demo_config.path), "--group", str(group)])
    assert dry.exit_code == 0, dry.output
    assert "dry run: nothing written" in dry.output
    assert {p.name: p.read_bytes() for p in folder.glob("*.xlsx")} == before

    applied = runner.invoke(main, ["distribute", "--config", str(demo_config.path), "--group",
                                   str(group), "--apply"])
    assert applied.exit_code == 0, applied.output
    run_id = int(applied.output.split("written, run ")[1].split()[0])
    per_lead = Counter()
    for m in members:
        path = folder / f"{m.id}.xlsx"
        rows = [[c if c is not None else "" for c in r]
                for r in load_workbook(path).worksheets[0].iter_rows(values_only=True)]
        old = normalize([[c if c is not None else "" for c in r] for r in
                         load_workbook(__import__("io").BytesIO(before[path.name])).worksheets[0]
                         .iter_rows(values_only=True)], year=2026)
        new = normalize(rows, year=2026)
        added = new.frame[new.frame["row"] > old.frame["row"].max()]
        assert set(added["company"]) <= set(COMPANIES)
        for company in added["company"]:
            per_lead[company] += 1
        assert not added["notes"].fillna("").str.contains("kanske").any()
    assert per_lead and max(per_lead.values()) <= 3

    undone = undo_run(demo_config, run_id)
    assert undone.restored > 0 and not undone.kept
    for m in members:
        frame = normalize([[c if c is not None else "" for c in r] for r in
                           load_workbook(folder / f"{m.id}.xlsx").worksheets[0].iter_rows(values_only=True)],
                          year=2026).frame
        assert not frame["company"].isin(COMPANIES).any()


def test_the_demo_group_sheet_shares_leads_and_a_plain_sheet_says_why_nothing(demo_config, tmp_path):
    runner = CliRunner()
    example = demo_config.resolve("career-group.xlsx")
    assert example.is_file()                        # the demo ships an example group sheet
    dry = runner.invoke(main, ["distribute", "--config", str(demo_config.path), "--group", str(example)])
    assert dry.exit_code == 0, dry.output
    assert "+ Gruppföretag" in dry.output and "dry run: nothing written" in dry.output
    plain = tmp_path / "plain.xlsx"                 # leads, but no member columns or wish tab
    book = Workbook()
    book.active.append(["Företag", "Kontaktperson", "Telefon"])
    book.active.append(["Acme AB", "Kim", "070-123 45 67"])
    book.save(plain)
    out = runner.invoke(main, ["distribute", "--config", str(demo_config.path), "--group", str(plain)])
    assert out.exit_code == 0, out.output
    assert "no wishes" in out.output and "Member and Company" in out.output
    assert "Företag, Kontaktperson, Telefon" in out.output


def test_a_group_sheet_in_the_students_folder_is_never_judged_as_a_student(tmp_path, now):
    from jobs.nightly import run_nightly
    from sheetsync import load_config
    folder = tmp_path / "students"
    folder.mkdir()
    for name in ("anna", "bo"):
        book = Workbook()
        book.active.append(["Företag", "Kontaktperson", "Status"])
        book.active.append([f"{name} AB", "Kim", ""])
        book.save(folder / f"{name}.xlsx")
    book = Workbook()
    book.active.append(["Företag", "Kontaktperson", "anna", "bo"])
    book.active.append(["Gruppföretag AB", "Lo", "x", "x"])
    book.save(folder / "karriargrupp.xlsx")
    (tmp_path / "sheetsync.toml").write_text('[backend]\nkind = "xlsx"\nfolder = "students"\n'
                                             '[master]\npath = "master.xlsx"\n', encoding="utf-8")
    out = CliRunner().invoke(main, ["distribute", "--config", str(tmp_path / "sheetsync.toml"),
                                    "--group", "karriargrupp.xlsx"])
    assert out.exit_code == 0 and "anna: 1 lead(s)" in out.output and "bo: 1 lead(s)" in out.output, out.output
    report = run_nightly(load_config(tmp_path / "sheetsync.toml"), now=now)
    assert sorted(o.id for o in report.students) == ["anna", "bo"]
    assert "sheetsync" not in load_workbook(folder / "karriargrupp.xlsx").sheetnames
