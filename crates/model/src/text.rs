//! Attacker-controlled text made safe to *show*: subjects, display names, file names and folder
//! names come from the mailbox, and a reader must see what they say, not what they were crafted
//! to look like. Shared by every writer of human-facing text (act's reports, pii's scope.md).

/// Replaces control characters (line breaks, tabs …) with a space and bidirectional overrides
/// (U+202A–U+202E, U+2066–U+2069, used to disguise `exe.pdf` as `fdp.exe`) with U+FFFD.
pub fn neutralize(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => '\u{FFFD}',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn controls_and_bidi_overrides_are_neutralized() {
        assert_eq!(super::neutralize("a\nb\tc"), "a b c");
        assert_eq!(super::neutralize("x\u{202E}fdp.exe"), "x\u{FFFD}fdp.exe");
        assert_eq!(super::neutralize("社員名簿.xlsx"), "社員名簿.xlsx");
    }
}
