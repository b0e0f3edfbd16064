"""Every reader fed records whose values are of the wrong JSON type (a list where text belongs, a number where a
list belongs, nesting past reason): each problem is one line naming the file, the import ends with exit 0 or 1,
never a traceback, and what was stored before is unchanged (and still passes `hamish check`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations.store.check import check_store
from annotations.store.store import Store
from tests.test_bad_inputs import assert_one_line, run

GOLDEN = Path(__file__).parent / "golden"
ARMPRO = [
    {
        "paragraph_id": "p1",
        "paragraph": "قال الكاظمي إن الاحتلال الفارسي يهدد العراق",
        "page_title": "خبر",
        "page_url": "https://example.org/1",
        "page_id": 3,
        "labels": [{"technique": "Loaded_Language", "text": "الاحتلال الفارسي", "start": 15, "end": 31}],
    }
]
# (file, format, how the file holds its records: "jsonl" lines or one "json" list)
READERS = {
    "native": (GOLDEN / "native.jsonl", "jsonl"),
    "native-links": (GOLDEN / "relations" / "native.jsonl", "jsonl"),
    "doccano": (GOLDEN / "doccano.jsonl", "jsonl"),
    "doccano-links": (GOLDEN / "relations" / "doccano.jsonl", "jsonl"),
    "doccano-classification": (GOLDEN / "doccano-classification.jsonl", "jsonl"),
    "doccano-stances": (GOLDEN / "doccano-stances.jsonl", "jsonl"),
    "labelstudio": (GOLDEN / "labelstudio.json", "json"),
    "labelstudio-links": (GOLDEN / "relations" / "labelstudio.json", "json"),
    "labelstudio-min": (GOLDEN / "labelstudio-min.json", "json"),
    "prodigy": (GOLDEN / "prodigy.jsonl", "jsonl"),
    "armpro": (None, "jsonl"),
}
FORMAT = {
    "native-links": "native",
    "doccano-links": "doccano",
    "doccano-classification": "doccano",
    "doccano-stances": "doccano",
    "labelstudio-links": "labelstudio",
    "labelstudio-min": "labelstudio",
}


def records(name: str) -> list[Any]:
    path, shape = READERS[name]
    if path is None:
        return json.loads(json.dumps(ARMPRO))
    text = path.read_text(encoding="utf-8")
    if shape == "json":
        return json.loads(text)
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def places(value: Any, path: tuple = ()) -> list[tuple]:
    """Every place in a JSON value (a key of an object, an index of a list), as a path from the top."""
    found = [path] if path else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += places(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += places(item, (*path, index))
    return found


def replaced(value: Any, path: tuple, new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {**value, head: replaced(value[head], rest, new)}
    return [replaced(item, rest, new) if index == head else item for index, item in enumerate(value)]


def deep(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = [value]
    return value


OTHER_TYPES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([1e30, -1.0, 0.5]),
    st.text(max_size=5),
    st.sampled_from(["", "\x00\x00", " "]),
    st.lists(st.one_of(st.integers(), st.text(max_size=3), st.none()), max_size=3),
    st.dictionaries(st.text(max_size=3), st.one_of(st.integers(), st.text(max_size=3)), max_size=2),
    st.just(deep(200)),
)


def write(path: Path, shape: str, rows: list[Any]) -> None:
    if shape == "json":
        path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    else:
        path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")


def stored_state(store_path: Path) -> dict[str, Any]:
    store = Store(store_path, create=False, writable=False)
    return {
        a.id: (
            a.text,
            a.title,
            a.noise,
            [json.dumps(s.to_record(), sort_keys=True) for s in store.spans(a.id)],
        )
        for a in store.articles()
    }


def assert_kept(before: dict[str, Any], after: dict[str, Any]) -> None:
    """Every article stored before is there as it was, with every span it had (a good record may add more)."""
    for article_id, (text, title, noise, spans) in before.items():
        assert article_id in after
        assert after[article_id][:3] == (text, title, noise)
        assert set(spans) <= set(after[article_id][3])


EACH_READER = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
"""60 generated files per reader and run (the store fixture is made once per test, not per example)."""


@pytest.mark.parametrize("name", READERS)
@EACH_READER
@given(data=st.data())
def test_a_value_of_another_type_anywhere_is_one_line_and_changes_nothing_stored(
    name: str, data, sample_store, store_path: Path, tmp_path: Path, capsys
) -> None:
    rows = records(name)
    spots = [spot for row_index, row in enumerate(rows) for spot in places(row, (row_index,))]
    spot = data.draw(st.sampled_from(spots), label="where")
    new = data.draw(OTHER_TYPES, label="value")
    rows = replaced(rows, spot, new)
    path = tmp_path / f"{name}.{READERS[name][1]}"
    write(path, READERS[name][1], rows)
    sample_store.close()
    before = stored_state(store_path)
    code, out, err = run(["import", "--format", FORMAT.get(name, name), str(path)], capsys)
    assert code in (0, 1) and not out
    assert "Traceback" not in err
    lines = err.splitlines()
    assert lines and lines[-1].startswith("imported "), err
    for line in lines[:-1]:  # one line per problem, each naming the file
        assert line.startswith(f"hamish: {path}") or line.startswith(f"hamish: warning: {path}"), err
    assert_kept(before, stored_state(store_path))
    assert check_store(Store(store_path, create=False, writable=False)).ok


# -- the cases the property test stands for, each named ------------------------------------------------------
CASES = {
    "stance value a list": (
        '{"id":"s1","text":"نص هنا","stances":[{"target":"x","value":["a"]}]}',
        "native",
        1,
        "stance 0: its value is a list, not text",
    ),
    "stance value an object": (
        '{"id":"s1","text":"نص هنا","stances":[{"target":"x","value":{"a":1}}]}',
        "native",
        1,
        "stance 0: its value is an object, not text",
    ),
    "native title a list": (
        '{"id":"t1","text":"نص","title":["a"]}',
        "native",
        1,
        "'title' is a list, not text",
    ),
    "id a list": ('{"id":["a"],"text":"نص"}', "native", 1, "'id' is a list, not text or a whole number"),
    "id an object": (
        '{"id":{"a":1},"text":"نص"}',
        "articles",
        1,
        "'id' is an object, not text or a whole number",
    ),
    "armpro paragraph_id a list": (
        '{"paragraph_id":["x"],"paragraph":"نص ما","labels":[]}',
        "armpro",
        1,
        "'paragraph_id' is a list, not text or a whole number",
    ),
    "text of NULs": ('{"text":"\\u0000\\u0000"}', "articles", 1, "holds no visible character"),
    "native text of NULs": (
        '{"id":"n","text":"\\u0000\\u0000\\u200f"}',
        "native",
        1,
        "holds no visible character",
    ),
    "jsonl nested 100,000 deep": (
        '{"text":"x","meta":' + "[" * 100_000 + "]" * 100_000 + "}",
        "native",
        1,
        "nested deeper than 64 levels",
    ),
    "meta nested 100 deep": (
        '{"text":"نص","meta":{"a":' + "[" * 100 + "]" * 100 + "}}",
        "articles",
        1,
        "nested deeper than 64 levels",
    ),
    "ls labels a number": (
        '[{"data":{"text":"قال الكاظمي"},"annotations":[{"result":[{"type":"labels",'
        '"from_name":"entity","value":{"start":4,"end":11,"labels":5}}]}]}]',
        "labelstudio",
        1,
        "result 0: 'labels' is a number (5), not a list of texts",
    ),
    "ls relation labels a number": (
        '[{"data":{"text":"قال الكاظمي"},"annotations":[{"result":[{"type":'
        '"relation","from_id":"a","to_id":"b","labels":7}]}]}]',
        "labelstudio",
        1,
        "result 0: 'labels' is a number (7), not a list of texts",
    ),
    "ls choices a number": (
        '[{"data":{"text":"قال الكاظمي"},"annotations":[{"result":[{"type":"choices",'
        '"from_name":"stance","value":{"choices":3}}]}]}]',
        "labelstudio",
        1,
        "result 0: 'choices' is a number (3), not a list of texts",
    ),
    "ls-min labels a number": (
        '[{"text":"قال الكاظمي","entity":[{"start":4,"end":11,"labels":5}]}]',
        "labelstudio",
        1,
        "'entity' region 0: 'labels' is a number (5)",
    ),
    "ls-min choices a number": (
        '[{"text":"قال الكاظمي","stance":5}]',
        "labelstudio",
        1,
        "'stance': 'choices' is a number (5), not a list of texts",
    ),
    "ls json nested 100,000 deep": ("[" * 100_000 + "]" * 100_000, "labelstudio", 1, "nested deeper than 64"),
    "noise out of range": (
        '{"id":"nz1","text":"مرحبا بالعالم هنا نص","noise":[[0,1e30],[15,3],[-5,2]]}',
        "native",
        1,
        "noise range 0: its end is a number (1e+30), not a whole number",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_each_wrong_type_is_one_line_naming_the_field(
    case: str, tmp_path: Path, sample_store, store_path: Path, capsys
) -> None:
    content, fmt, line, message = CASES[case]
    path = tmp_path / ("case.json" if content.startswith("[") else "case.jsonl")
    path.write_text(content + "\n", encoding="utf-8")
    sample_store.close()
    before = stored_state(store_path)
    code, _, err = run(["import", "--format", fmt, str(path)], capsys)
    assert code == 1
    assert_one_line(err, path, message, line)
    assert_kept(before, stored_state(store_path))


def test_bad_noise_ranges_never_cut_the_exported_text(tmp_path: Path, capsys) -> None:
    path = tmp_path / "nz.jsonl"
    path.write_text(CASES["noise out of range"][0] + "\n", encoding="utf-8")
    run(["import", "--format", "native", str(path)], capsys)
    code, out, _ = run(["export", "--skip-noise"], capsys)
    assert code == 0 and json.loads(out.splitlines()[1])["text"] == "مرحبا بالعالم هنا نص"


def test_check_reports_stored_noise_that_does_not_fit(sample_store: Store, store_path: Path, capsys) -> None:
    sample_store.close()
    data = json.loads(store_path.read_text(encoding="utf-8"))
    doc = next(iter(data["articles"].values()))
    doc["noise"] = [[0, 10**7], [5, 2], [1, 2.5]]
    store_path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, out, _ = run(["check"], capsys)
    assert code == 1
    assert f"article {doc['id']}: noise range 0 (0:{10**7}) is outside the text" in out
    assert f"article {doc['id']}: noise range 1 (5:2) is outside the text" in out
    assert f"article {doc['id']}: noise range 2 is [1, 2.5], not [start, end] in whole numbers" in out


# -- the text formats: any line where a CoNLL row or a brat annotation belongs --------------------------------
ANN_LINE = st.one_of(
    st.text(alphabet=st.sampled_from("TRNA#*\t 0123456789:;-PERGPEقال\r\x00\u2028"), max_size=30),
    st.builds(
        lambda a, b, label: f"T1\t{label} {a} {b}\tقال",
        st.integers(-5, 40),
        st.integers(-5, 40),
        st.sampled_from(["PER", "GPE", "Nope", ""]),
    ),
    st.sampled_from(
        [
            "R1\tsame_as Arg1:T1 Arg2:T9",
            "#1\tAnnotatorNotes T1\tملاحظة",
            "A1\tStance T1 favor",
            "T2\tPER 0 3;5 9\tقال الك",
            "N1\tReference T1 Wikidata:Q1\tx",
        ]
    ),
)
CONLL_LINE = st.one_of(
    st.text(alphabet=st.sampled_from("BIO-PERقال \t\r\x00-DOCSTART"), max_size=20),
    st.sampled_from(["قال O", "الكاظمي B-PER", "x I-GPE", "-DOCSTART- -X- O O", ""]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    lines=st.lists(st.one_of(ANN_LINE, CONLL_LINE), min_size=1, max_size=8),
    kind=st.sampled_from(["brat", "conll"]),
)
def test_any_line_in_a_text_format_is_one_line_and_changes_nothing_stored(
    lines: list[str], kind: str, sample_store, store_path: Path, tmp_path: Path, capsys
) -> None:
    folder = tmp_path / kind
    folder.mkdir(exist_ok=True)
    if kind == "brat":
        (folder / "a.txt").write_text("قال الكاظمي في بغداد اليوم", encoding="utf-8")
        (folder / "a.ann").write_text("\n".join(lines) + "\n", encoding="utf-8", newline="")
        target = folder
    else:
        target = folder / "a.conll"
        target.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="")
    sample_store.close()
    before = stored_state(store_path)
    code, out, err = run(["import", "--format", kind, str(target)], capsys)
    assert code in (0, 1) and not out and "Traceback" not in err
    rows = err.splitlines()
    assert rows and rows[-1].startswith("imported "), err
    assert all(row.startswith(("hamish: ", "hamish: warning: ")) for row in rows[:-1]), err
    assert_kept(before, stored_state(store_path))
    assert check_store(Store(store_path, create=False, writable=False)).ok


@EACH_READER
@given(data=st.data())
def test_a_brat_sidecar_with_a_value_of_another_type_is_one_line_and_changes_nothing_stored(
    data, sample_store, store_path: Path, tmp_path: Path, capsys
) -> None:
    import shutil

    folder = tmp_path / "brat"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(GOLDEN / "relations" / "brat", folder)
    sidecar = next(folder.glob("*.hamish-meta.json"))
    kept = json.loads(sidecar.read_text(encoding="utf-8"))
    spot = data.draw(st.sampled_from(places(kept)), label="where")
    sidecar.write_text(
        json.dumps(replaced(kept, spot, data.draw(OTHER_TYPES, label="value"))), encoding="utf-8"
    )
    sample_store.close()
    before = stored_state(store_path)
    code, out, err = run(["import", str(folder)], capsys)
    assert code in (0, 1) and not out and "Traceback" not in err
    lines = err.splitlines()
    assert lines and lines[-1].startswith("imported "), err
    for line in lines[:-1]:  # one line per problem, each naming its file
        assert line.startswith((f"hamish: {folder}", f"hamish: warning: {folder}")), err
    assert_kept(before, stored_state(store_path))
    assert check_store(Store(store_path, create=False, writable=False)).ok
