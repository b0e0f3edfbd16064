"""Importing articles: exact text, titles, noise, and every kind of bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotations.formats.ingest import Problem, Sourced, read_articles
from annotations.store.store import Store
from tests.conftest import SEEDS, snapshot_of_store

# The headline, not the scrape noise above it (a language menu, a section name: «ar Arabic», «الدولية»,
# «أخبار»), nor a kicker or byline near it.
EXPECTED_TITLES = {
    "000_bd41f7afd87b55b5": "الكاظمي يحذر الاحتلال الفارسي بكشف دعمه للجماعات المسلحة في العراق",
    "001_b7d5ac79bd800930": "بغداد وواشنطن تبحثان انهاء الدور القتالي لقوات التحالف في العراق",
    "002_2eac1bb9ec8be8de": "الكاظمي: لا نحتاج إلى قوات أمريكا القتالية... فقط الدور التدريبي والاستخباري",
    "003_0414c9933e66a5e2": "اتفاق أمريكي – عراقي على محاسبة مليشيات طهران",
    "004_c60929020f56a472": "فصائل إيران في العراق: سنواصل مهاجمة التحالف الدولي",
}
# A few noise lines of each seed that the importer must find (and body lines it must not call noise).
EXPECTED_NOISE = {
    "000_bd41f7afd87b55b5": ["اترك تعليقاً", "زر الذهاب إلى الأعلى", "موضوعات ذات صلة"],
    "001_b7d5ac79bd800930": [
        "ar Arabicen Englishde German",
        "Connect with us",
        "Advertisement",
        "اكمل القراءة",
    ],
    "002_2eac1bb9ec8be8de": ["مناقشة"],
    "003_0414c9933e66a5e2": ["اترك تعليقاً"],
    "004_c60929020f56a472": ["إضغط هنا للإشتراك", "Please send me all your news", "Mohammed ihsan -"],
}


def articles(paths: list[Path]) -> list[Sourced]:
    return [item for item in read_articles(paths) if isinstance(item, Sourced)]


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_each_seed_keeps_its_exact_text_title_and_noise(seed: Path) -> None:
    (item,) = articles([seed])
    article = item.article
    decoded = (
        seed.read_bytes().decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    )
    assert article.text == decoded
    assert len(article.text) == len(decoded)
    assert article.id == seed.stem
    assert article.title == EXPECTED_TITLES[seed.stem]
    assert not article.is_noise(article.text.index(article.title))  # the headline under a menu is not dimmed
    noise_lines = {article.text[a:b] for a, b in article.noise}
    for line in EXPECTED_NOISE[seed.stem]:
        assert line in noise_lines
    # The body is never noise: the article's first body paragraph is not dimmed.
    assert not any("الكاظمي" in article.text[a:b] for a, b in article.noise if b - a > 200)


def test_repeated_headline_at_the_end_is_noise_but_the_title_is_not() -> None:
    (item,) = articles([p for p in SEEDS if p.stem.startswith("002")])
    article = item.article
    title_offsets = [i for i in range(len(article.text)) if article.text.startswith(article.title, i)]
    assert len(title_offsets) == 2
    assert not article.is_noise(title_offsets[0])
    assert article.is_noise(title_offsets[1])


def test_bom_and_crlf_are_normalised_and_nothing_else(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("\ufeffعنوان\r\nسطر  ثانٍ\rثالث\u200f \n".encode())
    (item,) = articles([path])
    assert item.article.text == "عنوان\nسطر  ثانٍ\nثالث\u200f \n"
    assert item.article.title == "عنوان"


def test_jsonl_and_folders_recursively_in_sorted_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("زاي\nنص", encoding="utf-8")
    (tmp_path / "a.jsonl").write_text(
        json.dumps(
            {"id": "x1", "text": "نص أول", "title": "أول", "url": "https://e.example/1", "meta": {"k": 1}},
            ensure_ascii=False,
        )
        + "\n\n"
        + json.dumps({"text": "نص ثان"}, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    found = articles([tmp_path])
    assert [i.article.title for i in found] == ["أول", "نص ثان", "زاي"]
    assert found[0].article.url == "https://e.example/1" and found[0].article.meta == {"k": 1}
    assert found[1].line == 3 and len(found[1].article.id) == 16


BAD_INPUTS = {
    "latin1.txt": ("Caf\xe9 au lait".encode("latin-1"), 1, "not UTF-8"),
    "empty.txt": (b"  \n", 0, "empty file"),
    "bad.jsonl": ('{"text": "نص"}\n{not json}\n'.encode(), 2, "not JSON"),
    "notext.jsonl": ('{"title": "بلا نص"}\n'.encode(), 1, "no 'text'"),
    "blanktext.jsonl": (b'{"text": "   "}\n', 1, "no 'text'"),
}


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_bad_input_is_one_line_naming_file_and_line_and_the_store_is_untouched(
    name: str, tmp_path: Path, sample_store: Store, store_path: Path
) -> None:
    data, line, message = BAD_INPUTS[name]
    path = tmp_path / name
    path.write_bytes(data)
    before = snapshot_of_store(store_path)
    report = sample_store.import_articles(read_articles([path]))
    bad = [p for p in report.problems]
    assert len(bad) == 1
    text = str(bad[0])
    assert "\n" not in text and text.startswith(str(path)) and message in text
    if line:
        assert f"{path}:{line}:" in text
    assert report.added == [] or name == "bad.jsonl"
    if name != "bad.jsonl":
        assert snapshot_of_store(store_path) == before
    assert len(Store(store_path).articles()) == 5 + len(report.added)


def test_id_clash_with_a_different_text_is_refused_and_the_rest_goes_on(
    tmp_path: Path, sample_store: Store, store_path: Path
) -> None:
    path = tmp_path / "clash.jsonl"
    path.write_text(
        json.dumps({"id": "000_bd41f7afd87b55b5", "text": "نص آخر"}, ensure_ascii=False)
        + "\n"
        + json.dumps({"id": "new", "text": "نص جديد"}, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    original = sample_store.article("000_bd41f7afd87b55b5")
    report = sample_store.import_articles(read_articles([path]))
    assert [str(p) for p in report.problems] == [
        f"{path}:1: id '000_bd41f7afd87b55b5' is already stored with a different text; not imported"
    ]
    assert report.added == ["new"]
    assert Store(store_path).article("000_bd41f7afd87b55b5") == original


def test_reimport_is_a_no_op(sample_store: Store, store_path: Path) -> None:
    before = snapshot_of_store(store_path)
    report = sample_store.import_articles(read_articles(list(SEEDS)))
    assert report.added == [] and len(report.unchanged) == 5 and report.problems == []
    assert snapshot_of_store(store_path) == before
    assert len(sample_store.articles()) == 5


def test_missing_path_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    (problem,) = list(read_articles([tmp_path / "nope.txt"]))
    assert isinstance(problem, Problem) and "no such file" in str(problem)
