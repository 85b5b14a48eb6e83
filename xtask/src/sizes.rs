//! What the distributable weighs on the wire: gzip and brotli sizes of each file, and where the
//! wasm's bytes go, crate by crate (from `twiggy`'s per-item sizes of a name-keeping copy).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// A file's size as stored and as compressed the way CDNs serve it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Compressed {
    /// Bytes on disk.
    pub raw: u64,
    /// gzip at level 9.
    pub gzip: u64,
    /// brotli at quality 11 with a 4 MiB window (what static-asset pipelines precompress with).
    pub brotli: u64,
}

impl std::ops::Add for Compressed {
    type Output = Compressed;
    fn add(self, other: Compressed) -> Compressed {
        Compressed {
            raw: self.raw + other.raw,
            gzip: self.gzip + other.gzip,
            brotli: self.brotli + other.brotli,
        }
    }
}

/// Measures `path`.
pub fn compressed(path: &Path) -> Result<Compressed, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(Compressed {
        raw: bytes.len() as u64,
        gzip: gzip_len(&bytes)?,
        brotli: brotli_len(&bytes)?,
    })
}

fn gzip_len(bytes: &[u8]) -> Result<u64, String> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder
        .write_all(bytes)
        .and_then(|()| encoder.finish())
        .map(|out| out.len() as u64)
        .map_err(|e| format!("gzip: {e}"))
}

fn brotli_len(bytes: &[u8]) -> Result<u64, String> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)
        .map(|_| out.len() as u64)
        .map_err(|e| format!("brotli: {e}"))
}

/// Adds up `twiggy top --format csv` rows (`name,shallow size,...`) by the crate each item
/// comes from, largest first. The name section kept for this analysis is left out: the shipped
/// wasm has none.
pub fn by_crate(twiggy_csv: &str) -> Vec<(String, u64)> {
    let mut totals: BTreeMap<String, u64> = BTreeMap::new();
    for line in twiggy_csv.lines().skip(1) {
        let Some((name, rest)) = first_field(line) else {
            continue;
        };
        let size = rest
            .split(',')
            .next()
            .and_then(|s| s.trim().parse::<u64>().ok());
        let Some(size) = size else {
            continue;
        };
        if name.ends_with("names\" subsection") {
            continue;
        }
        *totals.entry(crate_of(&name)).or_default() += size;
    }
    let mut rows: Vec<(String, u64)> = totals.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    rows
}

/// Splits a CSV line's first field (quoted with `""` for a quote, or bare) from the rest.
fn first_field(line: &str) -> Option<(String, &str)> {
    let Some(quoted) = line.strip_prefix('"') else {
        let (field, rest) = line.split_once(',')?;
        return Some((field.to_owned(), rest));
    };
    let mut field = String::new();
    let mut chars = quoted.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '"' {
            field.push(c);
        } else if chars.peek().is_some_and(|(_, next)| *next == '"') {
            field.push('"');
            chars.next();
        } else {
            return Some((field, quoted[i + 1..].strip_prefix(',')?));
        }
    }
    None
}

/// The crate a twiggy item belongs to: the first path segment of its demangled name, looking
/// through `<`, `&` and `dyn` (or the trait's, for an impl on a type without a path); data
/// segments and unnamed items get buckets of their own.
pub fn crate_of(name: &str) -> String {
    if name.starts_with("data[") || name.starts_with("data segment") {
        return "(data segments: strings, tables, CSS)".into();
    }
    if name.starts_with("code[") || name.starts_with("import ") || name.starts_with("export ") {
        return "(unnamed code, imports, exports)".into();
    }
    let mut rest = name;
    loop {
        let trimmed = rest
            .trim_start_matches(['<', '&', '*', '(', '['])
            .trim_start_matches("mut ")
            .trim_start_matches("const ")
            .trim_start_matches("dyn ")
            .trim_start_matches("impl ");
        if trimmed.len() == rest.len() {
            break;
        }
        rest = trimmed;
    }
    let segment: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    // v0-mangled names carry the crate's disambiguator: `core[c5930c85a12de822]::fmt`.
    let after = &rest[segment.len()..];
    let after = match after.strip_prefix('[') {
        Some(tail) => tail.split_once(']').map_or("", |(_, t)| t),
        None => after,
    };
    let is_path = after.starts_with("::");
    if segment.is_empty() || !is_path {
        // `<T as core::fmt::Write>::write_str`, `<f64 as Display>`: the trait's crate.
        return match rest.split_once(" as ") {
            Some((_, tail)) => crate_of(tail),
            None => "(wasm sections and other items)".into(),
        };
    }
    match segment.as_str() {
        "core" | "alloc" | "std" => format!("{segment} (Rust standard library)"),
        _ => segment,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_attributed_to_their_crate() {
        assert_eq!(
            crate_of("yew::html::component::lifecycle::Runner::run"),
            "yew"
        );
        assert_eq!(
            crate_of(
                "<serde_json::de::Deserializer<R> as serde_core::de::Deserializer>::deserialize_any"
            ),
            "serde_json"
        );
        assert_eq!(
            crate_of("core::fmt::Formatter::pad_integral"),
            "core (Rust standard library)"
        );
        assert_eq!(
            crate_of("<&mut T as core::fmt::Write>::write_str"),
            "core (Rust standard library)"
        );
        assert_eq!(
            crate_of("<f64 as core[c5930c85a12de822]::fmt::Display>::fmt"),
            "core (Rust standard library)"
        );
        assert_eq!(
            crate_of("<dlmalloc[e24a27700634d609]::dlmalloc::Dlmalloc<A>>::malloc"),
            "dlmalloc"
        );
        assert_eq!(crate_of("data[3]"), "(data segments: strings, tables, CSS)");
        assert_eq!(
            crate_of("data segment \".rodata.36\""),
            "(data segments: strings, tables, CSS)"
        );
        assert_eq!(crate_of("code[12]"), "(unnamed code, imports, exports)");
        assert_eq!(
            crate_of("\"function names\" subsection"),
            "(wasm sections and other items)"
        );
    }

    #[test]
    fn rows_are_added_up_by_crate_largest_first() {
        let csv = "Name,ShallowSize,ShallowSizePercent,RetainedSize,RetainedSizePercent\n\
                   \"\"\"function names\"\" subsection\",999,27.0,,\n\
                   yew::a,100,1.0,,\n\
                   \"<yew::b<T, U> as core::clone::Clone>::clone\",50,0.5,,\n\
                   serde_json::c,120,1.2,,\n\
                   \"data segment \"\".rodata.3\"\"\",7,0.1,,\n";
        assert_eq!(
            by_crate(csv),
            vec![
                ("yew".to_owned(), 150),
                ("serde_json".to_owned(), 120),
                ("(data segments: strings, tables, CSS)".to_owned(), 7),
            ]
        );
    }

    #[test]
    fn compressed_sizes_are_smaller_for_repetitive_text() {
        let dir = std::env::temp_dir().join(format!("xtask-sizes-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let file = dir.join("a.txt");
        std::fs::write(&file, "encore ".repeat(1000)).expect("write");
        let size = compressed(&file).expect("measure");
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(size.raw, 7000);
        assert!(size.gzip > 0 && size.gzip < 200, "{size:?}");
        assert!(size.brotli > 0 && size.brotli < 200, "{size:?}");
    }
}
