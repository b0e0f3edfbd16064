"""A project: a folder that a team annotates together, one store per annotator, so that nobody sees or blocks
anybody else's work.

    DIR/project.toml          name and when it was made
    DIR/schema.toml           the labels everyone uses
    DIR/corpus.json           a store holding the articles only (what every annotator gets)
    DIR/annotators/NAME.json  NAME's own store (articles copied from the corpus, NAME's annotations)
    DIR/adjudicated.json      the merged store an adjudicator works on (made by `hamish merge DIR`)
    DIR/access.json           who may open the project from a browser: a role and a SHA-256 of each secret token

Tokens are 32 random bytes, so a plain SHA-256 is enough to store them (a slow password hash guards guessable
secrets; these are not guessable), and a stolen access.json gives nobody a working URL.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import shutil
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from filelock import FileLock

from annotations.errors import HamishError
from annotations.store.files import (
    InputError,
    JSONProblem,
    atomic_write,
    describe_json,
    parse_json,
    read_text,
)
from annotations.store.model import Sourced
from annotations.store.schema import default_schema_path
from annotations.store.store import Store

Role = Literal["annotator", "adjudicator"]
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
MARKER = "project.toml"


class ProjectError(HamishError):
    """A project folder that cannot be used as asked; the message is one line for the user."""


@dataclass(frozen=True)
class Member:
    name: str
    role: Role
    created: str


@dataclass(frozen=True)
class Progress:
    name: str
    role: Role
    articles: int
    done: int
    spans: int
    stances: int
    last_change: str | None


def is_project(path: Path) -> bool:
    return path.is_dir() and (path / MARKER).is_file()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Project:
    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        if not is_project(self.folder):
            raise ProjectError(
                f"{self.folder}: not a hamish project (make one with `hamish project init {self.folder}`)"
            )
        try:
            self.settings = tomllib.loads(read_text(self.folder / MARKER, what="project file"))
        except InputError as error:
            raise ProjectError(str(error)) from None
        except (tomllib.TOMLDecodeError, RecursionError) as error:
            raise ProjectError(f"{self.folder / MARKER}: {error}") from None

    # -- making one ------------------------------------------------------------------------------------------
    @classmethod
    def init(cls, folder: str | Path, name: str | None = None, schema: Path | None = None) -> Project:
        folder = Path(folder)
        if folder.exists() and not folder.is_dir():
            raise ProjectError(f"{folder}: is a file; a project is a folder")
        if is_project(folder):
            raise ProjectError(f"{folder}: is already a project")
        if folder.exists() and any(folder.iterdir()):
            raise ProjectError(f"{folder}: not empty; give a new or empty folder")
        (folder / "annotators").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(schema or default_schema_path(), folder / "schema.toml")
        title = name or folder.resolve().name
        atomic_write(
            folder / MARKER, f'name = {json.dumps(title, ensure_ascii=False)}\ncreated = "{_now()}"\n'
        )
        project = cls(folder)
        Store(project.corpus_path, annotator="corpus").close()
        return project

    # -- paths -----------------------------------------------------------------------------------------------
    @property
    def name(self) -> str:
        return str(self.settings.get("name") or self.folder.name)

    @property
    def corpus_path(self) -> Path:
        return self.folder / "corpus.json"

    @property
    def schema_path(self) -> Path:
        return self.folder / "schema.toml"

    @property
    def adjudicated_path(self) -> Path:
        return self.folder / "adjudicated.json"

    def store_path(self, name: str) -> Path:
        return self.folder / "annotators" / f"{check_name(name)}.json"

    def annotator_stores(self) -> list[Path]:
        """Every annotator's store, in name order (adjudicators have none)."""
        return [
            self.store_path(m.name)
            for m in self.members()
            if m.role == "annotator" and self.store_path(m.name).exists()
        ]

    # -- members and tokens ----------------------------------------------------------------------------------
    @property
    def _access_path(self) -> Path:
        return self.folder / "access.json"

    def _read_access(self) -> dict[str, Any]:
        """access.json checked whole: `{"members": {NAME: {"role", "token_sha256", "created"}}}`; anything else
        is one ProjectError naming the file and the entry (nobody signs in with a tampered file)."""
        if not self._access_path.exists() and not self._access_path.is_symlink():
            return {"members": {}}
        try:
            access = parse_json(read_text(self._access_path, what="access file"))
        except (InputError, JSONProblem) as error:
            raise self._bad_access(str(error).removeprefix(f"{self._access_path}: ")) from None
        if not isinstance(access, dict):
            raise self._bad_access(f"the top level is {describe_json(access)}, not an object")
        members = access.get("members", {})
        if not isinstance(members, dict):
            raise self._bad_access(f"'members' is {describe_json(members)}, not an object of names")
        for name, entry in members.items():
            if not isinstance(entry, dict):
                raise self._bad_access(f"member {name!r} is {describe_json(entry)}, not an object")
            for key in ("role", "token_sha256", "created"):
                if key in entry and not isinstance(entry[key], str):
                    raise self._bad_access(
                        f"member {name!r}: '{key}' is {describe_json(entry[key])}, not text"
                    )
            if entry.get("role", "annotator") not in ("annotator", "adjudicator"):
                raise self._bad_access(
                    f"member {name!r}: role {entry['role']!r} is neither annotator nor adjudicator"
                )
        return access

    def _bad_access(self, why: str) -> ProjectError:
        where = "" if why.startswith(str(self._access_path)) else f"{self._access_path}: "
        return ProjectError(
            f"{where}{why}; nobody can sign in until it is fixed or removed (then add the annotators again)"
        )

    def _write_access(self, access: dict[str, Any]) -> None:
        atomic_write(self._access_path, json.dumps(access, ensure_ascii=False, indent=1), mode=0o600)

    def members(self) -> list[Member]:
        members = self._read_access().get("members", {})
        return [
            Member(name, entry.get("role", "annotator"), entry.get("created", ""))
            for name, entry in sorted(members.items())
        ]

    def member(self, name: str) -> Member | None:
        return next((m for m in self.members() if m.name == name), None)

    def add_member(self, name: str, role: Role = "annotator", new_token: bool = False) -> str:
        """Adds `name` (with their own store, if an annotator) and returns their secret token, which is shown
        once and never stored. An existing member gets a new token only when asked (the old one stops working)."""
        check_name(name)
        with FileLock(str(self._access_path) + ".lock"):
            access = self._read_access()
            members = access.setdefault("members", {})
            if name in members and not new_token:
                raise ProjectError(
                    f"{name} is already in {self.folder}; give --new-token to replace their "
                    f"token (their annotations are kept)"
                )
            token = secrets.token_urlsafe(32)
            previous = members.get(name, {})
            members[name] = {
                "role": previous.get("role", role),
                "token_sha256": hash_token(token),
                "created": previous.get("created", _now()),
            }
            self._write_access(access)
        if members[name]["role"] == "annotator":
            self.open_store(name).close()
        return token

    def verify(self, token: str | None) -> Member | None:
        """The member whose token this is; None for a missing or wrong token (compared in constant time)."""
        if not token:
            return None
        digest = hash_token(token)
        found = None
        for name, entry in self._read_access().get("members", {}).items():
            if hmac.compare_digest(entry.get("token_sha256", ""), digest):
                found = Member(name, entry.get("role", "annotator"), entry.get("created", ""))
        return found

    # -- stores ----------------------------------------------------------------------------------------------
    def open_store(self, name: str) -> Store:
        """`name`'s store, with every corpus article it does not have yet added first."""
        member = self.member(name)
        if member is None:
            raise ProjectError(
                f"no annotator '{name}' in {self.folder} (add them with `hamish project "
                f"add-annotator {self.folder} {name}`)"
            )
        if member.role != "annotator":
            raise ProjectError(f"{name} is an adjudicator in {self.folder}; they open the merged store")
        store = Store(self.store_path(name), annotator=name)
        self.sync(store)
        return store

    def sync(self, store: Store) -> int:
        corpus = Store(self.corpus_path, annotator="corpus", create=False, writable=False)
        known = {article.id for article in store.articles()}
        missing = [Sourced(a, str(self.corpus_path), 0) for a in corpus.articles() if a.id not in known]
        if missing:
            store.import_articles(missing)
        if store.corpus_name != self.name:
            store.set_corpus_name(self.name)
        return len(missing)

    def progress(self) -> list[Progress]:
        """Per annotator: how far they are (read only, so it never blocks anyone's saves)."""
        rows = []
        for member in self.members():
            if member.role != "annotator" or not self.store_path(member.name).exists():
                rows.append(Progress(member.name, member.role, 0, 0, 0, 0, None))
                continue
            store = Store(self.store_path(member.name), annotator=member.name, create=False, writable=False)
            articles = store.articles()
            spans = [s for a in articles for s in store.spans(a.id)]
            stances = [s for a in articles for s in store.stances(a.id)]
            changes = [s.updated or s.created for s in spans if s.updated or s.created]
            rows.append(
                Progress(
                    member.name,
                    member.role,
                    len(articles),
                    len(store.done_ids()),
                    len(spans),
                    len(stances),
                    max(changes) if changes else None,
                )
            )
        return rows


def check_name(name: str) -> str:
    """A member's name is also their store's file name: letters, digits, and . _ - only."""
    if not NAME_PATTERN.fullmatch(name):
        raise ProjectError(
            f"'{name}': a name is 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit"
        )
    return name


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
