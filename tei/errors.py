"""Errors a user can act on.

Every failure the user can cause (a missing file, bad encoding, invalid metadata)
is raised as :class:`UserError` and printed by the CLI as one line, never as a
traceback.
"""

from __future__ import annotations

from pathlib import Path


class UserError(Exception):
    """A problem with the input, reported as ``file:line: error: what (what to do)``."""

    def __init__(
        self,
        message: str,
        path: str | Path | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.hint = hint

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = self.path + (f":{self.line}" if self.line else "") + ": "
        text = f"{where}error: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text
