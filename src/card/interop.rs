//! The vendor reading library's `iReadCardBas` output (ssc-card.md §4): 11 fields, each followed
//! by `|`. Rendering it lets back-office systems that speak it take our reads; parsing it lets a
//! vendor driver's output feed the same pipeline as our own reader.

use super::SocialSecurityCard;
use crate::domain::CitizenId;
use chrono::NaiveDate;
use serde::Serialize;

/// What the line carries: the identity part of a card read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BasicCardRead {
    pub region_code: String,
    pub ssn: CitizenId,
    pub card_no: String,
    pub card_id_code: String,
    pub name: String,
    pub atr_historical: String,
    pub spec_version: String,
    pub issued_on: NaiveDate,
    pub expires_on: NaiveDate,
    /// 终端机编号: the PSAM's terminal number.
    pub terminal_no: String,
    /// 终端设备号.
    pub device_no: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InteropError {
    #[error("iReadCardBas line must have 11 fields each followed by '|', found {0} separators")]
    FieldCount(usize),
    #[error("iReadCardBas field {index} ({name}) is invalid: {reason}")]
    Field {
        index: usize,
        name: &'static str,
        reason: String,
    },
}

impl BasicCardRead {
    pub fn from_card(card: &SocialSecurityCard, terminal_no: &str, device_no: &str) -> Self {
        BasicCardRead {
            region_code: card.region_code.clone(),
            ssn: card.ssn.clone(),
            card_no: card.card_no.clone(),
            card_id_code: card.card_id_code.clone(),
            name: card.name.clone(),
            atr_historical: card.atr_historical.clone(),
            spec_version: card.spec_version.clone(),
            issued_on: card.issued_on,
            expires_on: card.expires_on,
            terminal_no: terminal_no.to_string(),
            device_no: device_no.to_string(),
        }
    }

    /// The line, as text (the vendor library hands out GBK: encode with encoding_rs when needed).
    pub fn render(&self) -> String {
        let fields = [
            self.region_code.as_str(),
            self.ssn.as_str(),
            &self.card_no,
            &self.card_id_code,
            &self.name,
            &self.atr_historical,
            &self.spec_version,
            &self.issued_on.format("%Y%m%d").to_string(),
            &self.expires_on.format("%Y%m%d").to_string(),
            &self.terminal_no,
            &self.device_no,
        ];
        fields.iter().map(|f| format!("{}|", clean(f))).collect()
    }

    pub fn parse(line: &str) -> Result<BasicCardRead, InteropError> {
        let line = line.trim_end_matches(['\r', '\n', '\0']);
        let parts: Vec<&str> = line.split('|').collect();
        if parts.len() != 12 || !parts[11].is_empty() {
            return Err(InteropError::FieldCount(parts.len() - 1));
        }
        let bad = |index: usize, name: &'static str, reason: String| InteropError::Field {
            index: index + 1,
            name,
            reason,
        };
        let f = |i: usize| parts[i].trim();
        let date = |i: usize, name| {
            NaiveDate::parse_from_str(f(i), "%Y%m%d").map_err(|e| bad(i, name, e.to_string()))
        };
        let hex_field = |i: usize, name, len: Option<usize>| {
            let v = f(i).to_ascii_uppercase();
            let ok = v.bytes().all(|b| b.is_ascii_hexdigit()) && len.is_none_or(|n| v.len() == n);
            ok.then_some(v)
                .ok_or_else(|| bad(i, name, "not hex of the expected length".into()))
        };
        let region = f(0);
        if region.len() != 6 || !region.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad(0, "region code", "not 6 digits".into()));
        }
        Ok(BasicCardRead {
            region_code: region.to_string(),
            ssn: CitizenId::parse(f(1)).map_err(|e| bad(1, "社会保障号码", e.to_string()))?,
            card_no: f(2).to_string(),
            card_id_code: hex_field(3, "卡识别码", Some(32))?,
            name: f(4).to_string(),
            atr_historical: hex_field(5, "ATR", None)?,
            spec_version: f(6).to_string(),
            issued_on: date(7, "发卡日期")?,
            expires_on: date(8, "卡有效期")?,
            terminal_no: f(9).to_string(),
            device_no: f(10).to_string(),
        })
    }
}

/// A field may not contain the separator.
fn clean(field: &str) -> String {
    field.replace('|', "")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const EXAMPLE: &str = "639900|111111198101011110|X00000019|639900D15600000500BF7C7A48FB4966|张三|00814E43238697159900BF7C7A|2.00|20101001|20201001|000000000000||";

    #[test]
    fn the_published_example_round_trips() {
        let read = BasicCardRead::parse(EXAMPLE).unwrap();
        assert_eq!(read.name, "张三");
        assert_eq!(read.terminal_no, "000000000000");
        assert_eq!(read.device_no, "");
        assert_eq!(read.render(), EXAMPLE);
    }

    #[test]
    fn errors_name_the_field() {
        assert_eq!(
            BasicCardRead::parse("a|b|").unwrap_err(),
            InteropError::FieldCount(2)
        );
        let bad_id = EXAMPLE.replace("111111198101011110", "111111198101011111");
        assert!(matches!(
            BasicCardRead::parse(&bad_id),
            Err(InteropError::Field { index: 2, .. })
        ));
    }

    proptest! {
        #[test]
        fn parse_never_panics(s in "\\PC{0,200}", fields in prop::collection::vec("[0-9A-Fa-f|]{0,40}", 0..14)) {
            let _ = BasicCardRead::parse(&s);
            let _ = BasicCardRead::parse(&fields.join("|"));
        }
    }
}
