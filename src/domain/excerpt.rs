//! What of a caller's input is repeated back (review D8: a 150 MB CSV header came back whole in
//! the answer and in one audit row). Any echoed value goes through [`excerpt`].

use std::borrow::Cow;

/// Characters of an input value repeated in a message: enough to recognise it.
pub const ECHO_CHARS: usize = 200;

/// `text` cut to [`ECHO_CHARS`] characters, saying how much was left out.
pub fn excerpt(text: &str) -> Cow<'_, str> {
    cut(text, ECHO_CHARS)
}

/// `text` cut to `max` characters (on a character boundary), saying how much was left out.
pub fn cut(text: &str, max: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => Cow::Borrowed(text),
        Some((end, _)) => {
            let left_out = text[end..].chars().count();
            Cow::Owned(format!("{}…({left_out} more characters)", &text[..end]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_kept_and_long_text_is_cut_on_a_character() {
        assert_eq!(excerpt("gender"), "gender");
        let long = "名".repeat(250);
        let shown = excerpt(&long);
        assert!(shown.starts_with(&"名".repeat(200)));
        assert!(shown.ends_with("…(50 more characters)"), "{shown}");
    }
}
