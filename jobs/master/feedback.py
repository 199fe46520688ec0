"""The early-May CRM feedback per student: structure, quality, volume, and sentences a
staff member can send as they are (DOMAIN.md: "Early May: staff give each student
feedback on the CRM's structure, quality and volume")."""
from __future__ import annotations

from jobs.master.students import CohortFacts

RECOMMENDED = ("company", "contact_name", "phone", "email", "status_raw", "last_contact",
               "follow_up", "category", "notes")
FIELD_NAMES = {
    "sv": {"company": "företag", "contact_name": "kontaktperson", "phone": "telefon",
           "email": "e-post", "status_raw": "status", "last_contact": "senast kontaktad",
           "follow_up": "uppföljning", "category": "bransch/typ", "notes": "kommentar"},
    "en": {"company": "company", "contact_name": "contact person", "phone": "phone",
           "email": "e-mail", "status_raw": "status", "last_contact": "last contact",
           "follow_up": "follow-up", "category": "industry/type", "notes": "notes"},
}
HEADER = {"sv": ["Student", "Struktur", "Kvalitet", "Volym", "Återkoppling att skicka"],
          "en": ["Student", "Structure", "Quality", "Volume", "Feedback to send"]}
TEXT = {
    "sv": {"structure_ok": "Ditt CRM har alla kolumner vi rekommenderar – bra struktur.",
           "structure_missing": "Lägg till kolumner för {missing}, så ser du nästa steg och kan följa"
                                " sprintens fokus.",
           "quality": "{complete} av dina {leads} leads är kompletta (företag, kontaktväg och bransch);"
                      " komplettera de övriga.",
           "quality_ok": "Alla dina leads är kompletta – snyggt.",
           "volume_low": "Du har {quality} kvalitetsleads av målet {target}; fortsätt researcha, gärna"
                         " bland företag med långa rekryteringsprocesser.",
           "volume_ok": "Du har {quality} kvalitetsleads – målet {target} är nått.",
           "volume_lia": "Du har säkrat din LIA – grattis! Se till att den är registrerad.",
           "unreadable": "Vi kunde inte läsa ditt CRM i natt: {why}"},
    "en": {"structure_ok": "Your CRM has every column we recommend – good structure.",
           "structure_missing": "Add columns for {missing}, so you see your next steps and can follow"
                                " the sprint's focus.",
           "quality": "{complete} of your {leads} leads are complete (company, contact path and"
                      " industry); complete the others.",
           "quality_ok": "All your leads are complete – well done.",
           "volume_low": "You have {quality} quality leads of the target {target}; keep researching,"
                         " preferably companies with long hiring processes.",
           "volume_ok": "You have {quality} quality leads – the target of {target} is reached.",
           "volume_lia": "You have secured your LIA – congratulations! Make sure it is registered.",
           "unreadable": "We could not read your CRM last night: {why}"},
}


# what a student can do about it, in words to send (the error itself, with its server
# paths and ids, is for staff: the Students tab's message column)
WHY = {
    "sv": {"not_found": "kalkylarket finns inte längre (borttaget eller flyttat?). Skicka en ny länk"
                        " till personalen.",
           "not_shared": "kalkylarket är inte delat med tjänsten. Dela det igen med tjänstens adress"
                         " (som redigerare).",
           "no_tab": "vi hittade ingen flik med företag och status. Kontrollera att ditt CRM har en"
                     " rubrikrad med till exempel Företag och Status.",
           "busy": "filen var öppen i ett annat program. Stäng den, så läser vi den nästa natt.",
           "changing": "bladet ändrades medan vi skrev. Vi försöker igen nästa natt.",
           "stopped": "körningen avbröts innan ditt blad hann bli klart. Det görs nästa natt.",
           "other": "ett tekniskt fel hos oss. Personalen tittar på det; du behöver inte göra något."},
    "en": {"not_found": "the spreadsheet no longer exists (deleted or moved?). Send staff a new link.",
           "not_shared": "the spreadsheet is not shared with the service. Share it again with the"
                         " service's address (as an editor).",
           "no_tab": "we found no tab with companies and a status. Check that your CRM has a header"
                     " row with, say, Company and Status.",
           "busy": "the file was open in another program. Close it and we read it next night.",
           "changing": "the sheet changed while we wrote. We try again next night.",
           "stopped": "the run stopped before your sheet was done. Next night does it.",
           "other": "a technical fault on our side. Staff are looking at it; nothing for you to do."},
}


def why_unread(outcome, language: str) -> str:
    words = WHY[language]
    return words.get(getattr(outcome, "problem", "") or "other", words["other"])


def feedback_tab(facts: CohortFacts, outcomes, calendar, language: str) -> list[list]:
    T, names = TEXT[language], FIELD_NAMES[language]
    target = calendar.quality_target
    rows = [HEADER[language]]
    for o in outcomes:
        if o.status != "ok":
            rows.append([o.name, "", "", "", T["unreadable"].format(why=why_unread(o, language))])
            continue
        f = facts.of(o.id)
        # completeness over the leads the student keeps (a duplicate row or a company
        # lost in the draw is not one to complete)
        leads, complete = f["kept"], f["quality"]
        missing = [fld for fld in RECOMMENDED if fld not in o.fields]
        sentences = [T["structure_missing"].format(missing=", ".join(names[fld] for fld in missing))
                     if missing else T["structure_ok"],
                     T["quality"].format(complete=complete, leads=leads)
                     if complete < leads else T["quality_ok"],
                     T["volume_lia"] if f["lia"] else
                     (T["volume_ok"] if complete >= target else T["volume_low"]).format(
                         quality=complete, target=target)]
        rows.append([o.name, f"{len(RECOMMENDED) - len(missing)}/{len(RECOMMENDED)}",
                     f"{round(100 * complete / leads) if leads else 0} %",
                     f"{complete}/{target}", " ".join(sentences)])
    return rows
