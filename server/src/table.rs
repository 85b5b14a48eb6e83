//! Plain-text tables for the command line: aligned columns, with cells stripped of control
//! characters and bidirectional formatting characters so text that came from shoppers cannot
//! move the cursor, recolour the terminal or reorder what the moderator reads.

/// `rows` under `headers`, columns padded to their widest cell, two spaces apart.
pub(crate) fn render(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: &[String]| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(cell, &width)| format!("{cell:<width$}"))
            .collect();
        out.push_str(padded.join("  ").trim_end());
        out.push('\n');
    };
    let headers: Vec<String> = headers.iter().map(|h| (*h).to_owned()).collect();
    line(&headers);
    for row in rows {
        line(row);
    }
    out
}

/// `text` without control characters or bidi controls, cut to `max` characters.
pub(crate) fn plain(text: &str, max: usize) -> String {
    let clean: String = text
        .chars()
        .filter(|&c| !is_bidi_control(c))
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let clean = clean.trim();
    if clean.chars().count() <= max {
        clean.to_owned()
    } else {
        let cut: String = clean.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

/// The invisible characters that change the display order of the text around them: the
/// embeddings and overrides (U+202A..U+202E), the isolates (U+2066..U+2069) and the marks
/// (LRM, RLM, ALM). A name with a RIGHT-TO-LEFT OVERRIDE shows "Mei\u{202E}gnp.exe" as
/// "Meiexe.png" and reverses the columns after it. They are not `char::is_control` (they are
/// format characters), so they need their own check. Letters of right-to-left scripts stay.
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
    )
}

#[cfg(test)]
mod tests {
    use super::{plain, render};

    #[test]
    fn columns_align_and_long_text_is_cut() {
        let text = render(
            &["A", "BB"],
            &[
                vec!["long cell".into(), "x".into()],
                vec!["y".into(), "z".into()],
            ],
        );
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0].find("BB"), lines[1].find('x'));
        assert_eq!(plain(&"x".repeat(10), 5), "xxxx…");
        assert_eq!(plain(" a\u{1b}b ", 5), "a b");
    }

    #[test]
    fn bidi_controls_are_stripped() {
        // A RIGHT-TO-LEFT OVERRIDE would show "Mei\u{202E}gnp.exe" as "Meiexe.png".
        assert_eq!(plain("Mei\u{202E}gnp.exe", 24), "Meignp.exe");
        for c in ('\u{202A}'..='\u{202E}')
            .chain('\u{2066}'..='\u{2069}')
            .chain(['\u{200E}', '\u{200F}', '\u{061C}'])
        {
            assert_eq!(plain(&format!("a{c}b"), 5), "ab", "U+{:04X}", u32::from(c));
        }
        // Scripts written right to left stay as they are.
        assert_eq!(plain("שלום", 5), "שלום");
    }
}
