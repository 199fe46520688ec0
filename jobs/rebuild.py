"""`sheetsync state rebuild`: the lottery's draws back from the master's Companies tab,
when every copy of the state store is lost. A draw is made once and kept (D1); the
master's "Drawn order" column holds each one, so a new store draws nothing again."""
from __future__ import annotations

from jobs.master.students import HEADERS
from sheetsync.backends import open_backend
from sheetsync.config import Config
from sheetsync.errors import SheetsyncError
from sheetsync.state import StateStore


def rebuild_draws(config: Config, *, backend=None) -> tuple[int, int]:
    """(draws restored, draws the store already had)."""
    backend = backend or open_backend(config)
    master = backend.read_master()
    if master is None:
        raise SheetsyncError("no master to rebuild from (it has not been written yet)")
    language = config.language
    tab = master.tab(HEADERS[language]["tabs"]["companies"])
    if tab is None or not tab.rows:
        raise SheetsyncError(f"the master has no {HEADERS[language]['tabs']['companies']!r} tab")
    header = tab.rows[0]
    names = HEADERS[language]["companies"]
    try:
        key_col, order_col = header.index(names[1]), header.index(names[-1])
    except ValueError:
        raise SheetsyncError("the master's Companies tab has no drawn order column (written by an"
                             " older sheetsync); nothing to rebuild from") from None
    found = {}
    for row in tab.rows[1:]:
        if order_col < len(row) and row[order_col].strip():
            order = [s.strip() for s in row[order_col].split(",") if s.strip()]
            found[row[key_col]] = {"seed": "rebuilt from the master", "candidates": order, "order": order}
    state = StateStore(config.state_path)
    try:
        have = state.draws()
        new = {k: d for k, d in found.items() if k not in have}
        state.save_draws(new, None)
    finally:
        state.close()
    return len(new), len(found) - len(new)
