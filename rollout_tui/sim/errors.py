"""Kubernetes API errors, carried as exceptions and rendered as ``Status`` objects."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """An API failure with the HTTP code and ``reason`` Kubernetes would answer with."""

    def __init__(self, code: int, reason: str, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.reason = reason
        self.message = message
        self.details = details

    def status(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
            "code": self.code,
        }
        if self.details:
            body["details"] = self.details
        return body

    def __repr__(self) -> str:
        return f"ApiError({self.code}, {self.reason!r}, {self.message!r})"


def bad_request(message: str) -> ApiError:
    return ApiError(400, "BadRequest", message)
