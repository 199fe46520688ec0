"""Jobs: `nightly` (the whole flow), `master` (the staff sheet)."""
