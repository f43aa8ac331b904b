//! End-to-end tests: the `inzage` binary on the fixture estate.

mod bad_input;
mod cli;
mod config_check;
mod new_source;
mod postgres;
mod stories;
mod support;
