//! The store config file: any text gives a validated config or an error with a message.

#![no_main]

use encore_server::ServerConfig;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let env = |var: &str| Some(format!("{var}-from-the-environment-0123456789abcdef"));
    if let Err(e) = ServerConfig::from_toml_str_with_env(text, env) {
        assert!(!e.to_string().is_empty());
    }
});
