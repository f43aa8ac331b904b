//! End-to-end tests: the `inzage` binary on the fixture estate.

mod archive;
mod attachments;
mod bad_input;
mod cli;
mod config_check;
mod estate2;
mod faults;
mod http;
mod logs;
mod mail;
mod new_source;
mod portability;
mod postgres;
mod protect;
mod report;
mod report_checks;
mod requests;
mod stories;
mod support;
mod web;
