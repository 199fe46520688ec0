from sheetsync.engine.findings import findings
from sheetsync.engine.registry import Rule


class StraySpaces(Rule):
    """Text with spaces before, after or doubled inside it: invisible, but it breaks
    sorting, filters and look-ups (D2: a tidy CRM). With `[cleanup] in_place = true`
    the service trims them itself, logged and undoable.

    **Anti-pattern**
        | Företag      |
        | " Volvo  AB" |

    **Best practice**
        | Företag  |
        | Volvo AB |
    """
    code, name, severity = "CL06", "cleanup.stray_spaces", "info"
    message = {"sv": "Extra mellanslag i {cell}",
               "en": "Stray spaces in {cell}"}
    explain = {"sv": "Mellanslag före eller efter texten gör att samma företag ser ut som två.",
               "en": "Spaces before or after the text make one company look like two."}

    def evaluate(self, frame, ctx):
        rows = frame[frame["stray_space"].notna()]
        return findings(rows, self.code, self.severity, [{"cell": c} for c in rows["stray_space"]])
