#!/usr/bin/env python3
"""Reads an iCalendar file with independent parsers (icalendar, recurring_ical_events) and prints
what they understood as JSON, for the Rust test suite to check field by field.

usage: ics_check.py FILE FROM TO   (FROM/TO: YYYY-MM-DD, the window to expand occurrences in)
Exit code 3 when the Python libraries are missing (the suite then skips, or fails under CI).
"""
import datetime
import json
import sys

try:
    import icalendar
    import recurring_ical_events
    from zoneinfo import ZoneInfo
except ImportError as error:  # pragma: no cover
    print(f"missing: {error}", file=sys.stderr)
    sys.exit(3)

BRUSSELS = ZoneInfo("Europe/Brussels")


def text(value):
    return None if value is None else str(value)


def when(value):
    if value is None:
        return None
    dt = value.dt if hasattr(value, "dt") else value
    if isinstance(dt, datetime.datetime):
        if dt.tzinfo is None:
            return {"floating": dt.isoformat()}
        return {
            "local": dt.astimezone(BRUSSELS).strftime("%Y-%m-%dT%H:%M:%S"),
            "utc": dt.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "tzid": value.params.get("TZID") if hasattr(value, "params") else None,
        }
    return {"date": dt.isoformat()}


def categories(component):
    value = component.get("categories")
    if value is None:
        return []
    values = value if isinstance(value, list) else [value]
    out = []
    for v in values:
        out.extend(str(c) for c in v.cats)
    return out


def main():
    path, start, end = sys.argv[1], sys.argv[2], sys.argv[3]
    raw = open(path, "rb").read()
    lines = raw.split(b"\r\n")
    report = {
        "bare_lf": b"\n" in raw.replace(b"\r\n", b""),
        "max_line_octets": max((len(line) for line in lines), default=0),
        "lines_valid_utf8": all(_valid(line) for line in lines),
    }
    cal = icalendar.Calendar.from_ical(raw)
    report["calendar"] = {k.lower(): str(v) for k, v in cal.property_items(recursive=False) if k not in ("BEGIN", "END")}
    # Calendar-level properties must come before the first component.
    first_component = raw.find(b"\r\nBEGIN:V", 1)
    head = raw[:first_component].decode("utf-8") if first_component > 0 else raw.decode("utf-8")
    report["head"] = [line.split(":", 1)[0].split(";", 1)[0] for line in head.split("\r\n") if line and not line.startswith(" ")]
    report["timezones"] = [str(tz.get("tzid")) for tz in cal.walk("VTIMEZONE")]
    events = []
    for e in cal.walk("VEVENT"):
        events.append({
            "uid": text(e.get("uid")),
            "summary": text(e.get("summary")),
            "description": text(e.get("description")),
            "location": text(e.get("location")),
            "url": text(e.get("url")),
            "status": text(e.get("status")),
            "class": text(e.get("class")),
            "sequence": int(e.get("sequence")) if e.get("sequence") is not None else None,
            "dtstart": when(e.get("dtstart")),
            "dtend": when(e.get("dtend")),
            "dtstamp": when(e.get("dtstamp")),
            "last_modified": when(e.get("last-modified")),
            "recurrence_id": when(e.get("recurrence-id")),
            "rrule": e.get("rrule").to_ical().decode() if e.get("rrule") is not None else None,
            "exdates": [when(d) for x in (e.get("exdate") if isinstance(e.get("exdate"), list) else [e.get("exdate")] if e.get("exdate") is not None else []) for d in x.dts],
            "categories": categories(e),
            "conference": text(e.get("conference")),
            "organizer": text(e.get("organizer")),
            "organizer_cn": e.get("organizer").params.get("CN") if e.get("organizer") is not None else None,
            "attendees": [text(a) for a in (e.get("attendee") if isinstance(e.get("attendee"), list) else [e.get("attendee")] if e.get("attendee") else [])],
        })
    report["events"] = events
    occurrences = []
    for o in recurring_ical_events.of(cal).between(datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)):
        occurrences.append({
            "uid": text(o.get("uid")),
            "summary": text(o.get("summary")),
            "status": text(o.get("status")),
            "start": when(o.get("dtstart")),
            "end": when(o.get("dtend")),
        })
    occurrences.sort(key=lambda o: (json.dumps(o["start"]), o["uid"] or ""))
    report["occurrences"] = occurrences
    print(json.dumps(report, ensure_ascii=False))


def _valid(line):
    try:
        line.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


if __name__ == "__main__":
    main()
