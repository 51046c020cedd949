//! The yearly attendance table as plain data: columns (meetings and sessions held that year),
//! rows (people), cells (a presence or nothing noted) and their totals. Built from rows already
//! read, without the database; shared by the page and the CSV so that both say the same.

use std::collections::HashMap;

use chrono::NaiveDateTime;

use crate::entities::attendance::Presence;

/// A meeting (one-off) or a session of a series, held in the year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    pub meeting_id: i64,
    /// The session's row of the occurrence index; None for a one-off meeting (its attendance is
    /// for the meeting as a whole), and for a session nothing ever pointed at (no attendance).
    pub occurrence_id: Option<i64>,
    /// Brussels wall clock: when it took place (a moved session: its new time).
    pub start: NaiveDateTime,
    pub title: String,
    /// Its page: `/reunions/{id}`, or `/reunions/{id}/{original date}` for a session.
    pub href: String,
    /// "Sociojuridique", "Sociojuridique — GT …", "Tout le réseau".
    pub scope: String,
}

/// One attendance row, reduced to what the table needs.
#[derive(Clone, Copy, Debug)]
pub struct Mark {
    pub meeting_id: i64,
    pub occurrence_id: Option<i64>,
    /// None: someone noted on the spot by name only (no account).
    pub person_id: Option<i64>,
    pub status: Presence,
}

/// A person who may have a row.
#[derive(Clone, Debug)]
pub struct Person {
    pub id: i64,
    pub name: String,
    pub organisation: Option<String>,
    /// A member of the platform or group (else: someone who came without being one).
    pub member: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub present: usize,
    pub excused: usize,
    pub absent: usize,
}

impl Totals {
    fn add(&mut self, status: Presence) {
        match status {
            Presence::Present => self.present += 1,
            Presence::Excused => self.excused += 1,
            Presence::Absent => self.absent += 1,
        }
    }

    /// Present out of the meetings where their attendance was noted, in whole percent (None:
    /// nothing noted). "Not noted" is not counted as absent: the sheet may not have been kept.
    pub fn rate(&self) -> Option<usize> {
        let noted = self.present + self.excused + self.absent;
        (noted > 0).then(|| (self.present * 100 + noted / 2) / noted)
    }

    /// "75 %", or "—" when nothing was noted.
    pub fn rate_text(&self) -> String {
        self.rate()
            .map_or_else(|| "—".to_string(), |r| format!("{r} %"))
    }
}

#[derive(Clone, Debug)]
pub struct Row {
    pub person: Person,
    pub cells: Vec<Option<Presence>>,
    pub totals: Totals,
}

/// Per column: how many were present, and of them how many were not expected (a member of the
/// platform or group) — people noted on the spot by name or from outside.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ColumnTotal {
    pub present: usize,
    pub walk_ins: usize,
}

#[derive(Clone, Debug)]
pub struct Table {
    pub year: i32,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    /// Empty when the viewer sees only their own row (the others' counts are not theirs).
    pub column_totals: Vec<ColumnTotal>,
}

/// A cell as the page and the CSV write it.
pub fn cell_text(cell: Option<Presence>) -> &'static str {
    cell.map_or("—", Presence::label_fr)
}

/// The table: one row per person (sorted by name), one cell per column, totals both ways.
/// Marks outside the columns are ignored; a person's second mark for one column (which the
/// database refuses) would not be counted twice.
pub fn build(year: i32, columns: Vec<Column>, people: Vec<Person>, marks: &[Mark]) -> Table {
    let index: HashMap<(i64, Option<i64>), usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| ((c.meeting_id, c.occurrence_id), i))
        .collect();
    let members: HashMap<i64, bool> = people.iter().map(|p| (p.id, p.member)).collect();
    let mut cells: HashMap<i64, Vec<Option<Presence>>> = HashMap::new();
    let mut column_totals = vec![ColumnTotal::default(); columns.len()];
    for mark in marks {
        let Some(&col) = index.get(&(mark.meeting_id, mark.occurrence_id)) else {
            continue;
        };
        if let Some(pid) = mark.person_id {
            let Some(&member) = members.get(&pid) else {
                continue;
            };
            let row = cells
                .entry(pid)
                .or_insert_with(|| vec![None; columns.len()]);
            if row[col].is_some() {
                continue;
            }
            row[col] = Some(mark.status);
            if mark.status == Presence::Present {
                column_totals[col].present += 1;
                column_totals[col].walk_ins += usize::from(!member);
            }
        } else if mark.status == Presence::Present {
            column_totals[col].present += 1;
            column_totals[col].walk_ins += 1;
        }
    }
    let mut rows: Vec<Row> = people
        .into_iter()
        .map(|person| {
            let cells = cells
                .remove(&person.id)
                .unwrap_or_else(|| vec![None; columns.len()]);
            let mut totals = Totals::default();
            for status in cells.iter().flatten() {
                totals.add(*status);
            }
            Row {
                person,
                cells,
                totals,
            }
        })
        .collect();
    rows.sort_by_cached_key(|r| {
        (
            crate::platforms::rules::sort_key(&r.person.name),
            r.person.id,
        )
    });
    Table {
        year,
        columns,
        rows,
        column_totals,
    }
}

impl Table {
    /// Only `person_id`'s row, without the columns' totals (what a member sees).
    pub fn only(mut self, person_id: Option<i64>) -> Self {
        self.rows.retain(|r| Some(r.person.id) == person_id);
        self.column_totals.clear();
        self
    }

    /// The table as CSV rows: a header, one line per person, then (when shown) the present and
    /// walk-in counts per column.
    pub fn csv_rows(&self) -> Vec<Vec<String>> {
        let mut out = Vec::with_capacity(self.rows.len() + 3);
        let mut header = vec!["Nom".to_string(), "Organisation".to_string()];
        header.extend(self.columns.iter().map(column_heading));
        header.extend(["Présent·e", "Excusé·e", "Absent·e", "Taux de présence"].map(String::from));
        out.push(header);
        for row in &self.rows {
            let mut line = vec![
                row.person.name.clone(),
                row.person.organisation.clone().unwrap_or_default(),
            ];
            line.extend(row.cells.iter().map(|c| cell_text(*c).to_string()));
            line.extend([
                row.totals.present.to_string(),
                row.totals.excused.to_string(),
                row.totals.absent.to_string(),
                row.totals.rate_text(),
            ]);
            out.push(line);
        }
        if !self.column_totals.is_empty() {
            for (label, pick) in [
                (
                    "Présent·es par réunion",
                    (|t: &ColumnTotal| t.present) as fn(&ColumnTotal) -> usize,
                ),
                ("dont hors membres ou sur place", |t: &ColumnTotal| {
                    t.walk_ins
                }),
            ] {
                let mut line = vec![label.to_string(), String::new()];
                line.extend(self.column_totals.iter().map(|t| pick(t).to_string()));
                line.extend(std::iter::repeat_n(String::new(), 4));
                out.push(line);
            }
        }
        out
    }
}

impl Table {
    /// A person's own year as CSV rows (the table has their row only): one line per meeting or
    /// session, as `/moi/presences` shows it.
    pub fn own_csv_rows(&self) -> Vec<Vec<String>> {
        let mut out = vec![
            ["Date", "Réunion", "Plateforme ou groupe", "Présence"]
                .map(String::from)
                .to_vec(),
        ];
        if let Some(row) = self.rows.first() {
            for (c, cell) in self.columns.iter().zip(&row.cells) {
                out.push(vec![
                    c.start.format("%d/%m/%Y").to_string(),
                    c.title.clone(),
                    c.scope.clone(),
                    cell_text(*cell).to_string(),
                ]);
            }
        }
        out
    }
}

/// "10/03/2027 Réunion mensuelle des constats de terrain".
pub fn column_heading(column: &Column) -> String {
    format!("{} {}", column.start.format("%d/%m/%Y"), column.title)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn column(meeting_id: i64, occurrence_id: Option<i64>, day: u32) -> Column {
        Column {
            meeting_id,
            occurrence_id,
            start: NaiveDate::from_ymd_opt(2027, 3, day)
                .and_then(|d| d.and_hms_opt(9, 30, 0))
                .unwrap_or_default(),
            title: format!("Réunion {meeting_id}"),
            href: format!("/reunions/{meeting_id}"),
            scope: String::new(),
        }
    }

    fn person(id: i64, name: &str, member: bool) -> Person {
        Person {
            id,
            name: name.to_string(),
            organisation: None,
            member,
        }
    }

    fn mark(
        meeting_id: i64,
        occurrence_id: Option<i64>,
        person_id: Option<i64>,
        status: Presence,
    ) -> Mark {
        Mark {
            meeting_id,
            occurrence_id,
            person_id,
            status,
        }
    }

    #[test]
    fn cells_land_in_their_column_and_totals_count_both_ways() {
        let columns = vec![
            column(1, None, 2),
            column(2, Some(20), 9),
            column(2, Some(21), 16),
        ];
        let people = vec![
            person(7, "Zoé", true),
            person(8, "Élise", true),
            person(9, "Venu d'ailleurs", false),
        ];
        let marks = [
            mark(1, None, Some(7), Presence::Present),
            mark(2, Some(20), Some(7), Presence::Excused),
            mark(2, Some(21), Some(7), Presence::Present),
            mark(2, Some(21), Some(8), Presence::Absent),
            mark(2, Some(21), Some(9), Presence::Present),
            mark(2, Some(21), None, Presence::Present),
            // The series as a whole, or another session: not a column of this table.
            mark(2, None, Some(8), Presence::Present),
            mark(2, Some(99), Some(8), Presence::Present),
        ];
        let table = build(2027, columns, people, &marks);
        let names: Vec<&str> = table.rows.iter().map(|r| r.person.name.as_str()).collect();
        assert_eq!(
            names,
            ["Élise", "Venu d'ailleurs", "Zoé"],
            "sorted without accents"
        );
        let zoe = &table.rows[2];
        assert_eq!(
            zoe.cells,
            [
                Some(Presence::Present),
                Some(Presence::Excused),
                Some(Presence::Present)
            ]
        );
        assert_eq!(
            zoe.totals,
            Totals {
                present: 2,
                excused: 1,
                absent: 0
            }
        );
        assert_eq!(zoe.totals.rate(), Some(67));
        assert_eq!(table.rows[0].cells, [None, None, Some(Presence::Absent)]);
        assert_eq!(table.rows[0].totals.rate_text(), "0 %");
        assert_eq!(
            table.column_totals,
            [
                ColumnTotal {
                    present: 1,
                    walk_ins: 0
                },
                ColumnTotal::default(),
                ColumnTotal {
                    present: 3,
                    walk_ins: 2
                },
            ]
        );
    }

    #[test]
    fn nothing_noted_has_no_rate_and_a_member_sees_only_their_row() {
        let table = build(
            2027,
            vec![column(1, None, 2)],
            vec![person(7, "Zoé", true), person(8, "Élise", true)],
            &[mark(1, None, Some(8), Presence::Present)],
        );
        assert_eq!(table.rows[1].totals.rate(), None);
        assert_eq!(table.rows[1].totals.rate_text(), "—");
        let mine = table.only(Some(7));
        assert_eq!(mine.rows.len(), 1);
        assert_eq!(mine.rows[0].person.name, "Zoé");
        assert!(mine.column_totals.is_empty());
        let csv = mine.csv_rows();
        assert_eq!(csv.len(), 2, "header and the one row, no totals");
        assert_eq!(csv[0][2], "02/03/2027 Réunion 1");
        assert_eq!(csv[1], ["Zoé", "", "—", "0", "0", "0", "—"]);
    }
}
