"""Rule modules, one file per rule: rules/<family>/<CODE>.py.

Families: cleanup (CL, D2), dedup (DD), caps (LC, D1), followup (FU, D5-D7),
progress (PR, D3/D4/D8). Codes are never reused.
"""
