"""A CSV export loaded in batches (ingest.csv_batch_lines) gives exactly the rows it
gives loaded whole: landing, staging, quarantine (rule, row, column, value, message)
and the counts, with the balance rows in = staged + unchanged + quarantined.

The demo's measurement export (fagsystem A: Windows-1252, quoted notes that span two
lines, a trailer line) is loaded once whole and once in batches of 97 lines, after
edits that put the hard cases on the batch boundaries: repeats of the key of a record
in an earlier batch (and twice in one later batch), a repeated header line, bad
values; then a corrected re-export (same name, other content) is loaded over it, so
records are matched to the staged ones batch by batch (unchanged, changed, new).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from datadialog.config_load import load_config
from datadialog.config_model import DatadialogConfig
from datadialog.db import connect
from datadialog.privacy import PseudonymKey
from demo import generate
from tests.support.paths import REPO
from transforms.ingest import ingest_files
from transforms.ingest.prepare import prepare_text

KEY = PseudonymKey(b"batch-test-key-0123456789abcdef0", "test")
SMALL_BATCH = 97


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("exports")
    generate(out, seed=5, courses=40, fmt="a", config_dir=REPO / "config")
    files = {p.name.split("_")[1]: p for p in out.glob("a_*.csv")}
    measurements = files["maalinger"]
    text = measurements.read_text(encoding="cp1252")
    lines = text.split("\n")
    header, body = lines[0], lines[1:]
    trailer = [ln for ln in body if ln.startswith("Antal")]
    records = [ln for ln in body if ln and not ln.startswith("Antal")]
    simple = [ln for ln in records if ln.count(";") == 8 and '"' not in ln]
    edited = list(records)
    # a repeated header line and a record with a bad date and a bad value, mid-file
    edited.insert(150, header)
    bad_date = simple[3].split(";")
    bad_date[3] = "31-13-2023"
    edited.insert(260, ";".join(bad_date))
    edited.insert(300, ";".join(simple[4].split(";")[:7] + ["x,5", ""]))
    # the key of a record in the first batch, again in later batches (twice in one)
    edited.insert(420, simple[0])
    edited.insert(421, simple[0])
    edited.insert(700, simple[1].replace(";M", ";M9"))  # same key, other values
    edited.append(simple[2])  # and in the last batch
    # data records: the repeated header line is none, a quoted note spans two lines
    n_data = sum(1 for row in csv.reader(edited, delimiter=";") if row) - 1
    trailer_line = f"Antal rækker: {n_data}" if trailer else None
    body_text = "\n".join(edited + ([trailer_line] if trailer_line else []))
    measurements.write_text(header + "\n" + body_text + "\n", encoding="cp1252")
    # a corrected re-export: one value changed, one record gone, one new
    second = out / "second"
    second.mkdir()
    changed = list(edited)
    changed[500] = ";".join(changed[500].split(";")[:7] + ["3", "rettet"])
    del changed[800]
    changed.append(";".join(["S99999999"] + simple[5].split(";")[1:]))
    (second / measurements.name).write_text(
        header + "\n" + "\n".join(changed) + "\n", encoding="cp1252"
    )
    return {
        "citizens": files["borgere"],
        "courses": files["forloeb"],
        "measurements": measurements,
        "corrected": second / measurements.name,
    }


def _config(batch_lines: int | None) -> DatadialogConfig:
    config = load_config(REPO / "config")
    if batch_lines is None:
        return config
    return config.model_copy(
        update={"ingest": config.ingest.model_copy(update={"csv_batch_lines": batch_lines})}
    )


def _load(tmp_path: Path, exports: dict[str, Path], batch_lines: int | None) -> dict:
    con = connect(tmp_path / f"batch_{batch_lines}.duckdb")
    config = _config(batch_lines)
    first = ingest_files(
        con, [exports["citizens"], exports["courses"], exports["measurements"]], config, key=KEY
    )
    second = ingest_files(con, [exports["corrected"]], config, key=KEY)
    reports = [r for r in first + second if r.file_name.startswith("a_maalinger")]
    measurement_columns = (
        "form_id, course_id, instrument_id, measured_on, staff_id, rater_role, item_no, "
        "value, note, point_id, row_no"
    )
    result = {
        "reports": [
            (r.status, r.rows_in, r.rows_staged, r.rows_unchanged, r.rows_quarantined,
             r.cpr_masked, r.rows_removed, r.balanced, r.warnings)
            for r in reports
        ],
        "staging": con.execute(
            f"select {measurement_columns} from staging.measurements "
            f"order by {measurement_columns}"
        ).fetchall(),
        "quarantine": con.execute(
            "select file_name, row_no, item_no, column_name, value, rule, message "
            "from staging.quarantine where canonical_table = 'measurements' "
            "order by all"
        ).fetchall(),
        "landing": con.execute(
            "select fields, row_no from landing.measurements order by row_no, fields"
        ).fetchall(),
        "load_tables": con.execute(
            "select rows_in, rows_staged, rows_unchanged, rows_quarantined, cpr_masked "
            "from staging.load_tables where canonical_table = 'measurements' order by all"
        ).fetchall(),
    }
    con.close()
    return result


def test_the_file_spans_several_batches(exports, tmp_path) -> None:
    config = _config(SMALL_BATCH)
    source = next(s for s in config.sources if s.id.startswith("fagsystem_a"))
    prepared = prepare_text(exports["measurements"], source, tmp_path, SMALL_BATCH)
    lines = exports["measurements"].read_text(encoding="cp1252").count("\n")
    assert len(prepared.parts) >= lines // SMALL_BATCH >= 8
    assert prepared.trailer
    # every part starts with the header line; together they hold every line once
    header = prepared.parts[0].path.read_text(encoding="utf-8").split("\n")[0]
    texts = [p.path.read_text(encoding="utf-8") for p in prepared.parts]
    assert all(t.split("\n")[0] == header for t in texts)
    body = "".join(t.split("\n", 1)[1] for t in texts)
    original = exports["measurements"].read_text(encoding="cp1252").split("\n", 1)[1]
    assert body == original[: original.rindex("Antal")]
    # a part never ends inside a quoted note (an even count of quotes in each)
    assert all(t.count('"') % 2 == 0 for t in texts)
    # a part's first line is numbered as in the export
    second = prepared.parts[1]
    first_record = second.path.read_text(encoding="utf-8").split("\n")[1]
    export_lines = exports["measurements"].read_text(encoding="cp1252").split("\n")
    assert export_lines[second.first_line - 1] == first_record


def test_batches_give_the_rows_of_a_whole_load(exports, tmp_path) -> None:
    whole = _load(tmp_path, exports, None)
    batched = _load(tmp_path, exports, SMALL_BATCH)
    assert batched["reports"] == whole["reports"]
    assert batched["load_tables"] == whole["load_tables"]
    assert batched["quarantine"] == whole["quarantine"]
    assert batched["staging"] == whole["staging"]
    assert batched["landing"] == whole["landing"]
    # the edits are there: repeats of a first-batch key quarantined in later batches,
    # the bad values quarantined, the repeated header line left out, the balance kept
    rules = [q[5] for q in whole["quarantine"]]
    assert rules.count("duplicate_key") >= 4
    assert "invalid_date" in rules and "invalid_number" in rules
    first, second = whole["reports"]
    status, rows_in, staged, unchanged, quarantined, *_ , balanced, _ = first
    assert status == "loaded" and balanced and rows_in == staged + unchanged + quarantined
    status, rows_in, staged, unchanged, quarantined, *_ , balanced, _ = second
    assert status == "loaded" and balanced and rows_in == staged + unchanged + quarantined
    assert unchanged > 0 and staged >= 2  # matched batch by batch: changed and new records


def test_a_bad_line_in_a_later_batch_is_named_as_in_the_export(exports, tmp_path) -> None:
    path = tmp_path / exports["measurements"].name
    lines = exports["measurements"].read_text(encoding="cp1252").split("\n")
    lines[600] = lines[600] + ";extra"  # line 601 of the export: one field too many
    path.write_text("\n".join(lines), encoding="cp1252")
    errors = []
    for batch_lines in (None, SMALL_BATCH):
        con = connect(tmp_path / f"bad_{batch_lines}.duckdb")
        config = _config(batch_lines)
        reports = ingest_files(
            con, [exports["citizens"], exports["courses"], path], config, key=KEY
        )
        report = reports[-1]
        assert report.status == "failed"
        errors.append(report.error)
        # nothing of the file stays: the batches written before the bad one rolled back
        assert con.execute("select count(*) from staging.measurements").fetchone() == (0,)
        assert con.execute("select count(*) from landing.measurements").fetchone() == (0,)
        con.close()
    # the bad line is named as in the export, whole or in a later batch: DuckDB numbers
    # a file's lines by record (597 here, the line breaks inside the quoted notes before
    # it not counted), and the load counts them back (prepare.physical_line), then
    # moves a part's line numbers to the export's.
    assert errors[1].endswith("line 601: expected 9 fields, found 10")
    assert errors[0].endswith("line 601: expected 9 fields, found 10")


def test_progress_names_what_the_load_is_doing(exports, tmp_path) -> None:
    """The progress callback hears each phase of a file's load, in order, so a large
    export's tens of seconds show as reading, typing, landing, staging; each later
    batch is named with its number."""
    heard: dict[str, list[tuple[str, int, int]]] = {}

    def progress(path: Path, step: str, done: int, total: int) -> None:
        heard.setdefault(path.name, []).append((step, done, total))

    for batch_lines in (None, SMALL_BATCH):
        heard.clear()
        con = connect(tmp_path / f"progress_{batch_lines}.duckdb")
        ingest_files(con, [exports["citizens"], exports["courses"], exports["measurements"]],
                     _config(batch_lines), key=KEY, progress=progress)
        con.close()
        steps = heard[exports["measurements"].name]
        names = [name for name, _, _ in steps]
        if batch_lines is None:
            assert names == ["reading", "typing", "landing", "staging", "measurements",
                             "loaded"]
        else:
            n_parts = sum(1 for name in names if name == "landing")
            assert n_parts >= 8
            assert names[:4] == ["reading", "typing", "landing", "staging"]
            assert names[4:8] == [f"reading (batch 2 of {n_parts})", "typing", "landing",
                                  "staging"]
            assert names[-2:] == ["measurements", "loaded"]
        # a phase keeps the file's counts: 0 of 2 until the table is done, then 1, 2
        assert [(done, total) for _, done, total in steps] == (
            [(0, 2)] * (len(steps) - 2) + [(1, 2), (2, 2)]
        )
