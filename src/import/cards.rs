//! cards.csv — the card system's issued social security cards (制卡发卡).

use super::fields::{FieldResult, Fields};
use super::{bulk, Subsystem};
use crate::db::{schema::cards, DbConn};
use crate::domain::CardStatus;
use chrono::NaiveDate;
use diesel::prelude::*;

/// Spec versions of the card (ssc-card.md §1, EF05 item 03).
const SPEC_VERSIONS: [&str; 3] = ["1.00", "2.00", "3.00"];

#[derive(Insertable)]
// None is written as NULL, which lets SQLite take the rows in one multi-row INSERT.
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = cards)]
pub struct CardRow {
    card_no: String,
    ssn: String,
    card_id_code: String,
    region_code: String,
    spec_version: String,
    issued_on: NaiveDate,
    expires_on: NaiveDate,
    status: &'static str,
    batch_id: i64,
}

pub struct Cards;

impl Subsystem for Cards {
    const NAME: &'static str = "cards";
    const TABLE: &'static str = "cards";
    const COLUMNS: &'static [&'static str] = &[
        "card_no",
        "ssn",
        "card_id_code",
        "region_code",
        "spec_version",
        "issued_on",
        "expires_on",
        "status",
    ];
    const KEY: &'static [&'static str] = &["card_no"];
    type Row = CardRow;
    type Key<'a> = &'a str;

    fn parse(f: &Fields, batch_id: i64) -> FieldResult<CardRow> {
        let card_no = f.raw("card_no");
        // EF05 item 07: nine printable characters, e.g. X00000019.
        if card_no.len() != 9 || !card_no.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(f.reject(
                "card_no",
                card_no,
                "card_no must be 9 letters or digits, e.g. X00000019",
            ));
        }
        let ssn = f.ssn()?;
        let id_code = f.raw("card_id_code");
        // EF05 item 01: 16 bytes shown as 32 hex digits.
        if id_code.len() != 32 || !id_code.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(f.reject(
                "card_id_code",
                id_code,
                "card_id_code must be 32 hexadecimal digits",
            ));
        }
        let spec = f.raw("spec_version");
        if !SPEC_VERSIONS.contains(&spec) {
            return Err(f.reject(
                "spec_version",
                spec,
                format!("spec_version must be one of {}", SPEC_VERSIONS.join(", ")),
            ));
        }
        let issued_on = f.past_date("issued_on")?;
        let expires_on = f.date("expires_on")?;
        if expires_on <= issued_on {
            return Err(f.reject(
                "expires_on",
                f.raw("expires_on"),
                "expires_on must be after issued_on",
            ));
        }
        Ok(CardRow {
            card_no: card_no.to_string(),
            ssn: ssn.into_string(),
            card_id_code: id_code.to_ascii_uppercase(),
            region_code: f.digits("region_code", 6)?,
            spec_version: spec.to_string(),
            issued_on,
            expires_on,
            status: f.code("status", CardStatus::parse)?.code(),
            batch_id,
        })
    }

    fn ssn(row: &CardRow) -> &str {
        &row.ssn
    }

    fn key(row: &CardRow) -> Self::Key<'_> {
        row.card_no.as_str()
    }

    fn upsert(conn: &mut DbConn, rows: &[CardRow]) -> QueryResult<usize> {
        bulk::upsert_rows!(conn, rows, cards::table)
    }
}
