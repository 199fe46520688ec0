"""One exception tree: every error the service raises on purpose is a SheetsyncError.

Messages name what a staff member needs to find the problem: the student, the
spreadsheet or file, and the cell or range where that is known.
"""


class SheetsyncError(Exception):
    """Base of every error sheetsync raises on purpose."""


class ConfigError(SheetsyncError):
    """The configuration file is missing, malformed or holds an unknown key."""


class BackendError(SheetsyncError):
    """A sheet could not be read or written."""

    def __init__(self, message: str, *, student: str | None = None,
                 sheet: str | None = None, cell: str | None = None,
                 retryable: bool = False):
        where = ", ".join(p for p in (
            f"student {student}" if student else "",
            f"sheet {sheet}" if sheet else "",
            f"range {cell}" if cell else "") if p)
        super().__init__(f"{message} ({where})" if where else message)
        self.student, self.sheet, self.cell = student, sheet, cell
        self.retryable = retryable


class SheetNotFound(BackendError):
    """The spreadsheet or workbook does not exist (deleted, wrong id)."""


class SheetNotShared(BackendError):
    """The spreadsheet exists but is not shared with the service account."""


class QuotaExceeded(BackendError):
    """Google kept answering 429 after every retry."""


class CredentialsError(SheetsyncError):
    """The service-account credentials are missing, malformed or revoked."""


class SheetChangedError(BackendError):
    """The student edited the sheet between our read and our write."""


class SheetBusy(BackendError):
    """The workbook is open in another program or read-only: not written tonight."""
