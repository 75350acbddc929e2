"""Errors a tool (or a user) can read and act on."""
from __future__ import annotations


class ToolError(Exception):
    """A failure the model (or a user) can read and act on."""


class OutOfReach(ToolError):
    """The record does not exist or is outside the viewer's reach; we never say which."""


class NotAllowed(ToolError):
    """The viewer may see the record but may not make this change (the write policy says who may)."""


class InvalidField(ToolError):
    """A value breaks a record rule; ``field`` names it (``due_date``, ``goal_ids.1``)."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field, self.message = field, message
