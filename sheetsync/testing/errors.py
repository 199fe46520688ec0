"""Google's error replies, as the fake raises them."""
from __future__ import annotations


class ApiError(Exception):
    def __init__(self, code: int, status: str, message: str, details=None):
        super().__init__(message)
        self.code, self.status, self.message, self.details = code, status, message, details

    def body(self) -> dict:
        err = {"code": self.code, "message": self.message, "status": self.status}
        if self.details:
            err["details"] = self.details
        return {"error": err}


def bad_request(message: str) -> ApiError:
    return ApiError(400, "INVALID_ARGUMENT", message)
