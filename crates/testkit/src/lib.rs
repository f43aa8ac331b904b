//! Test support for inzage: the synthetic fixture estate generator.

pub mod estate;
pub mod postgres;

pub use estate::{build, generate, load_stories, EstateConfig, EstateSummary, StoriesFile, Story};
