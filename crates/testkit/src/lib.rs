//! Test support for inzage: the synthetic fixture estate generator and the
//! fixture test servers (OData CRM, WoningNet REST).

pub mod estate;
pub mod estate2;
pub mod postgres;
pub mod servers;
pub mod size;

pub use estate::{build, generate, load_stories, EstateConfig, EstateSummary, StoriesFile, Story};
