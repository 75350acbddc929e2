"""Errors a tool (or a user) can read and act on."""
from __future__ import annotations


class ToolError(Exception):
    """A failure the model (or a user) can read and act on."""


class OutOfReach(ToolError):
    """The record does not exist or is outside the viewer's reach; we never say which."""
