//! Plain-text tables for the command line: aligned columns, with cells stripped of control
//! characters so text that came from shoppers cannot move the cursor or recolour the terminal.

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

/// `text` without control characters, cut to `max` characters.
pub(crate) fn plain(text: &str, max: usize) -> String {
    let clean: String = text
        .chars()
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
}
