"""``kompis match`` CLI: happy path and every kind of bad input."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from kompis.matching.engine.cli import main
from kompis.matching.engine.csvio import parse_participants
from kompis.matching.engine.synth import generate, write_csv

HEADER = (
    "id,role,birth_year,gender,municipality_code,postal_code,languages,interests,has_children,"
    "wants_family_match,meeting_mode,same_gender_only,capacity,signed_up"
)
GOOD_N = (
    "n1,newcomer,1990,woman,0380,75220,ar;en,football;cooking;music,false,false,physical,false,1,2025-06-01"
)
GOOD_E = (
    "e1,established,1985,woman,0380,75224,sv;en,football;cooking;music,false,false,either,false,1,2025-12-01"
)


def write(tmp_path: Path, lines: list[str], name: str = "participants.csv") -> Path:
    p = tmp_path / name
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def run(tmp_path: Path, inp: Path, *extra: str) -> tuple[int, Path]:
    out = tmp_path / "matches.csv"
    code = main(["--input", str(inp), "--output", str(out), "--today", "2026-01-01", *extra])
    return code, out


def test_happy_path_writes_sorted_matches(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inp = write(
        tmp_path, [HEADER, GOOD_N, GOOD_E, GOOD_N.replace("n1,", "n0,").replace("physical", "digital")]
    )
    code, out = run(tmp_path, inp)
    assert code == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["newcomer_id"] for r in rows] == ["n1"] or [r["newcomer_id"] for r in rows] == ["n0"]
    assert len(rows) == 1
    row = rows[0]
    assert set(row) == {"newcomer_id", "established_id", "score", "reasons"}
    assert row["established_id"] == "e1"
    assert row["score"].count(".") == 1 and len(row["score"].split(".")[1]) == 2
    err = capsys.readouterr().err
    assert "pairs: 1" in err
    assert "unmatched: 1 newcomers, 0 established" in err
    assert "unmatched although compatible partners exist (all taken): 1" in err
    assert "mean score" in err
    # the physical-only Uppsala newcomer wins: same municipality and close postal codes add points
    assert row["newcomer_id"] == "n1"
    assert "both in Uppsala" in row["reasons"]
    assert "3 shared interests: cooking, football, music" in row["reasons"]
    assert "postal codes close" in row["reasons"]


def test_synthetic_roundtrip_with_exclusions_and_weights(tmp_path: Path) -> None:
    people = generate(120, 100, seed=11)
    inp = tmp_path / "p.csv"
    write_csv(inp, people)
    parsed = parse_participants(inp, today=__import__("datetime").date(2026, 1, 1))
    assert parsed.ok and parsed.participants == people
    excl = write(tmp_path, ["newcomer_id,established_id", "n000001,e000001"], "excl.csv")
    weights = tmp_path / "w.toml"
    weights.write_text("[interests]\nweight = 40\nmust = true\n", encoding="utf-8")
    code, out = run(tmp_path, inp, "--exclude", str(excl), "--weights", str(weights), "--solver", "exact")
    assert code == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows
    assert ("n000001", "e000001") not in {(r["newcomer_id"], r["established_id"]) for r in rows}
    assert all("shared interest" in r["reasons"] for r in rows)
    keys = [(r["newcomer_id"], r["established_id"]) for r in rows]
    assert keys == sorted(keys)


BAD_CASES = [
    ("role", "n1,visitor,", "'visitor' is not one of newcomer, established"),
    ("signed_up", ",2025-06-01", "'yesterday' is not a date (YYYY-MM-DD)"),
    ("birth_year", ",1990,", "2015 makes the participant under 18"),
    ("municipality_code", ",0380,", "'9999' is not a Swedish municipality code"),
    ("has_children", ",false,false,physical", "'maybe' is not a boolean (true/false)"),
    ("gender", ",woman,", "'female' is not one of woman, man, nonbinary, unspecified"),
    ("meeting_mode", "physical", "'phone' is not one of physical, digital, either"),
    ("capacity", ",false,1,", "'lots' is not a whole number"),
    ("languages", ",ar;en,", "at least one language is required"),
]
REPLACEMENTS = {
    "role": ("n1,newcomer,", "n1,visitor,"),
    "signed_up": (",2025-06-01", ",yesterday"),
    "birth_year": (",1990,", ",2015,"),
    "municipality_code": (",0380,", ",9999,"),
    "has_children": (",false,false,physical", ",maybe,false,physical"),
    "gender": (",woman,", ",female,"),
    "meeting_mode": ("physical", "phone"),
    "capacity": (",false,1,", ",false,lots,"),
    "languages": (",ar;en,", ",,"),
}


@pytest.mark.parametrize(("column", "_unused", "message"), BAD_CASES)
def test_bad_value_names_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], column: str, _unused: str, message: str
) -> None:
    old, new = REPLACEMENTS[column]
    bad = GOOD_N.replace(old, new, 1)
    assert bad != GOOD_N
    inp = write(tmp_path, [HEADER, GOOD_E, bad])
    code, out = run(tmp_path, inp)
    assert code == 2
    assert not out.exists()
    assert not list(tmp_path.glob(".matches.csv*"))
    err = capsys.readouterr().err
    assert f"participants.csv:3: column '{column}': {message}" in err


def test_duplicate_id_and_all_errors_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = [HEADER, GOOD_N, GOOD_E, GOOD_N, GOOD_E.replace("2025-12-01", "yesterday").replace("e1,", "e2,")]
    code, out = run(tmp_path, write(tmp_path, lines))
    assert code == 2 and not out.exists()
    err = capsys.readouterr().err
    assert "participants.csv:4: column 'id': duplicate id 'n1' (first on line 2)" in err
    assert "participants.csv:5: column 'signed_up': 'yesterday' is not a date (YYYY-MM-DD)" in err


def test_error_output_is_capped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = [HEADER] + [GOOD_N.replace("n1,", f"n{i},").replace(",0380,", ",9999,") for i in range(200)]
    code, _ = run(tmp_path, write(tmp_path, lines))
    assert code == 2
    err_lines = capsys.readouterr().err.strip().splitlines()
    assert 50 <= len(err_lines) <= 52


def test_missing_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    header = HEADER.replace(",signed_up", "")
    code, out = run(tmp_path, write(tmp_path, [header, GOOD_N.rsplit(",", 1)[0]]))
    assert code == 2 and not out.exists()
    assert "participants.csv:1: column 'signed_up': required column is missing" in capsys.readouterr().err


def test_optional_columns_and_unknown_columns(tmp_path: Path) -> None:
    header = HEADER.replace(",capacity", "") + ",availability,notes"
    n = GOOD_N.replace(",false,1,2025", ",false,2025") + ",weekend;weekday_evening,hello"
    e = GOOD_E.replace(",false,1,2025", ",false,2025") + ",weekend,x"
    res = parse_participants(
        io.StringIO("\n".join([header, n, e]) + "\n"), today=__import__("datetime").date(2026, 1, 1)
    )
    assert res.ok, res.errors
    assert res.participants[0].capacity == 1
    assert res.participants[0].availability == ("weekend", "weekday_evening")
    bad = parse_participants(io.StringIO(header + "\n" + n.replace("weekend;", "sundays;") + "\n"))
    assert bad.errors and bad.errors[0].line == 2 and bad.errors[0].column == "availability"


def test_bad_exclude_and_weights_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inp = write(tmp_path, [HEADER, GOOD_N, GOOD_E])
    excl = write(tmp_path, ["newcomer,established", "n1,e1"], "excl.csv")
    code, out = run(tmp_path, inp, "--exclude", str(excl))
    assert code == 2 and not out.exists()
    assert "excl.csv:1: column 'newcomer_id': required column is missing" in capsys.readouterr().err
    w = tmp_path / "w.toml"
    w.write_text("[waiting]\nmust = true\n", encoding="utf-8")
    code, out = run(tmp_path, inp, "--weights", str(w))
    assert code == 2 and not out.exists()
    assert "waiting" in capsys.readouterr().err
    w.write_text("[interests\n", encoding="utf-8")
    code, out = run(tmp_path, inp, "--weights", str(w))
    assert code == 2 and not out.exists()


def test_missing_input_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(tmp_path, tmp_path / "nope.csv")
    assert code == 2 and not out.exists()
    assert "nope.csv" in capsys.readouterr().err


def test_existing_output_untouched_on_error(tmp_path: Path) -> None:
    out = tmp_path / "matches.csv"
    out.write_text("previous\n", encoding="utf-8")
    inp = write(tmp_path, [HEADER, GOOD_N.replace(",0380,", ",12,")])
    assert main(["--input", str(inp), "--output", str(out)]) == 2
    assert out.read_text(encoding="utf-8") == "previous\n"


def test_line_numbers_survive_multiline_cells(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    multi = GOOD_N.replace("football;cooking;music", '"football;\ncooking"')
    bad = GOOD_E.replace("2025-12-01", "soon")
    code, out = run(tmp_path, write(tmp_path, [HEADER, multi, bad]))
    assert code == 2 and not out.exists()
    assert (
        "participants.csv:4: column 'signed_up': 'soon' is not a date (YYYY-MM-DD)" in capsys.readouterr().err
    )


def test_summary_names_the_blocking_hard_rule(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lonely = GOOD_N.replace("n1,", "n9,").replace("ar;en", "ti")
    code, _ = run(tmp_path, write(tmp_path, [HEADER, GOOD_N, GOOD_E, lonely]))
    assert code == 0
    assert "hard rule blocking most unmatched: no shared language (1 people)" in capsys.readouterr().err
