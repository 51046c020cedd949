#!/usr/bin/env python3
"""Reads the messages an SMTP server (aiosmtpd's Maildir handler) received, with Python's email
package and icalendar, and prints what they hold as JSON for the Rust test suite.

usage: mail_check.py MAILDIR
Exit code 3 when the Python libraries are missing.
"""
import email
import email.policy
import json
import os
import re
import sys

try:
    import icalendar
    from zoneinfo import ZoneInfo
except ImportError as error:  # pragma: no cover
    print(f"missing: {error}", file=sys.stderr)
    sys.exit(3)

BRUSSELS = ZoneInfo("Europe/Brussels")


def when(prop):
    if prop is None:
        return None
    dt = prop.dt
    if hasattr(dt, "hour"):
        return {
            "local": dt.astimezone(BRUSSELS).strftime("%Y-%m-%dT%H:%M:%S") if dt.tzinfo else dt.isoformat(),
            "utc": dt.astimezone(__import__("datetime").timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") if dt.tzinfo else None,
            "tzid": prop.params.get("TZID"),
        }
    return {"date": dt.isoformat()}


def calendar(data):
    cal = icalendar.Calendar.from_ical(data)
    events = []
    for e in cal.walk("VEVENT"):
        attendees = e.get("attendee")
        attendees = attendees if isinstance(attendees, list) else ([attendees] if attendees else [])
        organizer = e.get("organizer")
        events.append({
            "uid": str(e.get("uid")),
            "summary": str(e.get("summary")),
            "sequence": int(e.get("sequence", 0)),
            "status": str(e.get("status")) if e.get("status") else None,
            "dtstart": when(e.get("dtstart")),
            "dtend": when(e.get("dtend")),
            "recurrence_id": when(e.get("recurrence-id")),
            "rrule": e.get("rrule").to_ical().decode() if e.get("rrule") is not None else None,
            "exdates": [when(d) for x in (e.get("exdate") if isinstance(e.get("exdate"), list) else [e.get("exdate")] if e.get("exdate") is not None else []) for d in x.dts],
            "organizer": str(organizer) if organizer else None,
            "sent_by": organizer.params.get("SENT-BY") if organizer else None,
            "attendees": [
                {"address": str(a), "rsvp": a.params.get("RSVP"), "partstat": a.params.get("PARTSTAT"), "role": a.params.get("ROLE"), "cn": a.params.get("CN")}
                for a in attendees
            ],
        })
    return {"method": str(cal.get("method")), "events": events}


def arrival(name):
    """Arrival order of a Maildir file. Python's mailbox names files
    "<seconds>.M<microseconds>P<pid>Q<count>.<host>" with the microseconds NOT zero-padded, so a
    plain sort of names misorders two messages received in the same second."""
    m = re.match(r"^(\d+)\.M(\d+)P(\d+)Q(\d+)", name)
    if m is None:
        return (0, 0, 0, name)
    seconds, micro, _pid, count = (int(x) for x in m.groups())
    return (seconds, micro, count, name)


def main():
    root = sys.argv[1]
    out = []
    for folder in ("new", "cur"):
        path = os.path.join(root, folder)
        if not os.path.isdir(path):
            continue
        for name in sorted(os.listdir(path), key=arrival):
            raw = open(os.path.join(path, name), "rb").read()
            msg = email.message_from_bytes(raw, policy=email.policy.default)
            parts = []
            text = html = None
            cal = None
            raw_8bit = False
            for part in msg.walk():
                ctype = part.get_content_type()
                cte = (part.get("Content-Transfer-Encoding") or "").lower()
                if not part.is_multipart() and cte not in ("base64", "quoted-printable", "7bit", ""):
                    raw_8bit = True
                parts.append({
                    "type": ctype,
                    "method": part.get_param("method"),
                    "charset": part.get_content_charset(),
                    "encoding": cte,
                    "filename": part.get_filename(),
                    "disposition": part.get_content_disposition(),
                    "parent": None,
                })
                if ctype == "text/plain" and text is None:
                    text = part.get_content()
                elif ctype == "text/html" and html is None:
                    html = part.get_content()
                elif ctype == "text/calendar" and part.get_content_disposition() != "attachment" and cal is None:
                    cal = calendar(part.get_payload(decode=True))
            # Where the calendar part sits: inside multipart/alternative?
            inside_alternative = any(
                p.get_content_type() == "multipart/alternative" and any(c.get_content_type() == "text/calendar" for c in p.iter_parts())
                for p in msg.walk() if p.is_multipart()
            )
            out.append({
                "from": str(msg["From"]),
                "to": str(msg["To"]),
                "subject": str(msg["Subject"]),
                "message_id": str(msg["Message-ID"]),
                "auto_submitted": str(msg["Auto-Submitted"]) if msg["Auto-Submitted"] else None,
                "content_type": msg.get_content_type(),
                "parts": parts,
                "calendar_in_alternative": inside_alternative,
                "raw_8bit": raw_8bit,
                "text": text,
                "html": html,
                "calendar": cal,
            })
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
