//! sskiosk: the one-window backend. The binary's commands (src/main.rs) and the integration
//! tests use this library; see docs/architecture.md for how the layers fit.

pub mod audit;
pub mod card;
pub mod center;
pub mod certificate;
pub mod checks;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod devices;
pub mod domain;
pub mod hall;
pub mod import;
pub mod log_lines;
pub mod logging;
pub mod print;
pub mod private_file;
pub mod protocol;
pub mod record;
pub mod staff;
pub mod terminal;
pub mod web;
pub mod window;
