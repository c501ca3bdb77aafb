//! The items of EF05 (card data) and EF06 (holder data), ssc-card.md §1, decoded and validated
//! into a [`SocialSecurityCard`]. Parsing is pure, so every malformed-card case is unit-tested.

use super::{bcd, tlv::Tlv, CardError};
use crate::domain::{CitizenId, Gender};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// A card as read: EF05 and EF06, decoded. `Debug` masks the ID number (through [`CitizenId`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SocialSecurityCard {
    /// 卡识别码, 32 hex characters.
    pub card_id_code: String,
    /// First 6 characters of the card identification code: the issuing region (发卡地区).
    pub region_code: String,
    /// 卡的类别, raw byte(s) as hex (values unconfirmed, ssc-card.md §1).
    pub card_type: String,
    /// 规范版本: "1.00", "2.00" or "3.00".
    pub spec_version: String,
    /// 初始化机构编号, hex.
    pub institution: String,
    pub issued_on: NaiveDate,
    pub expires_on: NaiveDate,
    /// 卡号, first 9 characters.
    pub card_no: String,
    pub ssn: CitizenId,
    /// 姓名 with 姓名扩展 appended.
    pub name: String,
    pub gender: Gender,
    /// 民族, two digits (GB 3304).
    pub ethnicity: String,
    /// 出生地, 6-digit region code.
    pub birthplace: String,
    pub birth_date: NaiveDate,
    /// Historical bytes of the ATR, hex (field 6 of iReadCardBas).
    pub atr_historical: String,
}

/// The records of one EF by tag (first occurrence wins, as READ RECORD by identifier does).
pub type Items = BTreeMap<u8, Vec<u8>>;

pub fn items(records: Vec<Tlv>) -> Items {
    let mut map = Items::new();
    for r in records {
        map.entry(r.tag).or_insert(r.value);
    }
    map
}

const EF05: &str = "EF05";
const EF06: &str = "EF06";

fn item<'a>(items: &'a Items, file: &'static str, tag: u8) -> Result<&'a [u8], CardError> {
    items
        .get(&tag)
        .map(Vec::as_slice)
        .ok_or_else(|| CardError::UnreadableRecord {
            file,
            tag,
            reason: "missing".into(),
        })
}

fn invalid(field: &'static str, reason: impl Into<String>) -> CardError {
    CardError::InvalidData {
        field,
        reason: reason.into(),
    }
}

/// ASCII text without padding (0x00, 0xFF, spaces).
fn ascii(bytes: &[u8], field: &'static str) -> Result<String, CardError> {
    let trimmed: Vec<u8> = bytes
        .iter()
        .copied()
        .filter(|b| *b != 0x00 && *b != 0xFF)
        .collect();
    let text = std::str::from_utf8(&trimmed)
        .ok()
        .filter(|s| s.is_ascii())
        .ok_or_else(|| invalid(field, "not ASCII"))?;
    Ok(text.trim().to_string())
}

/// GBK text right-padded with 0x00 (ssc-card.md §1, 姓名).
pub fn gbk(bytes: &[u8], field: &'static str) -> Result<String, CardError> {
    let end = bytes.iter().position(|b| *b == 0).unwrap_or(bytes.len());
    let (text, had_errors) = encoding_rs::GBK.decode_without_bom_handling(&bytes[..end]);
    if had_errors {
        return Err(invalid(field, "not valid GBK text"));
    }
    Ok(text.trim().to_string())
}

fn date(bytes: &[u8], field: &'static str) -> Result<NaiveDate, CardError> {
    bcd::decode_date(bytes)
        .ok_or_else(|| invalid(field, format!("not a BCD date: {}", hex::encode(bytes))))
}

/// Builds the card from both files and checks it against itself and against `today`.
pub fn parse(
    ef05: &Items,
    ef06: &Items,
    atr_historical: &[u8],
    today: NaiveDate,
) -> Result<SocialSecurityCard, CardError> {
    let id_code = item(ef05, EF05, 0x01)?;
    if id_code.iter().all(|b| *b == 0x00) || id_code.iter().all(|b| *b == 0xFF) {
        return Err(CardError::BlankCard("no card identification code".into()));
    }
    let card_id_code = hex::encode_upper(id_code);
    let region_code = card_id_code.get(..6).unwrap_or_default().to_string();
    let mut card_no = ascii(item(ef05, EF05, 0x07)?, "卡号")?;
    card_no.truncate(9);
    let card = SocialSecurityCard {
        region_code,
        card_type: hex::encode_upper(item(ef05, EF05, 0x02)?),
        spec_version: ascii(item(ef05, EF05, 0x03)?, "规范版本")?,
        institution: hex::encode_upper(item(ef05, EF05, 0x04)?),
        issued_on: date(item(ef05, EF05, 0x05)?, "发卡日期")?,
        expires_on: date(item(ef05, EF05, 0x06)?, "卡有效期")?,
        card_no,
        ssn: CitizenId::parse(&ascii(item(ef06, EF06, 0x08)?, "社会保障号码")?)
            .map_err(|e| invalid("社会保障号码", e.to_string()))?,
        name: holder_name(ef06)?,
        gender: Gender::parse(&ascii(item(ef06, EF06, 0x0A)?, "性别")?)
            .map_err(|e| invalid("性别", e.to_string()))?,
        ethnicity: ethnicity(item(ef06, EF06, 0x0B)?)?,
        birthplace: bcd::decode(item(ef06, EF06, 0x0C)?)
            .filter(|s| s.len() == 6)
            .ok_or_else(|| invalid("出生地", "not a 6-digit BCD region code"))?,
        birth_date: date(item(ef06, EF06, 0x0D)?, "出生日期")?,
        card_id_code,
        atr_historical: hex::encode_upper(atr_historical),
    };
    validate(&card, today)?;
    Ok(card)
}

fn holder_name(ef06: &Items) -> Result<String, CardError> {
    let mut name = gbk(item(ef06, EF06, 0x09)?, "姓名")?;
    // 4E is absent on some second-generation cards (ssc-card.md §1).
    if let Some(ext) = ef06.get(&0x4E) {
        name.push_str(&gbk(ext, "姓名扩展")?);
    }
    if name.is_empty() {
        return Err(invalid("姓名", "empty"));
    }
    Ok(name)
}

/// 民族 is one binary byte rendered as two digits; some cards store it as two ASCII digits.
fn ethnicity(bytes: &[u8]) -> Result<String, CardError> {
    match bytes {
        [b] => Ok(format!("{b:02}")),
        [a, b] if a.is_ascii_digit() && b.is_ascii_digit() => {
            Ok(format!("{}{}", *a as char, *b as char))
        }
        _ => Err(invalid(
            "民族",
            format!("unexpected value {}", hex::encode(bytes)),
        )),
    }
}

fn validate(card: &SocialSecurityCard, today: NaiveDate) -> Result<(), CardError> {
    if !["1.00", "2.00", "3.00"].contains(&card.spec_version.as_str()) {
        return Err(invalid(
            "规范版本",
            format!("unknown version {:?}", card.spec_version),
        ));
    }
    if card.ssn.birth_date() != card.birth_date {
        return Err(invalid(
            "出生日期",
            format!(
                "{} differs from the birth date in the ID number",
                card.birth_date
            ),
        ));
    }
    if card.expires_on <= card.issued_on {
        return Err(invalid("卡有效期", "expires before it was issued"));
    }
    if card.expires_on < today {
        return Err(CardError::Expired {
            expires_on: card.expires_on,
        });
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn sample_ef05() -> Items {
        Items::from([
            (1, hex::decode("639900D15600000500BF7C7A48FB4966").unwrap()),
            (2, vec![0x01]),
            (3, b"2.00".to_vec()),
            (4, vec![0x11; 12]),
            (5, vec![0x20, 0x20, 0x09, 0x15]),
            (6, vec![0x20, 0x30, 0x09, 0x15]),
            (7, b"X00000019".to_vec()),
        ])
    }

    pub fn sample_ef06() -> Items {
        let mut name = encoding_rs::GBK.encode("张三").0.to_vec();
        name.resize(30, 0);
        Items::from([
            (0x08, b"111111198101011110".to_vec()),
            (0x09, name),
            (0x0A, b"1".to_vec()),
            (0x0B, vec![1]),
            (0x0C, vec![0x11, 0x01, 0x01]),
            (0x0D, vec![0x19, 0x81, 0x01, 0x01]),
        ])
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
    }

    #[test]
    fn a_good_card_decodes_every_item() {
        let c = parse(&sample_ef05(), &sample_ef06(), &[0x00, 0x81], today()).unwrap();
        assert_eq!(c.region_code, "639900");
        assert_eq!(c.name, "张三");
        assert_eq!(c.gender, Gender::Male);
        assert_eq!(c.ethnicity, "01");
        assert_eq!(c.birthplace, "110101");
        assert_eq!(c.atr_historical, "0081");
        assert!(!format!("{c:?}").contains("111111198101011110"));
    }

    #[test]
    fn name_extension_is_appended() {
        let mut ef06 = sample_ef06();
        ef06.insert(0x4E, encoding_rs::GBK.encode("丰").0.to_vec());
        let c = parse(&sample_ef05(), &ef06, &[], today()).unwrap();
        assert_eq!(c.name, "张三丰");
    }

    #[test]
    fn each_inconsistency_has_its_own_error() {
        let mut ef06 = sample_ef06();
        ef06.insert(0x08, b"111111198101011111".to_vec());
        assert!(matches!(
            parse(&sample_ef05(), &ef06, &[], today()),
            Err(CardError::InvalidData {
                field: "社会保障号码",
                ..
            })
        ));

        let mut ef06 = sample_ef06();
        ef06.insert(0x0D, vec![0x19, 0x81, 0x01, 0x02]);
        assert!(matches!(
            parse(&sample_ef05(), &ef06, &[], today()),
            Err(CardError::InvalidData {
                field: "出生日期",
                ..
            })
        ));

        let mut ef06 = sample_ef06();
        ef06.insert(0x09, vec![0x81, 0x20, 0x00]);
        assert!(matches!(
            parse(&sample_ef05(), &ef06, &[], today()),
            Err(CardError::InvalidData {
                field: "姓名", ..
            })
        ));

        let mut ef05 = sample_ef05();
        ef05.insert(6, vec![0x20, 0x25, 0x01, 0x01]);
        assert!(matches!(
            parse(&ef05, &sample_ef06(), &[], today()),
            Err(CardError::Expired { .. })
        ));

        let mut ef05 = sample_ef05();
        ef05.insert(1, vec![0; 16]);
        assert!(matches!(
            parse(&ef05, &sample_ef06(), &[], today()),
            Err(CardError::BlankCard(_))
        ));

        let mut ef06 = sample_ef06();
        ef06.remove(&0x0A);
        assert!(matches!(
            parse(&sample_ef05(), &ef06, &[], today()),
            Err(CardError::UnreadableRecord { tag: 0x0A, .. })
        ));
    }
}
