//! The templates (minijinja, auto-escaping every `.html`), rendered with
//! the page's language, the corporation's name and the session's CSRF token.

use std::sync::OnceLock;

use axum::response::Html;
use inzage_core::Lang;
use minijinja::{context, Environment, UndefinedBehavior, Value};

use crate::state::Shared;
use crate::texts::{code, text, texts};

fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        // A form shown for the first time has no values or errors yet.
        env.set_undefined_behavior(UndefinedBehavior::Chainable);
        for (name, source) in [
            ("base.html", include_str!("../templates/base.html")),
            ("login.html", include_str!("../templates/login.html")),
            ("find.html", include_str!("../templates/find.html")),
            ("requests.html", include_str!("../templates/requests.html")),
            (
                "request_new.html",
                include_str!("../templates/request_new.html"),
            ),
            ("request.html", include_str!("../templates/request.html")),
            ("export.html", include_str!("../templates/export.html")),
            ("review.html", include_str!("../templates/review.html")),
            ("bundle.html", include_str!("../templates/bundle.html")),
            ("error.html", include_str!("../templates/error.html")),
        ] {
            env.add_template(name, source)
                .expect("the templates are valid (checked by the tests)");
        }
        env
    })
}

/// Who sees the page.
pub struct Viewer<'a> {
    /// The staff member, when logged in.
    pub staff: Option<&'a str>,
    /// The session's CSRF token.
    pub csrf: &'a str,
    /// The page language.
    pub lang: Lang,
    /// The page's path (for the language switch to come back to).
    pub path: &'a str,
}

/// Renders template `name` with the title text `title_key` and the page's
/// own values.
pub fn render(
    shared: &Shared,
    viewer: &Viewer<'_>,
    name: &str,
    title: &str,
    page: Value,
) -> Result<Html<String>, minijinja::Error> {
    let other = match viewer.lang {
        Lang::Nl => Lang::En,
        Lang::En => Lang::Nl,
    };
    let ctx = context! {
        lang => code(viewer.lang),
        other_lang => code(other),
        t => texts(viewer.lang),
        org => shared.organisation.clone(),
        staff => viewer.staff,
        csrf => viewer.csrf,
        path => viewer.path,
        title => title,
        ..page
    };
    environment()
        .get_template(name)
        .and_then(|t| t.render(ctx))
        .map(Html)
}

/// A page title from its key.
pub fn title(lang: Lang, key: &str) -> &'static str {
    text(lang, key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_renders_and_escapes_what_it_is_given() {
        let organisation: inzage_core::register::Organisation = toml::from_str(
            "name = \"<b>Corp</b>\"\nprivacy_contact = \"p@example.org\"\nsupervisory_authority = \"AP\"\nautomated_decision_making = \"Geen.\"",
        )
        .unwrap();
        let shared = Shared::new("c.toml".into(), "w".into(), &organisation, None, false);
        for lang in [Lang::Nl, Lang::En] {
            let viewer = Viewer {
                staff: Some("<i>staff</i>"),
                csrf: "token",
                lang,
                path: "/",
            };
            for name in [
                "login.html",
                "find.html",
                "requests.html",
                "request_new.html",
                "request.html",
                "export.html",
                "review.html",
                "bundle.html",
                "error.html",
            ] {
                let html = render(&shared, &viewer, name, "<t>", context! {})
                    .unwrap_or_else(|e| panic!("{name}: {e}"))
                    .0;
                assert!(html.contains(&format!("lang=\"{}\"", code(lang))), "{name}");
                assert!(
                    !html.contains("<b>Corp") && !html.contains("<i>staff"),
                    "{name}"
                );
                assert!(!html.contains("<script>"), "{name}: no inline script");
            }
        }
    }
}
