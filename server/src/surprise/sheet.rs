//! Printable code sheets and the `codes mint` CLI: a CSV of serials, codes and URLs, and A4 SVG
//! pages of labels, each a QR code of the code's URL with the human-readable code under it.

use crate::config::ServerConfig;
use encore_core::qr;
use encore_core::surprise::code::{self, CodeId};
use std::fmt::{self, Write as _};
use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Labels per A4 page: 3 columns of 4 rows.
pub const LABELS_PER_PAGE: usize = 12;
const COLUMNS: usize = 3;
/// A label's size in millimetres, and the QR code's side inside it.
const LABEL_W: f64 = 70.0;
const LABEL_H: f64 = 74.25;
const QR_SIDE: f64 = 52.0;

/// Why minting failed.
#[derive(Debug)]
pub enum MintError {
    /// No such store or campaign in the config.
    Unknown(String),
    /// The serials would run past 2^31 (the range above is the demo's).
    SerialRange,
    /// A URL too long for a QR code.
    TooLong(String),
    /// The output could not be written.
    Io(std::io::Error),
}

impl fmt::Display for MintError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MintError::Unknown(what) => write!(f, "{what}"),
            MintError::SerialRange => {
                f.write_str("serials must stay between 1 and 2147483647; lower --from or --count")
            }
            MintError::TooLong(url) => write!(f, "the URL {url} is too long for a QR code"),
            MintError::Io(e) => write!(f, "cannot write the codes: {e}"),
        }
    }
}

impl std::error::Error for MintError {}

impl From<std::io::Error> for MintError {
    fn from(e: std::io::Error) -> Self {
        MintError::Io(e)
    }
}

/// What `codes mint` asks for.
#[derive(Debug, Clone)]
pub struct MintRequest<'a> {
    /// The store.
    pub store: &'a str,
    /// The campaign number.
    pub campaign: u16,
    /// How many codes.
    pub count: u32,
    /// The first serial.
    pub from: u32,
    /// Whether to write SVG sheets beside the CSV.
    pub sheets: bool,
}

/// Writes `out/codes.csv` and, when asked, `out/sheet-NNNN.svg`; returns how many codes.
pub fn mint(
    config: &ServerConfig,
    request: &MintRequest<'_>,
    out: &Path,
) -> Result<u32, MintError> {
    let store = config
        .store(request.store)
        .ok_or_else(|| MintError::Unknown(format!("no store {:?} in the config", request.store)))?;
    let campaign = store.surprise.campaign(request.campaign).ok_or_else(|| {
        MintError::Unknown(format!(
            "store {:?} has no surprise campaign {}",
            store.id, request.campaign
        ))
    })?;
    let last = u64::from(request.from) + u64::from(request.count);
    if request.from == 0 || last > 0x8000_0000 {
        return Err(MintError::SerialRange);
    }
    std::fs::create_dir_all(out)?;
    let mut csv = BufWriter::new(std::fs::File::create(out.join("codes.csv"))?);
    writeln!(csv, "serial,code,url")?;
    let mut labels = Vec::with_capacity(if request.sheets {
        request.count as usize
    } else {
        0
    });
    for serial in request.from..request.from + request.count {
        let text = code::mint(
            CodeId {
                campaign: campaign.id,
                serial,
            },
            campaign.key.as_bytes(),
        );
        let url = campaign.url_for(&text);
        writeln!(csv, "{serial},{text},{url}")?;
        if request.sheets {
            labels.push((text, url));
        }
    }
    csv.flush()?;
    write_pages(out, &labels)?;
    Ok(request.count)
}

/// Writes `labels` as numbered pages, on every core: choosing each QR code's mask is the slow
/// part, and pages are independent.
fn write_pages(out: &Path, labels: &[(String, String)]) -> Result<(), MintError> {
    let pages: Vec<&[(String, String)]> = labels.chunks(LABELS_PER_PAGE).collect();
    let next = AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| -> Result<(), MintError> {
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(page) = pages.get(index) else {
                            return Ok(());
                        };
                        write_page(out, index + 1, page)?;
                    }
                })
            })
            .collect();
        handles.into_iter().try_for_each(|h| {
            h.join()
                .unwrap_or_else(|_| Err(MintError::Unknown("a sheet writer panicked".into())))
        })
    })
}

fn write_page(out: &Path, number: usize, labels: &[(String, String)]) -> Result<(), MintError> {
    let svg = page(labels)?;
    std::fs::write(out.join(format!("sheet-{number:04}.svg")), svg)?;
    Ok(())
}

/// One A4 page (millimetres) of up to [`LABELS_PER_PAGE`] `(code, url)` labels.
pub fn page(labels: &[(String, String)]) -> Result<String, MintError> {
    let mut svg = String::with_capacity(labels.len() * 4096);
    svg.push_str(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"210mm\" height=\"297mm\" \
         viewBox=\"0 0 210 297\"><rect width=\"210\" height=\"297\" fill=\"#fff\"/>",
    );
    for (i, (text, url)) in labels.iter().take(LABELS_PER_PAGE).enumerate() {
        let drawing = qr::draw(url).ok_or_else(|| MintError::TooLong(url.clone()))?;
        let x = (i % COLUMNS) as f64 * LABEL_W;
        let y = (i / COLUMNS) as f64 * LABEL_H;
        let scale = QR_SIDE / drawing.size as f64;
        let qr_x = x + (LABEL_W - QR_SIDE) / 2.0;
        let qr_y = y + 6.0;
        // Codes and URLs are ours (base32 and the configured landing URL), but escape anyway.
        let _ = write!(
            svg,
            "<g><title>{url}</title><rect x=\"{x}\" y=\"{y}\" width=\"{LABEL_W}\" height=\"{LABEL_H}\" \
             fill=\"none\" stroke=\"#ccc\" stroke-width=\"0.2\" stroke-dasharray=\"1 1\"/>\
             <path transform=\"translate({qr_x} {qr_y}) scale({scale})\" fill=\"#000\" \
             shape-rendering=\"crispEdges\" d=\"{path}\"/>\
             <text x=\"{cx}\" y=\"{ty}\" font-family=\"ui-monospace, Menlo, Consolas, monospace\" \
             font-size=\"4.2\" text-anchor=\"middle\">{text}</text></g>",
            url = escape(url),
            path = drawing.path,
            cx = x + LABEL_W / 2.0,
            ty = qr_y + QR_SIDE + 6.0,
            text = escape(text),
        );
    }
    svg.push_str("</svg>");
    Ok(svg)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
