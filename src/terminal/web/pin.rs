//! `POST /api/kiosk/pin`: the PIN the citizen typed on the screen's PIN pad, for the card of the
//! session waiting for it. It goes to the card (VERIFY) on this terminal and nowhere else: not
//! to the center, not to a log, not kept.

use super::gate::KioskClient;
use crate::card::PinCheck;
use crate::terminal::kiosk::PinFailure;
use crate::web::error::{ApiError, ErrorBody};
use actix_web::{post, web, HttpResponse};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PinEntry {
    /// The 6 digits of the card's PIN.
    pin: String,
}

/// Never print the PIN.
impl std::fmt::Debug for PinEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PinEntry(<redacted>)")
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct PinAnswer {
    /// `verified` (the session's data opens), `wrong` (with the tries left) or `blocked`.
    pub outcome: &'static str,
    pub tries_left: Option<u8>,
}

/// Half-width digits only, 6 of them; full-width digits (a pasted PIN) are taken as digits.
fn digits(pin: &str) -> Option<String> {
    let out: String = pin
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            c => c,
        })
        .collect();
    (out.len() == 6 && out.bytes().all(|b| b.is_ascii_digit())).then_some(out)
}

/// The card checks the PIN; the answer says what the screen shows next.
#[utoipa::path(tag = "kiosk", request_body = PinEntry, responses((status = 200, body = PinAnswer), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 503, body = ErrorBody)))]
#[post("/api/kiosk/pin")]
pub async fn enter(
    client: KioskClient,
    body: web::Json<PinEntry>,
) -> Result<HttpResponse, ApiError> {
    let pin = digits(&body.into_inner().pin).ok_or(ApiError::Unprocessable {
        code: "pin_invalid",
        message: "密码为6位数字".into(),
    })?;
    let kiosk = client.0;
    let checked = web::block(move || kiosk.enter_pin(&pin)).await?;
    let answer = match checked {
        None => {
            return Err(ApiError::Conflict {
                code: "no_pin_pending",
                message: "请先插入社保卡".into(),
            })
        }
        Some(Err(PinFailure::Card)) => {
            return Err(ApiError::Unprocessable {
                code: "card_unreadable",
                message: "读卡失败，请不要拔出卡片，重新输入密码".into(),
            })
        }
        Some(Err(PinFailure::Center)) => {
            return Err(ApiError::Unavailable("the center did not answer".into()))
        }
        Some(Ok(PinCheck::Verified)) => PinAnswer {
            outcome: "verified",
            tries_left: None,
        },
        Some(Ok(PinCheck::Wrong { tries_left })) => PinAnswer {
            outcome: "wrong",
            tries_left: Some(tries_left),
        },
        Some(Ok(PinCheck::Blocked)) => PinAnswer {
            outcome: "blocked",
            tries_left: Some(0),
        },
    };
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(answer))
}

#[cfg(test)]
mod tests {
    use super::digits;

    #[test]
    fn a_pin_is_six_digits_full_width_ones_included() {
        assert_eq!(digits("123456").as_deref(), Some("123456"));
        assert_eq!(digits("１２３４５６").as_deref(), Some("123456"));
        for bad in ["12345", "1234567", "12a456", "", "12 456", "１２３"] {
            assert!(digits(bad).is_none(), "{bad}");
        }
    }
}
