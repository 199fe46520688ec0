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
           "unreadable": "Vi kunde inte läsa ditt CRM: {message}"},
    "en": {"structure_ok": "Your CRM has every column we recommend – good structure.",
           "structure_missing": "Add columns for {missing}, so you see your next steps and can follow"
                                " the sprint's focus.",
           "quality": "{complete} of your {leads} leads are complete (company, contact path and"
                      " industry); complete the others.",
           "quality_ok": "All your leads are complete – well done.",
           "volume_low": "You have {quality} quality leads of the target {target}; keep researching,"
                         " preferably companies with long hiring processes.",
           "volume_ok": "You have {quality} quality leads – the target of {target} is reached.",
           "unreadable": "We could not read your CRM: {message}"},
}


def feedback_tab(facts: CohortFacts, outcomes, calendar, language: str) -> list[list]:
    T, names = TEXT[language], FIELD_NAMES[language]
    target = calendar.quality_target
    rows = [HEADER[language]]
    for o in outcomes:
        if o.status != "ok":
            rows.append([o.name, "", "", "", T["unreadable"].format(message=o.message)])
            continue
        f = facts.of(o.id)
        leads, complete = f["leads"], f["quality"]
        missing = [fld for fld in RECOMMENDED if fld not in o.fields]
        sentences = [T["structure_missing"].format(missing=", ".join(names[fld] for fld in missing))
                     if missing else T["structure_ok"],
                     T["quality"].format(complete=complete, leads=leads)
                     if complete < leads else T["quality_ok"],
                     (T["volume_ok"] if complete >= target else T["volume_low"]).format(
                         quality=complete, target=target)]
        rows.append([o.name, f"{len(RECOMMENDED) - len(missing)}/{len(RECOMMENDED)}",
                     f"{round(100 * complete / leads) if leads else 0} %",
                     f"{complete}/{target}", " ".join(sentences)])
    return rows
