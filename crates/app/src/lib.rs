//! The use cases of inzage as library functions: export (access and
//! portability, with live progress per source), find, the request life
//! cycle, deliver, verify and check. The CLI and the web app are thin front
//! ends over this crate, so nothing is written twice.
//!
//! Every function returns an [`AppError`], whose kind says how a front end
//! answers (the CLI's exit code, the web app's message beside a field).

pub mod check;
pub mod deliver;
pub mod error;
pub mod estate;
pub mod export;
pub mod find;
pub mod index;
pub mod receivers;
pub mod requests;
pub mod staff;
pub mod verify;

pub use error::{AppError, Field, Problem};
pub use estate::load_config;
