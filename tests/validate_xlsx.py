#!/usr/bin/python3
"""Validates `catengine evaluate --format xlsx` with an independent reader (Debian's
python3-openpyxl), against the same run written as CSV and JSON.

    validate_xlsx.py CATENGINE

Run from the repository root. Checks, for the Peterborough example: the sheets, the frozen
header row and the filters; every cell against the CSV output of the same run, by the type of
its column (numbers numeric, dates datetimes with a date format, yes/no and labels text, missing
empty); the level column filled by level (green for the best, red for the worst); the
Provenance sheet against the JSON provenance. For tests/xlsx (a small fixture): names that look
like formulas stay strings, percentages are fractions with a percent format, the Warnings sheet.
For the report-cards example (named sources, `--columns`): one provenance line per source. The
schedule's workbook against its CSV. Then: two runs give identical bytes, `--out /dev/null`
works, and a run that fails leaves the old file and no temporary file."""

import csv
import datetime
import io
import json
import os
import subprocess
import sys
import tempfile
from decimal import Decimal

import openpyxl

PETERBOROUGH = ["policies/peterborough", "--data", "examples/peterborough/schools.csv",
                "--as-of", "2018-09-17"]
FIXTURE = ["tests/xlsx", "--data", "tests/xlsx/schools.csv", "--as-of", "2018-09-17"]
REPORT_CARDS = ["policies/report-cards", "--data", "gias=examples/report-cards/gias.csv",
                "--data", "ofsted=examples/report-cards/ofsted.csv",
                "--data", "ks2=examples/report-cards/ks2.csv",
                "--data", "la=examples/report-cards/la.csv", "--as-of", "2026-01-05"]

# Peterborough's output columns by type (policies/peterborough, `output`); the rest are text or
# enumeration labels (`scc` is the enumeration Concern: "yes", possible, "no").
NUMBERS = {"urn", "priority"}
DATES = {"warning_due", "letter_due", "next_sia_visit", "next_peer_review", "next_clinic",
         "next_profile"}
YES_NO = {"clinic", "warning_notice", "msp", "sia_overdue", "peer_overdue"}

failures = []


def check(ok, message):
    if not ok:
        failures.append(message)


def run(catengine, args, expect=0):
    out = subprocess.run([catengine, "evaluate", *args], capture_output=True, check=False)
    if out.returncode != expect:
        sys.exit(f"catengine evaluate {' '.join(args)} exited {out.returncode}: "
                 f"{out.stderr.decode()}")
    return out


def workbook(catengine, args, path):
    run(catengine, [*args, "--format", "xlsx", "--out", path])
    return openpyxl.load_workbook(path)


def csv_rows(catengine, args):
    return list(csv.reader(io.StringIO(run(catengine, [*args, "--format", "csv"]).stdout.decode())))


def fill(cell):
    return cell.fill.fgColor.rgb if cell.fill.fill_type == "solid" else None


def no_formulas(wb, name):
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                check(c.data_type != "f", f"{name} {ws.title}!{c.coordinate} is a formula")


def check_peterborough(catengine, folder):
    path = os.path.join(folder, "peterborough.xlsx")
    wb = workbook(catengine, PETERBOROUGH, path)
    check(wb.sheetnames == ["Results", "Provenance"], f"sheets are {wb.sheetnames}")
    ws = wb["Results"]
    rows = csv_rows(catengine, PETERBOROUGH)
    header, body = rows[0], rows[1:]
    check(ws.freeze_panes == "A2", f"frozen pane at {ws.freeze_panes}, expected A2")
    last = openpyxl.utils.get_column_letter(len(header))
    check(ws.auto_filter.ref == f"A1:{last}{len(body) + 1}", f"filters over {ws.auto_filter.ref}")
    got = list(ws.iter_rows())
    check(len(got) == len(rows), f"{len(got)} rows in the sheet, {len(rows)} in the CSV")
    check([c.value for c in got[0]] == header, "the header row differs from the CSV's")
    check(all(c.font.b for c in got[0]), "the header row is not bold")
    for r, (want_row, cells) in enumerate(zip(body, got[1:]), 2):
        for name, want, c in zip(header, want_row, cells):
            where = f"Results!{c.coordinate} ({name})"
            v = c.value
            if want == "":
                check(v is None, f"{where} is {v!r}, expected empty")
            elif name in NUMBERS:
                check(isinstance(v, (int, float)) and not isinstance(v, bool) and c.data_type == "n",
                      f"{where} is {v!r} ({c.data_type}), expected a number")
                check(Decimal(repr(v)) == Decimal(want), f"{where} is {v!r}, the CSV says {want}")
            elif name in DATES:
                check(isinstance(v, datetime.datetime) and c.is_date,
                      f"{where} is {v!r}, expected a date")
                check(v.date().isoformat() == want, f"{where} is {v!r}, the CSV says {want}")
                check(c.number_format == "yyyy-mm-dd", f"{where} has format {c.number_format}")
            elif name in YES_NO:
                check(v in ("yes", "no") and c.data_type == "s", f"{where} is {v!r}, expected yes/no")
                check(v == want, f"{where} is {v!r}, the CSV says {want}")
            else:
                # Text and labels; the CSV guards formula-looking text with an apostrophe.
                text = want[1:] if want[:2] in ("'=", "'+", "'-", "'@") else want
                check(isinstance(v, str) and c.data_type == "s", f"{where} is {v!r}, expected text")
                check(v == text, f"{where} is {v!r}, the CSV says {want}")
    # The category (a scale from best to worst) is filled by level, the same fill for the same
    # level, green for "1", red for "4"; no other column is filled.
    col = header.index("category")
    fills = {}
    for cells in got[1:]:
        level, colour = cells[col].value, fill(cells[col])
        check(fills.setdefault(level, colour) == colour, f"two fills for category {level}")
        for i, c in enumerate(cells):
            check(i == col or fill(c) is None, f"Results!{c.coordinate} is filled")
    check(fills.get("1") == "FFC6EFCE", f"category 1 is filled {fills.get('1')}")
    check(fills.get("4") == "FFFFC7CE", f"category 4 is filled {fills.get('4')}")
    check(len(set(fills.values())) == len(fills), f"levels share fills: {fills}")
    check(ws.column_dimensions["B"].width > 20, "the name column is narrow")
    no_formulas(wb, "Peterborough")

    # Provenance: what the JSON writer records.
    want = json.loads(run(catengine, [*PETERBOROUGH, "--format", "json"]).stdout)["provenance"]
    prov = {row[0]: row[1:] for row in wb["Provenance"].iter_rows(min_row=2, values_only=True)}
    check(prov["policy"] == (want["policy"]["path"], want["policy"]["sha256"]),
          f"policy provenance {prov['policy']}")
    check(prov["data"] == (want["data"]["path"], want["data"]["sha256"]),
          f"data provenance {prov['data']}")
    check(prov["records"][0] == want["data"]["records"], f"records {prov['records']}")
    check(prov["as of"][0] == datetime.datetime.fromisoformat(want["as_of"]),
          f"as of {prov['as of']}")
    check(prov["catengine version"][0] == want["catengine_version"], "the version differs")
    check(wb.properties.created == datetime.datetime(2018, 9, 17), f"created {wb.properties.created}")

    # Two runs, the same bytes.
    again = os.path.join(folder, "again.xlsx")
    run(catengine, [*PETERBOROUGH, "--format", "xlsx", "--out", again])
    with open(path, "rb") as a, open(again, "rb") as b:
        check(a.read() == b.read(), "two runs gave different bytes")


def check_fixture(catengine, folder):
    wb = workbook(catengine, FIXTURE, os.path.join(folder, "fixture.xlsx"))
    check(wb.sheetnames == ["Results", "Provenance", "Warnings"], f"sheets are {wb.sheetnames}")
    ws = wb["Results"]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    for urn, name in [(100001, '=HYPERLINK("x")'), (100002, "+44 1733 747474"),
                      (100003, "-minus school"), (100004, "@mention school")]:
        c = rows[urn][1]
        check(c.value == name and c.data_type == "s", f"{urn}'s name is {c.value!r} ({c.data_type})")
    share = rows[100001][4]
    check(share.value == 0.625 and share.number_format.endswith("%"),
          f"62.5 percent is {share.value!r} in {share.number_format}")
    score = rows[100004][3]
    check(score.value == 39.9 and score.data_type == "n", f"score 39.9 is {score.value!r}")
    check(rows[100003][3].value is None, "a missing score is not empty")
    # 1899-12-31 is before Excel's first date: written as ISO text.
    check(rows[100002][5].value == "1899-12-31", f"1899-12-31 is {rows[100002][5].value!r}")
    check(rows[100005][5].value == datetime.datetime(1900, 3, 1), "1900-03-01 is not a date")
    warnings = list(wb["Warnings"].iter_rows(values_only=True))
    check(warnings == [("row", "urn", "warning", "message"),
                       (4, 100003, "no_score", "The school has no score")],
          f"warnings sheet {warnings}")
    no_formulas(wb, "fixture")


def check_sources(catengine, folder):
    path = os.path.join(folder, "cards.xlsx")
    wb = workbook(catengine, [*REPORT_CARDS, "--columns", "urn,level,next_visit"], path)
    header = [c.value for c in next(wb["Results"].iter_rows())]
    check(header == ["urn", "level", "next_visit"], f"--columns gave {header}")
    prov = [row for row in wb["Provenance"].iter_rows(values_only=True) if row[0].startswith("data")]
    names = [row[0] for row in prov]
    check(names == ["data: gias", "data: ofsted", "data: ks2", "data: la"], f"sources {names}")
    check(all(row[2] and len(row[2]) == 64 for row in prov), "a source has no SHA-256")


def check_schedule(catengine, folder):
    args = ["policies/peterborough", "--data", "examples/peterborough/schools.csv",
            "--as-of", "2018-09-17", "--from", "2018-09-17", "--to", "2018-12-31"]
    path = os.path.join(folder, "schedule.xlsx")
    out = subprocess.run([catengine, "schedule", *args, "--format", "xlsx", "--out", path],
                         capture_output=True, check=False)
    check(out.returncode == 0, f"schedule --format xlsx exited {out.returncode}")
    text = subprocess.run([catengine, "schedule", *args, "--format", "csv"], capture_output=True,
                          check=True).stdout.decode()
    rows = list(csv.reader(io.StringIO(text)))
    wb = openpyxl.load_workbook(path)
    check(wb.sheetnames == ["Schedule", "Provenance"], f"schedule sheets are {wb.sheetnames}")
    ws = wb["Schedule"]
    check(ws.freeze_panes == "A2", f"schedule frozen pane at {ws.freeze_panes}")
    got = list(ws.iter_rows(values_only=True))
    check(len(got) == len(rows) and list(got[0]) == rows[0], "the schedule's rows differ")
    for want, row in zip(rows[1:], got[1:]):
        check(row[0] == datetime.datetime.fromisoformat(want[0]), f"date {row[0]!r}, CSV {want[0]}")
        check(row[1] == int(want[1]), f"urn {row[1]!r}, CSV {want[1]}")
        check(list(row[2:]) == want[2:], f"{row[2:]} differs from the CSV's {want[2:]}")
    prov = {r[0]: r[1] for r in wb["Provenance"].iter_rows(min_row=2, values_only=True)}
    check(prov.get("from") == datetime.datetime(2018, 9, 17) and
          prov.get("to") == datetime.datetime(2018, 12, 31), f"the range is {prov}")


def check_streams(catengine):
    # A device is written straight into (the workbook is made in a temporary file first).
    out = run(catengine, [*PETERBOROUGH, "--format", "xlsx", "--out", "/dev/null"])
    check(out.returncode == 0, "--out /dev/null failed")


def check_failure_leaves_nothing(catengine, folder):
    sub = os.path.join(folder, "failing")
    os.mkdir(sub)
    path = os.path.join(sub, "results.xlsx")
    with open(path, "wb") as f:
        f.write(b"old")
    run(catengine, ["policies/peterborough", "--data", "tests/xlsx/schools.csv",
                    "--as-of", "2018-09-17", "--format", "xlsx", "--out", path], expect=2)
    with open(path, "rb") as f:
        check(f.read() == b"old", "a failed run replaced the old file")
    check(os.listdir(sub) == ["results.xlsx"], f"left behind: {os.listdir(sub)}")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: validate_xlsx.py CATENGINE")
    catengine = sys.argv[1]
    with tempfile.TemporaryDirectory(prefix="validate-xlsx-") as folder:
        check_peterborough(catengine, folder)
        check_fixture(catengine, folder)
        check_sources(catengine, folder)
        check_schedule(catengine, folder)
        check_streams(catengine)
        check_failure_leaves_nothing(catengine, folder)
    for f in failures[:50]:
        print(f"FAIL: {f}")
    if failures:
        sys.exit(f"{len(failures)} checks failed")
    print("xlsx: every check passed")


main()
