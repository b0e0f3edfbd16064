"""Keys typed before the first article is on screen are held, then replayed in order once it is.

The main screen opens its article a frame after it is mounted (the view needs its size to wrap the text), so a
key that comes in between (typed ahead in a terminal, or sent by a browser as soon as `hamish serve` drew its
first frame) would move a cursor in an empty view, and then the article would open at its start: `w w 1` would
tag the wrong word."""

from __future__ import annotations

from textual import events


class HeldKeys:
    """Mixed into a Screen: `hold_keys()` in on_mount, `release_keys()` once the article is open."""

    _held: list[tuple[str, str | None]] | None = None
    """Keys stopped on their way to the bindings, in the order they came; None once they have been replayed."""

    def hold_keys(self) -> None:
        self._held = []

    def on_key(self, event: events.Key) -> None:
        # Bindings are looked up when a key bubbles up to the app: stopping it at the screen keeps it from them.
        if self._held is not None:
            event.stop()
            event.prevent_default()
            self._held.append((event.key, event.character))

    def release_keys(self) -> None:
        """Replay from the app's own queue: keys that are already on their way are held until then, so none
        overtakes a held one."""
        if self._held is not None:
            self.app.call_later(self._replay_held)

    def _replay_held(self) -> None:
        # Made here, in the app's message loop, the app is their sender: a key sent by the screen would stop at
        # the screen and never reach the bindings.
        keys, self._held = self._held or [], None
        for key, character in keys:
            self.app.post_message(events.Key(key, character))
