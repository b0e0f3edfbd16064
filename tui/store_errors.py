"""A save the store refused (busy lock, read-only, an undo another process overtook) is said on screen,
never a crash: nothing was written, so nothing the user was told is saved can be lost."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from annotations.store.history import UndoRefused
from annotations.store.store import StoreError

REFUSALS = (StoreError, UndoRefused)


def _guard(function: Callable[..., Any], node_of: Callable[[tuple[Any, ...]], Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except REFUSALS as error:
            node = node_of(args)
            node.app.notify(str(error), title="not saved", severity="error", timeout=10)
            if hasattr(node, "say"):
                node.say(f"not saved: {error}")
            return None

    return guarded


def reports_store_errors(method: Callable[..., Any]) -> Callable[..., Any]:
    """For a method of a screen or widget (its first argument)."""
    return _guard(method, lambda args: args[0])


def store_errors_on(node: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """For a callback (a dialog's result handler) that writes: refusals are said on `node`."""
    return lambda function: _guard(function, lambda _args: node)
