//! `index.html`: the person's report (GDPR art. 15), layered: a summary
//! first, then the merged view of the person, the purposes, the data per
//! system with its register information, and the rights.
//!
//! The template engine escapes every value for HTML; the page carries a
//! Content-Security-Policy that forbids scripts, and has a print layout.

pub mod format;
pub mod model;
pub mod texts;

use minijinja::Environment;

pub use model::ReportInput;

const TEMPLATE: &str = include_str!("../../templates/index.html");

/// Renders the report.
pub fn render_html(input: &ReportInput) -> Result<String, minijinja::Error> {
    let mut env = Environment::new();
    // Auto-escaping follows the template name: `.html` escapes for HTML.
    env.add_template("index.html", TEMPLATE)?;
    // Control characters from source data (NUL, ESC, ...) never reach the
    // page raw: they are shown as U+FFFD. Markup the templates mark safe is
    // written as it is.
    env.set_formatter(|out, state, value| match value.as_str() {
        Some(text) if !value.is_safe() && text.chars().any(crate::escape::is_unsafe_control) => {
            let clean = minijinja::Value::from(crate::escape::control_free(text).into_owned());
            minijinja::escape_formatter(out, state, &clean)
        }
        _ => minijinja::escape_formatter(out, state, value),
    });
    let model = model::build(input);
    env.get_template("index.html")?.render(&model)
}
