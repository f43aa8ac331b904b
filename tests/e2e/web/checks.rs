//! Every page of the app checked by the tools the report is checked by
//! (tests/e2e/report_checks.rs): the Nu HTML Checker on the HTML the
//! server sends, and axe-core (WCAG 2.1 A/AA and its best practices:
//! landmarks, one h1, headings in order) in the real browser, at
//! 1280 px and at 640 px (what 200 % zoom leaves), where no page may
//! scroll sideways, in Dutch and in English; and every
//! `aria-describedby` names a message that is there.

use crate::report_checks::{no_vnu_errors, tool};

use super::*;

/// Runs axe-core in the page the browser shows; returns the violations
/// and whether the page scrolls sideways. WebDriver's script runs outside
/// the page's Content-Security-Policy, which stays in force for the page.
async fn axe(c: &Client, axe_js: &str) -> (Vec<serde_json::Value>, bool) {
    c.execute(&format!("{axe_js}\nreturn 1;"), vec![])
        .await
        .unwrap();
    let r = c
        .execute_async(
            "var done = arguments[arguments.length - 1];
             axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })
               .then(function (r) { done({
                 violations: r.violations.map(function (v) { return { id: v.id, help: v.help, nodes: v.nodes.slice(0, 3).map(function (n) { return n.target.join(' '); }) }; }),
                 sideways: document.documentElement.scrollWidth > document.documentElement.clientWidth,
                 dangling: Array.prototype.slice.call(document.querySelectorAll('[aria-describedby]'))
                   .filter(function (e) { return e.getAttribute('aria-describedby').split(' ').some(function (i) { return !document.getElementById(i); }); })
                   .map(function (e) { return e.id; })
               }); });",
            vec![],
        )
        .await
        .unwrap();
    let mut violations = r["violations"].as_array().unwrap().clone();
    // A description that is not there: screen readers read nothing.
    for id in r["dangling"].as_array().unwrap() {
        violations.push(serde_json::json!({ "id": "aria-describedby-dangling", "field": id }));
    }
    (violations, r["sideways"].as_bool().unwrap())
}

#[test]
fn every_app_page_passes_the_nu_html_checker_and_axe() {
    let Some(vnu) = tool("INZAGE_VNU_JAR", "vnu-jar/build/dist/vnu.jar") else {
        return;
    };
    let Some(axe_path) = tool("INZAGE_AXE_JS", "axe-core/axe.min.js") else {
        return;
    };
    let Some((_driver, port)) = chromedriver() else {
        return;
    };
    let axe_js = std::fs::read_to_string(axe_path).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config = config_with(dir.path(), |c| c);
    let (_server, login) = serve(&config, &dir.path().join("work"));
    let base = base(&login);
    let pages_dir = dir.path().join("pages");
    std::fs::create_dir_all(&pages_dir).unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let c = browser(port, &dir.path().join("profile"), &dir.path().join("dl")).await;
        // The login page, before anyone logged in.
        c.goto(&login).await.unwrap();
        let mut checked: Vec<(String, Vec<serde_json::Value>, bool)> = Vec::new();
        let (v, s) = axe(&c, &axe_js).await;
        checked.push(("login".into(), v, s));
        let (_, _, html) = http_async("GET", &format!("{base}/login"), None, None).await;
        std::fs::write(pages_dir.join("login.html"), html).unwrap();
        fill(&c, "#name", "M. de Wit").await;
        submit(&c, "/login").await;
        wait_for(&c, "nav", Duration::from_secs(10)).await;
        let id = browser_open_verified(&c, &base, TENANT, "access").await;
        browser_export(&c, &base, &id, &[]).await;
        // The same session for the raw HTML the server sends.
        let cookie = format!(
            "inzage_session={}",
            c.get_named_cookie("inzage_session").await.unwrap().value()
        );
        let (_, _, page) = http_async("GET", &format!("{base}/find"), Some(&cookie), None).await;
        let csrf = csrf_of(&page);
        let get = |path: String| {
            let (url, cookie) = (format!("{base}{path}"), cookie.clone());
            async move { (path, http_async("GET", &url, Some(&cookie), None).await.2) }
        };
        let post = |path: &str, form: String| {
            let (url, cookie) = (format!("{base}{path}"), cookie.clone());
            async move { http_async("POST", &url, Some(&cookie), Some(&form)).await.2 }
        };
        // A request still waiting for the identity check (its verify form).
        let today = chrono::Utc::now().date_naive();
        let opened = http_async(
            "POST",
            &format!("{base}/requests"),
            Some(&cookie),
            Some(&format!(
                "csrf={csrf}&customer={}&kind=portability&received={today}&channel=post",
                story("mover").klantnummer
            )),
        )
        .await;
        assert_eq!(opened.0, 303);
        let waiting = opened.1["location"].to_str().unwrap().to_string();
        let mut pages: Vec<(&str, String, String)> = Vec::new();
        for (name, path) in [
            ("find", "/find".to_string()),
            ("requests", "/requests".into()),
            ("new-request", "/requests/new".into()),
            ("request", format!("/requests/{id}")),
            ("request-unverified", waiting.clone()),
            ("export", format!("/requests/{id}/export")),
            ("review", format!("/requests/{id}/review")),
        ] {
            let (path, html) = get(path).await;
            pages.push((name, path, html));
        }
        // Results, and a form with a message beside a field.
        for (name, path, form) in [
            (
                "results-number",
                "/find/number",
                format!("csrf={csrf}&number_kind=customer&number={TENANT}"),
            ),
            (
                "results-name",
                "/find",
                format!("csrf={csrf}&name=Marloes+N%C3%BCsken&born=1989-05-05&postcode="),
            ),
            (
                "find-error",
                "/find/number",
                format!("csrf={csrf}&number_kind=contract&number=12"),
            ),
        ] {
            pages.push((name, String::new(), post(path, form).await));
        }
        // Final after the review: the bundle page with download and preview.
        browser_review(&c, &base, &id).await;
        let (path, html) = get(format!("/requests/{id}/bundle")).await;
        pages.push(("bundle", path, html));
        for (name, path, html) in &pages {
            assert!(
                html.contains("<main"),
                "{name}: a page, not an error: {html}"
            );
            std::fs::write(pages_dir.join(format!("{name}.html")), html).unwrap();
            if path.is_empty() {
                continue;
            }
            for width in [1280, 640] {
                c.set_window_size(width, 1000).await.unwrap();
                c.goto(&format!("{base}{path}")).await.unwrap();
                wait_for(&c, "main", Duration::from_secs(10)).await;
                let (v, s) = axe(&c, &axe_js).await;
                checked.push((format!("{name} at {width} px"), v, s));
            }
        }
        // The result pages, reached by their forms in the browser.
        c.set_window_size(1280, 1000).await.unwrap();
        let contract = story("co-tenant").contractnummers[0].clone();
        for (name, kind, value) in [
            ("results-customer", "customer", TENANT),
            ("results-contract", "contract", contract.as_str()),
            ("find-error", "contract", "12"),
        ] {
            c.goto(&format!("{base}/find")).await.unwrap();
            c.find(Locator::Css("#number_kind"))
                .await
                .unwrap()
                .select_by_value(kind)
                .await
                .unwrap();
            fill(&c, "#number", value).await;
            let before = c.find(Locator::Css("html")).await.unwrap();
            submit(&c, "/find/number").await;
            gone(&before).await;
            wait_for(&c, "main", Duration::from_secs(30)).await;
            c.execute(
                "var e = document.getElementById('found') || document.getElementById('number-err'); if (e) { e.scrollIntoView(); } return 1;",
                vec![],
            )
            .await
            .unwrap();
            screenshot(&c, &format!("15-find-{name}")).await;
            let (v, s) = axe(&c, &axe_js).await;
            checked.push((name.to_string(), v, s));
        }
        // The same pages in English, by the switch at the top.
        c.goto(&format!("{base}/find")).await.unwrap();
        let before = c.find(Locator::Css("html")).await.unwrap();
        submit(&c, "/lang").await;
        gone(&before).await;
        for (name, path, _) in pages.iter().filter(|(_, path, _)| !path.is_empty()) {
            let (_, html) = get(path.clone()).await;
            assert!(html.contains("<html lang=\"en\""), "{name} in English");
            std::fs::write(pages_dir.join(format!("{name}-en.html")), html).unwrap();
            c.goto(&format!("{base}{path}")).await.unwrap();
            wait_for(&c, "main", Duration::from_secs(10)).await;
            let (v, s) = axe(&c, &axe_js).await;
            checked.push((format!("{name} in English"), v, s));
        }
        c.close().await.unwrap();
        let failures: Vec<String> = checked
            .iter()
            .filter(|(_, v, s)| !v.is_empty() || *s)
            .map(|(name, v, s)| {
                format!(
                    "{name}: {}{}",
                    serde_json::to_string_pretty(v).unwrap(),
                    if *s { " and it scrolls sideways" } else { "" }
                )
            })
            .collect();
        assert!(failures.is_empty(), "axe-core:\n{}", failures.join("\n"));
        assert!(
            checked.len() >= 17,
            "every page was checked: {}",
            checked.len()
        );
    });
    let files: Vec<PathBuf> = std::fs::read_dir(&pages_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(files.len() >= 20, "{files:?}");
    no_vnu_errors(&vnu, &files);
}
