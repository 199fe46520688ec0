"""Student- and staff-facing text in Swedish and English; config picks the language."""
from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    # owned column headers (they must start with "sheetsync")
    "col.flags": {"sv": "sheetsync flaggor", "en": "sheetsync flags"},
    "col.state": {"sv": "sheetsync läge", "en": "sheetsync state"},
    "col.next": {"sv": "sheetsync nästa steg", "en": "sheetsync next step"},
    "state.lia": {"sv": "LIA", "en": "LIA"},
    "state.processed": {"sv": "bearbetad", "en": "processed"},
    "state.open": {"sv": "öppen", "en": "open"},
    "next.call_first": {"sv": "Ring först", "en": "Call first"},
    "next.try_again": {"sv": "Försök igen, gärna via en annan kanal",
                       "en": "Try again, preferably another channel"},
    "next.try_channel": {"sv": "Försök igen, nu via {channel}", "en": "Try again, this time by {channel}"},
    "channel.phone": {"sv": "telefon", "en": "phone"},
    "channel.email": {"sv": "mejl", "en": "e-mail"},
    "channel.linkedin": {"sv": "LinkedIn", "en": "LinkedIn"},
    "next.new_contact": {"sv": "Hitta en ny kontakt på företaget",
                         "en": "Find a new contact at the company"},
    "next.follow_up": {"sv": "Följ upp", "en": "Follow up"},
    "next.overdue": {"sv": "Försenad uppföljning, sedan", "en": "Overdue follow-up, since"},
    "next.agree_follow_up": {"sv": "Boka en uppföljning", "en": "Agree on a follow-up"},
    # summary tab
    "sum.title": {"sv": "sheetsync: sammanfattning", "en": "sheetsync: summary"},
    "sum.synced": {"sv": "Senast uppdaterad", "en": "Last updated"},
    "sum.judged": {"sv": "Bedömt per dag", "en": "Judged as of"},
    "sum.leads": {"sv": "Leads", "en": "Leads"},
    "sum.quality": {"sv": "Kvalitetsleads (mål {target})", "en": "Quality leads (target {target})"},
    "sum.warm": {"sv": "Varma leads", "en": "Warm leads"},
    "sum.contacted": {"sv": "Kontaktade", "en": "Contacted"},
    "sum.processed": {"sv": "Bearbetade", "en": "Processed"},
    "sum.dialogue": {"sv": "I dialog", "en": "In dialogue"},
    "sum.meetings": {"sv": "Möten/intervjuer", "en": "Meetings/interviews"},
    "sum.offers": {"sv": "Erbjudanden", "en": "Offers"},
    "sum.lia": {"sv": "LIA säkrad", "en": "LIA secured"},
    "sum.flags": {"sv": "Flaggor att titta på", "en": "Flags to look at"},
    "sum.sprint": {"sv": "Sprint", "en": "Sprint"},
    "sum.soft": {"sv": "Tid kvar till mjuk deadline ({date})", "en": "Time to the soft deadline ({date})"},
    "sum.hard": {"sv": "Tid kvar till hård deadline ({date})", "en": "Time to the hard deadline ({date})"},
    "time.weeks": {"sv": "{n} veckor", "en": "{n} weeks"},
    "time.days": {"sv": "{n} dagar", "en": "{n} days"},
    "time.passed": {"sv": "passerad", "en": "passed"},
    "sum.mix": {"sv": "Research-mix: långa processer / små och medel / okänd typ",
                "en": "Research mix: long processes / small and mid-size / type unknown"},
    "sum.week": {"sv": "Nästa steg denna vecka (försenade först)",
                 "en": "Next steps this week (overdue first)"},
    "sum.row": {"sv": "Rad", "en": "Row"},
    "sum.company": {"sv": "Företag", "en": "Company"},
    "sum.step": {"sv": "Nästa steg", "en": "Next step"},
    "sum.notes": {"sv": "Att göra för dig", "en": "For you to do"},
    "sum.channels": {"sv": "Svarsfrekvens per kanal", "en": "Answer rate per channel"},
    "sum.lost": {"sv": "Leads du förlorade i lottning (välj ett annat)",
                 "en": "Leads you lost in a draw (pick another)"},
    "yes": {"sv": "ja", "en": "yes"},
    "no": {"sv": "nej", "en": "no"},
}


def t(key: str, language: str, **params) -> str:
    text = TEXT[key].get(language) or TEXT[key]["en"]
    return text.format(**params) if params else text
