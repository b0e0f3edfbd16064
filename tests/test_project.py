"""Projects: a folder, one store per annotator, tokens kept only as hashes; the commands that work on it."""

from __future__ import annotations

import json
import stat
import subprocess
from pathlib import Path

import pytest

from annotations.store.resources import sample_corpus_dir
from annotations.store.store import Store
from annotations.team.project import Project, ProjectError, hash_token
from tests.pty_app import hamish


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(hamish(*args), capture_output=True, text=True, timeout=60)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    assert run("project", "init", str(folder), str(sample_corpus_dir())).returncode == 0
    return folder


def url_token(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().split("token=")[1]


def test_init_imports_the_corpus_and_refuses_a_second_init(project: Path) -> None:
    corpus = Store(project / "corpus.json", create=False, writable=False)
    assert len(corpus.articles()) == 5
    assert (project / "schema.toml").read_text() == (Path("data/schema.toml")).read_text()
    again = run("project", "init", str(project))
    assert again.returncode == 1 and "already a project" in again.stderr


def test_a_token_is_printed_once_and_stored_only_as_its_hash(project: Path) -> None:
    token = url_token(run("project", "add-annotator", str(project), "mona"))
    access = (project / "access.json").read_text()
    assert token not in access and hash_token(token) in access
    assert stat.S_IMODE((project / "access.json").stat().st_mode) == 0o600
    members = Project(project)
    assert members.verify(token).name == "mona"
    assert members.verify(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert members.verify("") is None and members.verify(None) is None


def test_adding_someone_twice_needs_new_token_and_the_old_url_stops_working(project: Path) -> None:
    first = url_token(run("project", "add-annotator", str(project), "mona"))
    again = run("project", "add-annotator", str(project), "mona")
    assert again.returncode == 1 and "--new-token" in again.stderr
    second = url_token(run("project", "add-annotator", str(project), "mona", "--new-token"))
    members = Project(project)
    assert members.verify(first) is None and members.verify(second).name == "mona"


@pytest.mark.parametrize("name", ["../mona", "mona/x", "", ".hidden", "a b"])
def test_a_name_that_is_not_a_safe_file_name_is_refused(project: Path, name: str) -> None:
    with pytest.raises(ProjectError, match="a name is"):
        Project(project).add_member(name)


def test_each_annotator_has_their_own_store_with_the_corpus(project: Path) -> None:
    p = Project(project)
    p.add_member("mona")
    p.add_member("sami")
    mona = p.open_store("mona")
    article = mona.articles()[0]
    mona.add_span(article, 26, 33, "entity", "PER")
    mona.close()
    sami = Store(p.store_path("sami"), create=False, writable=False)
    assert [len(sami.spans(a.id)) for a in sami.articles()] == [0] * 5
    assert {row.name: (row.articles, row.spans) for row in p.progress()} == {"mona": (5, 1), "sami": (5, 0)}


def test_new_corpus_articles_reach_annotators_when_they_next_open(project: Path, tmp_path: Path) -> None:
    Project(project).add_member("mona")
    extra = tmp_path / "extra.jsonl"
    extra.write_text(json.dumps({"id": "new-1", "text": "خبر جديد عن بغداد"}, ensure_ascii=False) + "\n")
    assert run("project", "import", str(project), str(extra)).returncode == 0
    store = Project(project).open_store("mona")
    assert "new-1" in {a.id for a in store.articles()}
    assert store.corpus_name == "news"


def test_opening_a_project_needs_a_member_name(project: Path) -> None:
    result = run(str(project), "--annotator", "nobody")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"hamish: error: no annotator 'nobody' in {project} (add them with "
        f"`hamish project add-annotator {project} nobody`)"
    )


def test_agree_and_merge_take_the_project_folder(project: Path) -> None:
    p = Project(project)
    for name, label in (("mona", "PER"), ("sami", "ORG")):
        p.add_member(name)
        store = p.open_store(name)
        store.add_span(store.articles()[0], 26, 33, "entity", label)
        store.close()
    agree = run("agree", str(project), "--json")
    assert agree.returncode == 0, agree.stderr
    assert json.loads(agree.stdout)["annotators"] == ["mona", "sami"]
    merged = run("merge", str(project), "--out", str(project / "adjudicated.json"))
    assert merged.returncode == 0 and "1 conflicts to adjudicate" in merged.stdout


def test_status_lists_every_member(project: Path) -> None:
    run("project", "add-annotator", str(project), "mona")
    run("project", "add-annotator", str(project), "lead", "--adjudicator")
    status = run("project", "status", str(project))
    assert status.returncode == 0
    assert "mona" in status.stdout and "0/5" in status.stdout and "adjudicator" in status.stdout


async def test_the_statistics_screen_shows_every_annotators_progress(project: Path) -> None:
    import io

    from rich.console import Console
    from textual.widgets import Static

    from tui.app import HamishApp
    from tui.screens.stats_screen import StatsScreen

    p = Project(project)
    p.add_member("mona")
    p.add_member("sami")
    sami = p.open_store("sami")
    sami.set_done(sami.articles()[0].id)
    sami.close()
    app = HamishApp(p.open_store("mona"), project=project, recommend=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("S")
        assert isinstance(app.screen, StatsScreen)
        block = app.screen.query(".stats-block").first(Static)
        console = Console(width=120, record=True, file=io.StringIO())
        console.print(block.content)
        first = console.export_text()
    assert "progress per annotator" in first
    assert "mona" in first and "sami" in first and "1/5" in first and "0/5" in first


def test_a_corpus_file_that_carries_annotations_is_refused_before_anything_is_made(tmp_path, capsys) -> None:
    from tests.test_bad_inputs import run

    annotated = Path(__file__).parent / "golden" / "native.jsonl"
    code, _, err = run(["project", "init", str(tmp_path / "news"), str(annotated)], capsys)
    assert code == 1 and "Traceback" not in err
    assert "carries annotations (" in err and "a project's corpus holds articles only" in err
    assert not (tmp_path / "news").exists()
