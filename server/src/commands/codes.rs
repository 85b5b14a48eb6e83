//! `encore-server codes mint`: printable QR surprise codes of a campaign, as a CSV and A4 sheets.

use super::load_config;
use crate::cli::CodesCommand;
use encore_server::surprise::sheet::{self, MintRequest};
use std::path::Path;

/// Runs one `codes` subcommand.
pub(crate) fn run(command: CodesCommand) -> Result<(), String> {
    match command {
        CodesCommand::Mint {
            config,
            store,
            campaign,
            count,
            from,
            no_sheets,
            out,
        } => mint_codes(&config, &store, campaign, count, from, !no_sheets, &out),
    }
}

/// `codes mint`: the CSV and the printable sheets of `count` codes from serial `from`.
fn mint_codes(
    config: &Path,
    store: &str,
    campaign: u16,
    count: u32,
    from: u32,
    sheets: bool,
    out: &Path,
) -> Result<(), String> {
    let config = load_config(config)?;
    let started = std::time::Instant::now();
    let request = MintRequest {
        store,
        campaign,
        count,
        from,
        sheets,
    };
    let minted = sheet::mint(&config, &request, out).map_err(|e| e.to_string())?;
    eprintln!(
        "minted {minted} code(s) of campaign {campaign} into {} in {:.2} s{}",
        out.display(),
        started.elapsed().as_secs_f64(),
        if sheets {
            format!(", {} per sheet", sheet::LABELS_PER_PAGE)
        } else {
            String::new()
        }
    );
    Ok(())
}
