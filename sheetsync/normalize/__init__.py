"""Understanding any student's spreadsheet: headers, values, stages.

    >>> from sheetsync.normalize import normalize
    >>> n = normalize([["Företag", "Telefon", "Status"], ["Volvo AB", "070-123 45 67", "Ja!"]])
    >>> n.mapping["Telefon"], n.frame.loc[0, "phone"], n.frame.loc[0, "stage"]
    ('phone', '+46701234567', 'yes')
"""
from sheetsync.normalize.frame import CANONICAL, Column, Normalized, Problem, normalize
from sheetsync.normalize.reading import Reading, read_crm, reading_key
from sheetsync.normalize.tabs import choose_crm_tab

__all__ = ["CANONICAL", "Column", "Normalized", "Problem", "Reading", "choose_crm_tab", "normalize",
           "read_crm", "reading_key"]
