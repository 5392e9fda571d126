"""Errors that tell the user what went wrong and how to fix it."""


class MentorPrepError(Exception):
    """A problem the user can act on: `fix` says how."""

    def __init__(self, message: str, fix: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix

    def __str__(self) -> str:
        return f"{self.message}\n  To fix: {self.fix}" if self.fix else self.message


class ModelNotReady(MentorPrepError):
    """The model file is missing or corrupt."""


class BackendUnavailable(MentorPrepError):
    """The LLM or vector backend cannot be reached, timed out, or failed mid-answer."""


class BadInput(MentorPrepError):
    """The user's input cannot be used as it is."""
