"""The Textual app: holds the store and the settings; screens and widgets do the rest."""

from __future__ import annotations

import asyncio
import io
import sys
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from platformdirs import user_downloads_path
from textual import events, on, work
from textual.app import SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.widget import AwaitMount

from annotations.find.suggestions import load_lexicon
from annotations.learn.recommender import DEFAULT_MIN_F1, DEFAULT_THRESHOLD, Recommender
from annotations.store.schema import Schema, load_schema
from annotations.store.store import Store, StoreError
from annotations.text.layout import Mode
from tui.compat import CrashHandlingApp
from tui.keymap import ALL_KEYS, APP_KEYS, VIEW_KEYS, bindings, reserved_keys, with_arabic_aliases
from tui.labels import Drawing
from tui.screens.main import MainScreen
from tui.session import Session
from tui.training import Trainings

if TYPE_CHECKING:  # screens are imported when first opened: start-up stays fast
    from tui.screens.export_dialog import ExportChoice


class HamishApp(CrashHandlingApp[None]):
    CSS_PATH = Path(__file__).parent / "hamish.tcss"  # absolute, so subclasses elsewhere find it too
    BINDINGS = bindings(APP_KEYS)
    COMMAND_PALETTE_BINDING = "ctrl+p"

    def __init__(
        self,
        store: Store,
        *,
        schema: Schema | None = None,
        bidi_mode: Mode = "app",
        shaping: bool = True,
        keymap: dict[str, str] | None = None,
        pre_annotate: bool = True,
        lexicon: list[tuple[str, str]] | None = None,
        recommend: bool = True,
        min_f1: float = DEFAULT_MIN_F1,
        train_on_done_only: bool = True,
        threshold: float = DEFAULT_THRESHOLD,
        project: Path | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self._store_problem = ""
        """The last store problem said on screen (each is said once)."""
        self.quitting = False
        """True once the app has begun to exit: input is ignored from then on."""
        self._held_keys: list[events.Key] | None = []
        """Keys that came before the first article was on screen, in the order they came (None once handled).
        The main screen opens its article once the view knows its size; a key before that (typed ahead, or
        sent by a browser as soon as `hamish serve` drew its first frame) would move a cursor in an empty
        view, or reach a screen not yet pushed, and `w w 1` would tag the wrong word."""
        self.project = project
        """The project folder the store belongs to (its statistics then show every annotator's progress)."""
        self.schema = schema or load_schema(reserved_keys=reserved_keys(keymap))
        self.session = Session(store, self.schema, project, Drawing(bidi_mode, shaping))
        """What this sitting knows (the articles, the open one, the active layer, counts): tui.session."""
        self.pre_annotate = pre_annotate
        """Propose gazetteer and bias-lexicon suggestions when an article opens."""
        self.lexicon = lexicon if lexicon is not None else load_lexicon()
        """The bias lexicon, read once."""
        self._keymap = keymap or {}
        if recommend:
            self.session.recommenders = {
                layer.name: Recommender(
                    store,
                    layer.name,
                    min_f1=min_f1,
                    done_only=train_on_done_only,
                    labels=[label.name for label in layer.labels],
                    threshold=threshold,
                )
                for layer in self.schema.span_layers
            }
        self.trainings = Trainings(self, self.session, self.model_changed)
        """The models' trainings (tui.training): one at a time per layer, in processes of their own."""
        self.exit_on_signals: tuple[int, ...] = ()
        """Signals that end the app cleanly, with status 128 + the signal (set by tui.run for a real terminal)."""

    STORE_POLL_S = 0.5
    """How often the store's files are checked for other processes' saves: two stat() calls, so polling is
    cheap, works on every filesystem (inotify does not see writes over NFS or from other machines), and needs
    no extra dependency."""

    def on_mount(self) -> None:
        # A worker thread (a search, the suggestions of a long article) hands the interpreter back to the keys'
        # thread every millisecond, not every 5 (Python's default): a key then never waits 5 ms behind it.
        sys.setswitchinterval(0.001)
        loop = asyncio.get_running_loop()
        for signum in self.exit_on_signals:
            loop.add_signal_handler(signum, partial(self.exit, return_code=128 + signum))
        self.set_interval(self.STORE_POLL_S, self.poll_store)
        if self.session.recommenders:
            self.trainings.check()
        if self._keymap:  # remapped keys fire from an Arabic layout too
            self.set_keymap(
                {binding_id: with_arabic_aliases(keys) for binding_id, keys in self._keymap.items()}
            )
        # Label keys other than 1-9 (a schema may use letters the app leaves free) are bound here.
        extra = (
            {label.key for layer in self.schema.span_layers for label in layer.labels}
            - set("123456789")
            - {""}
        )
        for key in sorted(extra):
            self.bind(with_arabic_aliases(key), f"tag_key('{key}')", description=f"Label {key}", show=False)
        self.main = MainScreen(self.session)
        self.push_screen(self.main)

    def model_changed(self, layer: str, message: str, failed: bool) -> None:
        """A model began or ended training: the status line's model state, what to say (a failure as a
        warning), new suggestions."""
        if not hasattr(self, "main"):
            return
        self.main.workday.show_legend()
        if failed:
            self.notify(message, severity="warning", timeout=6)
            return
        if message:
            self.notify(message, timeout=4)
        if message and self.screen is self.main:
            self.main.search.load_suggestions()

    def poll_store(self) -> None:
        """Show what other hamish processes saved (spans, articles, done-state, stances) without a restart. A
        store damaged, deleted or replaced under the app is said on screen (once), and what the app holds
        stays on screen: it is never written over whatever is there now."""
        try:
            changed = self.store.refresh()
        except StoreError as error:
            changed = False
            self.say_store_problem(str(error))
        if self.store.gone:
            self.say_store_problem(
                f"{self.store.gone}: nothing more is saved; what is on screen is kept and "
                f"written beside it when you quit"
            )
        if changed:
            self.main.store_changed()

    def say_store_problem(self, message: str) -> None:
        if message == self._store_problem:
            return
        self._store_problem = message
        self.notify(message, title="not saved", severity="error", timeout=30)
        if self.screen is self.main:
            self.main.say(f"not saved: {message}")

    def crashed(self, error: Exception) -> None:
        """An error no handler caught, in a real terminal: the traceback goes to a crash log, one line to the
        terminal (tui.compat.CrashHandlingApp routes it here)."""
        from tui.run import CRASH_EXIT, write_crash_log

        try:
            where = f"the details are in {write_crash_log(error)}"
        except OSError as log_error:
            where = f"no crash log could be written ({log_error.strerror})"
        self.exit(
            return_code=CRASH_EXIT,
            message=f"hamish: error: unexpected {type(error).__name__}: {error}; "
            f"{where}. Every change the status line acknowledged (saved ✓) is in the store.",
        )

    def exit(self, result: None = None, return_code: int = 0, message: Any = None) -> None:
        """Quitting: from here on no key or click is handled (a `q s` typed at once must not open a dialog on
        an app that is closing down)."""
        self.quitting = True
        super().exit(result, return_code, message)

    def push_screen(
        self, screen: Any, callback: Any = None, wait_for_dismiss: bool = False, **kwargs: Any
    ) -> Any:
        """No dialog opens once the app is quitting (a key forwarded just before q would otherwise mount one on
        an app that is tearing its screens down)."""
        if self.quitting and not wait_for_dismiss:
            return AwaitMount(self.screen, [])
        return super().push_screen(screen, callback, wait_for_dismiss, **kwargs)  # type: ignore[call-overload]

    async def on_event(self, event: events.Event) -> None:
        if self.quitting and isinstance(event, events.InputEvent):
            return  # typed after q: the app is closing, and nothing it could start would be shown or kept
        if self._held_keys is not None and isinstance(event, events.Key) and not event.is_forwarded:
            self._held_keys.append(event)  # before any screen or binding sees it: see release_keys
            return
        await super().on_event(event)

    @on(MainScreen.ArticleOpened)
    def article_opened(self) -> None:
        self.release_keys()

    def release_keys(self) -> None:
        """The first article is on screen: the keys held until now are handled, in the order they came and
        before any key that comes later (the replay is a message in the app's own queue, behind every key
        already received, which are held too; it forwards each held key as a key straight from the terminal
        is forwarded)."""
        if self._held_keys is not None:
            self.call_later(self._replay_held_keys)

    async def _replay_held_keys(self) -> None:
        keys, self._held_keys = self._held_keys or [], None
        for key in keys:
            await super().on_event(key)

    def get_system_commands(self, screen) -> Iterable[SystemCommand]:
        """ctrl+p: every action of the key map with its key (the palette is the Textual way to find one), then
        Textual's own (theme, screenshot)."""
        on_main = screen is getattr(self, "main", None)
        for key in ALL_KEYS:
            if (not on_main and key not in APP_KEYS) or key.id == "app.palette":
                continue
            namespace = self.main.view if key in VIEW_KEYS else self.main if key not in APP_KEYS else self
            first = self._keymap.get(key.id, key.keys).split(",")[0]
            yield SystemCommand(
                f"{key.description}  ({self.get_key_display(Binding(first, ''))})",
                key.tooltip,
                partial(self.run_action, key.action, namespace),
            )
        yield from (command for command in super().get_system_commands(screen) if command.title != "Quit")

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen  # screens load when first opened: start-up stays fast

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(ALL_KEYS, self.schema, self.session.drawing, dict(self._keymap)))

    def action_messages(self) -> None:
        from tui.screens.messages import MessagesScreen

        if self.screen is self.main:
            self.push_screen(MessagesScreen(self.session.said))

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification joins the log. A plain one is said on the status line while the main screen
        shows (a toast there covers the article's lines); warnings and errors are toasts as well."""
        text = f"{title}: {message}" if title else message
        main: MainScreen | None = getattr(self, "main", None)  # made when the app mounts
        if severity == "information" and main is not None and self.screen is main:
            main.say(text)
            return
        self.session.log(text, severity)
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def action_stats(self) -> None:
        from tui.screens.stats_screen import StatsScreen

        if self.screen is self.main:
            self.push_screen(StatsScreen(self.session))

    def action_export(self) -> None:
        from tui.screens.export_dialog import ExportDialog

        if self.screen is self.main:
            self.push_screen(
                ExportDialog(user_downloads_path(), self.is_web, drawing=self.session.drawing),
                self.export_chosen,
            )

    def export_chosen(self, choice: ExportChoice | None) -> None:
        if choice is not None:
            self.notify(f"exporting ({choice.format})…", timeout=3)
            self.write_export(choice, self.session.active_layer.name)

    @work(thread=True, exclusive=True, group="export")
    def write_export(self, choice: ExportChoice, layer: str) -> None:
        """Makes the export in a thread (a big store takes seconds: tui.exporting), then hands it to Textual's
        deliver API: a download in a browser, a file in `choice.folder` in a terminal."""
        from tui.exporting import make_export  # first use: start fast

        made = make_export(
            self.store, self.schema, choice.format, choice.done_only, layer, choice.folder, self.is_web
        )
        if isinstance(made.data, io.StringIO):
            self.call_from_thread(
                self.deliver_text,
                made.data,
                save_directory=choice.folder,
                save_filename=made.name,
                encoding="utf-8",
                name="export",
                mime_type=made.mime_type,
            )
        elif isinstance(made.data, io.BytesIO):
            self.call_from_thread(
                self.deliver_binary,
                made.data,
                save_filename=made.name,
                name="export",
                mime_type=made.mime_type,
            )
        self.call_from_thread(
            self.notify, made.message, severity="error" if made.error else "information", timeout=6
        )

    @on(events.DeliveryComplete)
    def export_delivered(self, event: events.DeliveryComplete) -> None:
        if event.name == "export" and event.path is not None:
            self.notify(f"exported to {event.path}", timeout=10)

    @on(events.DeliveryFailed)
    def export_failed(self, event: events.DeliveryFailed) -> None:
        if event.name == "export":
            self.notify(f"export not written: {event.exception}", severity="error", timeout=10)

    def action_adjudicate(self) -> None:
        from tui.screens.adjudication import AdjudicationScreen

        if self.screen is self.main:
            self.push_screen(
                AdjudicationScreen(self.session), lambda _result: self.main.open_article(self.session.current)
            )

    def action_next_article(self) -> None:
        self.main.open_article(self.session.current + 1)

    def action_previous_article(self) -> None:
        self.main.open_article(self.session.current - 1)

    PANEL_ORDER = ("article", "annotations", "articles")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A dialog that binds tab itself (the stance dialog: tab takes the typed target) gets it; the app's
        tab, a priority binding, would otherwise move the focus first."""
        if action == "focus_next_panel" and self.screen is not getattr(self, "main", None):
            own = [b for b in type(self.screen).BINDINGS if isinstance(b, Binding)]
            return not any("tab" in b.key.split(",") for b in own)
        return True

    def action_focus_next_panel(self) -> None:
        """tab: the article, then the annotation panel, then the article list, and round again."""
        if self.screen is not self.main:
            self.screen.focus_next()
            return
        focused = self.focused.id if self.focused else None
        index = self.PANEL_ORDER.index(focused) + 1 if focused in self.PANEL_ORDER else 0
        self.main.query_one(f"#{self.PANEL_ORDER[index % len(self.PANEL_ORDER)]}").focus()

    def action_tag_key(self, key: str) -> None:
        self.main.annotating.action_tag(key)
