#!/usr/bin/python3
"""Validates `catengine schedule --format ics` with a real iCalendar parser (Debian's
python3-icalendar), against the same schedule written as CSV.

    validate_ics.py CATENGINE

Run from the repository root. Parses the .ics, then checks: the calendar properties; one VEVENT
per CSV row, in the same order; all-day DTSTART/DTEND (the next day); DTSTAMP fixed to the
as-of date; unique UIDs; SUMMARY, DESCRIPTION and CATEGORIES round-tripping through the
parser's unescaping; CRLF and 75-octet lines; and hand-worked events of a few schools. Then
Gloucestershire's schedule, whose peer reviews last `review_days days`: an event lasting N whole
days ends N days after it starts (DTEND), and the description says `lasting N day(s)`."""

import csv
import datetime
import io
import subprocess
import sys

import icalendar

ARGS = ["schedule", "policies/peterborough", "--data", "examples/peterborough/schools.csv",
        "--as-of", "2018-09-17", "--from", "2018-09-17", "--to", "2018-12-31"]

failures = []


def check(ok, message):
    if not ok:
        failures.append(message)


GLOUCESTERSHIRE = ["schedule", "policies/gloucestershire", "--data",
                   "examples/gloucestershire/schools.csv", "--as-of", "2018-11-23", "--from",
                   "2018-11-23", "--to", "2019-06-30"]


def run(catengine, fmt, args=ARGS):
    out = subprocess.run([catengine, *args, "--format", fmt], capture_output=True, check=False)
    if out.returncode != 0:
        sys.exit(f"catengine --format {fmt} exited {out.returncode}: {out.stderr.decode()}")
    return out.stdout


def day(text):
    return datetime.date.fromisoformat(text)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: validate_ics.py CATENGINE")
    raw = run(sys.argv[1], "ics")
    rows = list(csv.DictReader(io.StringIO(run(sys.argv[1], "csv").decode("utf-8"))))

    # Bytes on the wire: CRLF only, no line over 75 octets.
    check(raw.endswith(b"\r\n"), "the file does not end with CRLF")
    check(raw.replace(b"\r\n", b"").find(b"\n") < 0 and raw.replace(b"\r\n", b"").find(b"\r") < 0,
          "a line ends without CRLF")
    for n, line in enumerate(raw.split(b"\r\n"), 1):
        check(len(line) <= 75, f"line {n} is {len(line)} octets")
    raw.decode("utf-8")  # raises on invalid UTF-8

    cal = icalendar.Calendar.from_ical(raw)
    check(not cal.errors, f"calendar parse errors: {cal.errors}")
    check(cal.name == "VCALENDAR", f"top-level component is {cal.name}")
    for prop, want in [("VERSION", "2.0"), ("PRODID", "-//catengine//schedule//EN"),
                       ("CALSCALE", "GREGORIAN"), ("METHOD", "PUBLISH")]:
        check(str(cal.get(prop)) == want, f"{prop} is {cal.get(prop)!r}, expected {want!r}")
    events = cal.walk("VEVENT")
    check(len(events) == 210, f"{len(events)} events, expected 210")
    check(len(events) == len(rows), f"{len(events)} events but {len(rows)} CSV rows")

    uids = set()
    stamp = datetime.datetime(2018, 9, 17, tzinfo=datetime.timezone.utc)
    for i, (ev, row) in enumerate(zip(events, rows)):
        where = f"event {i + 1} ({row['urn']} {row['event']} {row['date']})"
        check(not ev.errors, f"{where}: parse errors {ev.errors}")
        start, end = ev.get("DTSTART").dt, ev.get("DTEND").dt
        check(type(start) is datetime.date and type(end) is datetime.date, f"{where}: not all-day")
        check(start == day(row["date"]), f"{where}: DTSTART {start}")
        check(end == start + datetime.timedelta(days=1), f"{where}: DTEND {end}")
        check(ev.get("DTSTAMP").dt == stamp, f"{where}: DTSTAMP {ev.get('DTSTAMP').dt}")
        uid = str(ev.get("UID"))
        check(uid.endswith("@catengine") and uid not in uids, f"{where}: UID {uid} repeated or malformed")
        uids.add(uid)
        overdue = " (overdue)" if row["overdue"] == "yes" else ""
        want = f"{row['title']}: {row['name']}{overdue}"
        check(str(ev.get("SUMMARY")) == want, f"{where}: SUMMARY {str(ev.get('SUMMARY'))!r}, expected {want!r}")
        want = (f"urn {row['urn']} {row['name']}\n{row['title']}\n{row['detail']}\n"
                "Peterborough school categorisation")
        check(str(ev.get("DESCRIPTION")) == want, f"{where}: DESCRIPTION {str(ev.get('DESCRIPTION'))!r}")
        cats = [str(c) for c in ev.get("CATEGORIES").cats]
        check(cats == [row["title"]], f"{where}: CATEGORIES {cats}")

    # Hand-worked (specification, sections 4 and 5): Dogsthorpe Green Junior School, category 4,
    # maintained, in the network, on the clinic agenda, warning notice on ground a. SIA visit due
    # 2017-10-13 (overdue: listed on the as-of date), then every 6 weeks; peer review due
    # 2018-02-18 (overdue; the next, 2019-03-17, is out of range); autumn clinic 2018-09-27;
    # warning notice response 15 working days after Monday 17 September: 8 October.
    got = [(str(ev.get("DTSTART").dt), str(ev.get("SUMMARY")).split(":")[0], str(ev.get("SUMMARY")).endswith("(overdue)"))
           for ev in events if str(ev.get("DESCRIPTION")).startswith("urn 110612 ")]
    want = [("2018-09-17", "School Improvement Adviser focus visit", True),
            ("2018-09-17", "Triad peer review", True),
            ("2018-09-27", "School Performance Clinic", False),
            ("2018-10-08", "Formal warning notice", False),
            ("2018-10-29", "School Improvement Adviser focus visit", False),
            ("2018-12-10", "School Improvement Adviser focus visit", False)]
    check(got == want, f"110612: {got}")
    # A name holding a comma survives escaping and unescaping.
    names = {str(ev.get("SUMMARY")) for ev in events}
    check("Triad peer review: St Kyneburgha's, Castor Church of England Primary School (overdue)" in names,
          "110655's summary with a comma did not round-trip")
    # Paston Brook Academy (137845): category 4 academy, last visit 2018-08-22: 3 October, then
    # 14 November and 26 December; letter of concern to the trust due 15 October.
    got = [str(ev.get("DTSTART").dt) for ev in events if str(ev.get("DESCRIPTION")).startswith("urn 137845 ")]
    check(got == ["2018-09-17", "2018-09-27", "2018-10-03", "2018-10-15", "2018-11-14", "2018-12-26"],
          f"137845: {got}")

    # Durations: Gloucestershire's intensive reviews last 2 days, standard ones 1 day.
    glos = icalendar.Calendar.from_ical(run(sys.argv[1], "ics", GLOUCESTERSHIRE)).walk("VEVENT")
    lengths = {}
    for ev in glos:
        description = str(ev.get("DESCRIPTION"))
        days = (ev.get("DTEND").dt - ev.get("DTSTART").dt).days
        said = "lasting 2 days" if days == 2 else "lasting 1 day"
        check(said in description, f"Gloucestershire: a {days}-day event says {description!r}")
        lengths[days] = lengths.get(days, 0) + 1
    check(sorted(lengths) == [1, 2], f"Gloucestershire event lengths: {lengths}")

    for f in failures:
        print(f"FAIL: {f}")
    print(f"{len(events)} events checked, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
