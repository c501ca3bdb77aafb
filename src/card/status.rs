//! ISO/IEC 7816-4 §5.6 status words beyond `90 00` that a card of another vendor answers with,
//! and what the reader makes of them. Processing completed with a *warning* (`62 xx`, `63 xx`)
//! means the command did what was asked; whether its data can be used depends on the warning and
//! the command, so each accepted pair is listed here and nothing else is:
//!
//! | SW | meaning (§5.6) | accepted for | why |
//! |---|---|---|---|
//! | `62 00` | warning, no information given | SELECT, READ RECORD, GET RESPONSE | state unchanged, data complete |
//! | `62 82` | end of file or record reached before Le bytes | READ RECORD, GET RESPONSE | the record is shorter than the Le = 00 asked for; its TLV says its own length |
//! | `62 84` | FCI not formatted according to ISO | SELECT | the reader uses no FCI |
//!
//! Refused: `62 81` (part of the data may be corrupted), `62 83` (selected file deactivated: the
//! card is invalidated), every other `62 xx`/`63 xx` (`63 Cx` only as EXTERNAL AUTHENTICATE's
//! retry counter, in the session). The chained and length cases — `61 xx` (GET RESPONSE),
//! `6C xx` (resend with Le = xx), `67 00` (resend once with Le = 00; to Le = 00 itself, once
//! with an extended Le or, for one record, with its own length) — are followed up in
//! [`super::session`] before this table applies.

use super::apdu;

const INS_SELECT: u8 = 0xA4;
const INS_READ_RECORD: u8 = 0xB2;
const INS_GET_RESPONSE: u8 = 0xC0;

/// Whether the warning `sw` after command `ins` still delivered usable data.
pub fn accepted_warning(ins: u8, sw: u16) -> bool {
    matches!(
        (ins, sw),
        (INS_SELECT | INS_READ_RECORD | INS_GET_RESPONSE, 0x6200)
            | (INS_READ_RECORD | INS_GET_RESPONSE, 0x6282)
            | (INS_SELECT, 0x6284)
    )
}

/// `sw` as the session treats it: an accepted warning counts as `90 00`.
pub fn normalised(ins: u8, sw: u16) -> u16 {
    if accepted_warning(ins, sw) {
        apdu::SW_OK
    } else {
        sw
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_table_accepts_exactly_its_pairs() {
        assert!(accepted_warning(INS_READ_RECORD, 0x6282));
        assert!(accepted_warning(INS_SELECT, 0x6284));
        assert!(
            !accepted_warning(INS_READ_RECORD, 0x6281),
            "possibly corrupted"
        );
        assert!(!accepted_warning(INS_SELECT, 0x6283), "deactivated");
        assert!(
            !accepted_warning(0x82, 0x63C2),
            "a retry counter is no success"
        );
    }

    proptest! {
        /// Only warnings become success; errors (`64 xx`–`6F xx`) and the chaining words never do.
        #[test]
        fn no_error_status_is_ever_taken_for_success(ins in any::<u8>(), sw in any::<u16>()) {
            let n = normalised(ins, sw);
            if n == apdu::SW_OK && sw != apdu::SW_OK {
                prop_assert!(sw >> 8 == 0x62, "{sw:04X} after {ins:02X}");
            }
        }
    }
}
