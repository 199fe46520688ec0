"""Backends behind one interface: `xlsx` (local folder, the default) and `google`."""
from sheetsync.backends.base import Backend


def open_backend(config) -> Backend:
    if config.backend["kind"] == "google":
        from sheetsync.backends.google import GoogleBackend   # the only gspread importer
        return GoogleBackend(config)
    from sheetsync.backends.xlsx import XlsxBackend
    return XlsxBackend(config)


__all__ = ["Backend", "open_backend"]
