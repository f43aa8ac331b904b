//! `inzage serve` in a real browser (Debian's chromium and chromedriver,
//! driven by fantoccini): the whole flow for a story tenant, with a
//! screenshot of every page in target/test-artefacts/web/; and the
//! security rules: CSRF, no session, XSS in source data, binding off
//! loopback without TLS.
//!
//! Without chromium or chromedriver the browser tests are skipped with a
//! message, unless INZAGE_REQUIRE_WEB_CHECKS=1 (set by `.ci/run`).

use std::io::{BufRead, BufReader, Read};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};

use crate::support::*;

mod checks;
mod concurrency;
mod encrypted;
mod failing_source;
mod find;
mod gate;
mod language;
mod portability;
mod receiver;
mod restart;
mod tls;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Markup that would run if it were not escaped: it sets `window.__xss`.
const XSS: &str = "<script>window.__xss=1</script><img src=x onerror=\"window.__xss=2\">";

/// The story tenant of the flow: the co-tenant story (fixtures/stories.json).
const TENANT: &str = "001001";

/// A process that is killed when the test ends, also on failure.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `inzage serve` on a free port for `config`; returns the server and
/// the login URL it printed.
fn serve(config: &Path, work: &Path) -> (Running, String) {
    serve_with(config, work, &[])
}

/// `inzage serve` with these variables in its environment (the URLs and
/// secrets of test servers the test started).
fn serve_with(config: &Path, work: &Path, env: &[(&str, &str)]) -> (Running, String) {
    let (server, line) = serve_as(config, work, &["--bind", "127.0.0.1:0"], env);
    let at = line.find("http").unwrap();
    (server, line[at..].trim().to_string())
}

/// `inzage serve` with these arguments and variables; returns the server
/// and the last line it printed before serving (the one with its URL).
fn serve_as(config: &Path, work: &Path, args: &[&str], env: &[(&str, &str)]) -> (Running, String) {
    let mut cmd = inzage();
    for (name, value) in env {
        cmd.env(name, value);
    }
    let mut child = cmd
        .arg("--config")
        .arg(config)
        .arg("serve")
        .args(args)
        .arg("--work-dir")
        .arg(work)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("inzage serve starts");
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let line = loop {
        let line = lines.next().expect("inzage serve prints its URL").unwrap();
        if line.contains("http://") || line.contains("https://") {
            break line;
        }
    };
    (Running(child), line)
}

fn base(login_url: &str) -> String {
    login_url.split("/login").next().unwrap().to_string()
}

/// chromedriver on a free port, or None (skipped) when it or chromium is absent.
fn chromedriver() -> Option<(Running, u16)> {
    if !(Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists()) {
        assert!(
            std::env::var("INZAGE_REQUIRE_WEB_CHECKS").is_err(),
            "chromium and chromedriver are needed for the web app's browser tests: apt-get install chromium chromium-driver (bash .ci/run installs them)"
        );
        eprintln!("skipped: {CHROMIUM} or {CHROMEDRIVER} missing (apt-get install chromium chromium-driver)");
        return None;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "chromedriver did not listen"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    Some((Running(child), port))
}

async fn browser(port: u16, profile: &Path, downloads: &Path) -> Client {
    let caps = serde_json::json!({
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--window-size=1280,1000",
                format!("--user-data-dir={}", profile.display()),
            ],
            "prefs": {
                "download.default_directory": downloads.display().to_string(),
                "download.prompt_for_download": false,
            }
        }
    });
    let serde_json::Value::Object(caps) = caps else {
        unreachable!()
    };
    ClientBuilder::rustls()
        .expect("a TLS-capable WebDriver client")
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("chromedriver accepts a session")
}

fn artefacts() -> PathBuf {
    let dir = root().join("target/test-artefacts/web");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn screenshot(c: &Client, name: &str) {
    let png = c.screenshot().await.expect("a screenshot");
    std::fs::write(artefacts().join(format!("{name}.png")), png).unwrap();
}

/// No markup from data or input ran, and the page has no inline script.
async fn inert(c: &Client, page: &str) {
    let ran = c
        .execute(
            "return [window.__xss || 0, document.querySelectorAll('script:not([src])').length];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        ran,
        serde_json::json!([0, 0]),
        "{page}: script ran or inline script present"
    );
}

async fn fill(c: &Client, css: &str, value: &str) {
    let field = c.find(Locator::Css(css)).await.unwrap();
    field.clear().await.unwrap();
    field.send_keys(value).await.unwrap();
}

async fn submit(c: &Client, form_action_suffix: &str) {
    c.find(Locator::Css(&format!(
        "form[action$='{form_action_suffix}'] button[type=submit], form[action$='{form_action_suffix}'] button"
    )))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
}

/// Clicks the element `css` names (which must be there).
async fn click(c: &Client, css: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// The text of the element `css` names (which must be there).
async fn text_of(c: &Client, css: &str) -> String {
    match c.find(Locator::Css(css)).await {
        Ok(e) => e.text().await.unwrap(),
        Err(_) => panic!(
            "{css} is not on the page: {}",
            c.source().await.unwrap_or_default()
        ),
    }
}

async fn wait_for(c: &Client, css: &str, limit: Duration) {
    let started = Instant::now();
    loop {
        if c.find(Locator::Css(css)).await.is_ok() {
            return;
        }
        assert!(
            started.elapsed() < limit,
            "{css} did not appear; page: {}",
            c.source().await.unwrap_or_default()
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// Logs the browser in with the one-time token as `name`.
async fn browser_login(c: &Client, login: &str, name: &str) {
    c.goto(login).await.unwrap();
    fill(c, "#name", name).await;
    submit(c, "/login").await;
    wait_for(c, "nav", Duration::from_secs(10)).await;
}

/// Opens a request of `kind` for `customer` in the browser and verifies
/// the identity; returns its id.
async fn browser_open_verified(c: &Client, base: &str, customer: &str, kind: &str) -> String {
    c.goto(&format!("{base}/requests/new?customer={customer}"))
        .await
        .unwrap();
    wait_for(c, "form[action='/requests']", Duration::from_secs(10)).await;
    c.find(Locator::Css("#kind"))
        .await
        .unwrap()
        .select_by_value(kind)
        .await
        .unwrap();
    submit(c, "/requests").await;
    wait_for(c, "form[action$='/verify']", Duration::from_secs(10)).await;
    let url = c.current_url().await.unwrap();
    let id = url.path().rsplit('/').next().unwrap().to_string();
    fill(c, "#method", "ID-kaart getoond aan de balie").await;
    submit(c, "/verify").await;
    wait_for(c, "a[href$='/export']", Duration::from_secs(10)).await;
    id
}

/// Runs the export page's form (after `ticks`, the ids of check boxes to
/// tick) and waits until the export has ended: the bundle is written or
/// the refusal shows.
async fn browser_export(c: &Client, base: &str, id: &str, ticks: &[&str]) {
    let url = format!("{base}/requests/{id}/export");
    if c.current_url().await.unwrap().as_str() != url {
        c.goto(&url).await.unwrap();
    }
    for tick in ticks {
        c.find(Locator::Css(&format!("#{tick}")))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
    }
    let before = c.find(Locator::Css("html")).await.unwrap();
    submit(c, "/export").await;
    gone(&before).await;
    wait_for(c, "#written, #refused", Duration::from_secs(120)).await;
}

/// Sends the review page as it stands (its decisions) and waits for the
/// new bundle.
async fn browser_review(c: &Client, base: &str, id: &str) {
    c.goto(&format!("{base}/requests/{id}/review"))
        .await
        .unwrap();
    let before = c.find(Locator::Css("html")).await.unwrap();
    submit(c, "/review").await;
    gone(&before).await;
    wait_for(c, "#written", Duration::from_secs(120)).await;
}

/// Waits until the page that held `element` has been replaced (after a
/// form was sent), so that what is found next is on the new page.
async fn gone(element: &fantoccini::elements::Element) {
    let started = Instant::now();
    while element.tag_name().await.is_ok() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the page was not replaced"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The estate plus a member list whose row for the tenant carries markup.
fn estate_with_markup(dir: &Path) -> PathBuf {
    let csv = dir.join("ledenlijst.csv");
    std::fs::write(
        &csv,
        format!(
            "Lidnummer;Klantnummer;Naam;Opmerking\r\nL1;{TENANT};Lid {XSS};Opmerking {XSS}\r\n"
        ),
    )
    .unwrap();
    config_with(dir, |c| {
        c + &member_list_source("ledenlijst", &csv, "Klantnummer")
    })
}

/// The zip file the browser downloaded into `downloads` (waits for it).
fn downloaded_zip(downloads: &Path) -> PathBuf {
    let started = Instant::now();
    loop {
        let found = std::fs::read_dir(downloads)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|x| x == "zip"));
        if let Some(p) = found {
            return p;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no bundle was downloaded"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn zip_text(path: &Path, entry: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    zip.by_name(entry)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn the_whole_flow_for_a_story_tenant_in_a_real_browser() {
    let Some((_driver, port)) = chromedriver() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let config = estate_with_markup(dir.path());
    let (_server, login) = serve(&config, &dir.path().join("work"));
    let base = base(&login);
    let downloads = dir.path().join("downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let c = browser(port, &dir.path().join("profile"), &downloads).await;
        // Log in with the one-time token.
        c.goto(&login).await.unwrap();
        screenshot(&c, "01-login").await;
        fill(&c, "#name", "M. de Wit").await;
        submit(&c, "/login").await;
        wait_for(&c, "nav", Duration::from_secs(10)).await;
        assert!(c
            .current_url()
            .await
            .unwrap()
            .path()
            .starts_with("/requests"));
        // Find by name and birth date.
        c.goto(&format!("{base}/find")).await.unwrap();
        fill(&c, "#name", "Marloes Nüsken").await;
        fill(&c, "#born", "05-05-1989").await; // the date input takes the locale's order
        submit(&c, "/find").await;
        wait_for(
            &c,
            "a[href^='/requests/new?customer=']",
            Duration::from_secs(30),
        )
        .await;
        let page = c.source().await.unwrap();
        assert!(
            page.contains(TENANT) && !page.contains("Nüsken</td>"),
            "masked candidates: {page}"
        );
        screenshot(&c, "02-find").await;
        inert(&c, "find").await;
        // Open the request from the candidate.
        click(&c, "a[href^='/requests/new?customer=']").await;
        wait_for(&c, "form[action='/requests']", Duration::from_secs(10)).await;
        submit(&c, "/requests").await;
        wait_for(&c, "form[action$='/verify']", Duration::from_secs(10)).await;
        let request_url = c.current_url().await.unwrap();
        let id = request_url.path().rsplit('/').next().unwrap().to_string();
        assert!(id.starts_with("V-"), "{request_url}");
        // A document number is refused beside the field; nothing is lost.
        fill(&c, "#method", "paspoort IXK1234P5").await;
        submit(&c, "/verify").await;
        wait_for(&c, ".field-error", Duration::from_secs(10)).await;
        // Verify, with markup in the method: it shows as text.
        fill(
            &c,
            "#method",
            &format!("ID-kaart getoond aan de balie {XSS}"),
        )
        .await;
        submit(&c, "/verify").await;
        wait_for(&c, "a[href$='/export']", Duration::from_secs(10)).await;
        assert!(c
            .find(Locator::Css("form[action$='/verify']"))
            .await
            .is_err());
        screenshot(&c, "03-request").await;
        inert(&c, "request").await;
        // The register shows it, with its deadline.
        c.goto(&format!("{base}/requests")).await.unwrap();
        assert!(c.source().await.unwrap().contains(&id));
        screenshot(&c, "04-requests").await;
        // Export with live progress.
        c.goto(&format!("{base}/requests/{id}/export"))
            .await
            .unwrap();
        submit(&c, "/export").await;
        wait_for(&c, "#written", Duration::from_secs(120)).await;
        let erp = c
            .find(Locator::Css("#source-erp"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(erp.contains("records"), "erp line: {erp}");
        screenshot(&c, "05-export").await;
        inert(&c, "export").await;
        // Review: the other person's name in a CRM note was replaced; keep it.
        c.goto(&format!("{base}/requests/{id}/review"))
            .await
            .unwrap();
        screenshot(&c, "06-review").await;
        inert(&c, "review").await;
        let rows = c.find_all(Locator::Css("tbody tr")).await.unwrap();
        let mut chosen = None;
        for row in rows {
            let text = row.text().await.unwrap();
            if text.contains("Notitie") && text.contains("l••• d• b•••") {
                assert!(
                    text.contains("vervangen")
                        && text.contains("de naam van een andere persoon")
                        && !text.contains("redacted"),
                    "replaced before the decision, said in Dutch: {text}"
                );
                chosen = Some(row);
                break;
            }
        }
        let row = chosen.expect("the redacted name of the co-tenant story is on the review list");
        let select = row.find(Locator::Css("select")).await.unwrap();
        select.select_by_value("keep").await.unwrap();
        submit(&c, "/review").await;
        wait_for(&c, "#written", Duration::from_secs(120)).await;
        // Preview and download, final now.
        c.goto(&format!("{base}/requests/{id}/bundle"))
            .await
            .unwrap();
        wait_for(&c, "#download", Duration::from_secs(10)).await;
        screenshot(&c, "07-bundle").await;
        inert(&c, "bundle").await;
        click(&c, "#download").await;
        // The report as the tenant sees it: the markup is text there too.
        c.goto(&format!("{base}/requests/{id}/report"))
            .await
            .unwrap();
        screenshot(&c, "08-report").await;
        let report = c.source().await.unwrap();
        assert!(
            report.contains("&lt;script&gt;window.__xss=1&lt;/script&gt;"),
            "escaped in the report"
        );
        let ran = c
            .execute("return window.__xss || 0;", vec![])
            .await
            .unwrap();
        assert_eq!(ran, serde_json::json!(0), "report: markup ran");
        c.close().await.unwrap();
    });
    // The downloaded bundle reflects the decision: the name stands as written.
    let bundle = downloaded_zip(&downloads);
    let notes = zip_text(&bundle, "data/crm/Notitie.json").to_lowercase();
    assert!(
        notes.contains("luuk de boer"),
        "the kept name is in the bundle"
    );
    // Every action is in the audit trail with the staff member's name.
    let trail = std::fs::read_to_string(dir.path().join("requests.audit.jsonl")).unwrap();
    for action in [
        "web.login",
        "request.open",
        "request.verify",
        "export",
        "review.decide",
        "bundle.download",
    ] {
        assert!(
            trail
                .lines()
                .any(|l| l.contains(&format!("\"action\":\"{action}\""))
                    && l.contains("\"by\":\"M. de Wit\"")),
            "{action} by M. de Wit in the trail:\n{trail}"
        );
    }
}

/// A GET or POST with an optional cookie; returns status, headers and body.
fn http(
    method: &str,
    url: &str,
    cookie: Option<&str>,
    form: Option<&str>,
) -> (u16, reqwest::header::HeaderMap, String) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(http_async(method, url, cookie, form))
}

/// [`http`], from async code.
async fn http_async(
    method: &str,
    url: &str,
    cookie: Option<&str>,
    form: Option<&str>,
) -> (u16, reqwest::header::HeaderMap, String) {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()
        .unwrap();
    let mut req = match method {
        "POST" => client.post(url),
        _ => client.get(url),
    };
    if let Some(c) = cookie {
        req = req.header("Cookie", c);
    }
    if let Some(f) = form {
        req = req
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(f.to_string());
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    (status, headers, resp.text().await.unwrap())
}

fn session_cookie(headers: &reqwest::header::HeaderMap) -> String {
    let set = headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|v| v.starts_with("inzage_session="))
        .expect("a session cookie");
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict"),
        "{set}"
    );
    set.split(';').next().unwrap().to_string()
}

fn csrf_of(page: &str) -> String {
    let at = page.find("name=\"csrf\" value=\"").expect("a CSRF field") + 19;
    page[at..at + 64].to_string()
}

/// Logs in over plain HTTP with the one-time token: the staff session's
/// cookie and its CSRF token.
fn login_http(login: &str, name: &str) -> (String, String) {
    let base = base(login);
    let (_, headers, page) = http("GET", login, None, None);
    let anonymous = session_cookie(&headers);
    let token = login.rsplit("token=").next().unwrap();
    let form = format!("csrf={}&token={token}&name={name}", csrf_of(&page));
    let (status, headers, _) = http(
        "POST",
        &format!("{base}/login"),
        Some(&anonymous),
        Some(&form),
    );
    assert_eq!(status, 303, "logged in");
    let staff = session_cookie(&headers);
    let (_, _, page) = http("GET", &format!("{base}/find"), Some(&staff), None);
    (staff, csrf_of(&page))
}

/// Opens a request of `kind` for `customer` over HTTP and verifies the
/// identity; returns its id.
fn open_verified(base: &str, staff: &str, csrf: &str, customer: &str, kind: &str) -> String {
    let id = open_request(base, staff, csrf, customer, kind, "balie");
    let form = format!("csrf={csrf}&method=ID-kaart+getoond+aan+de+balie");
    let (status, _, page) = http(
        "POST",
        &format!("{base}/requests/{id}/verify"),
        Some(staff),
        Some(&form),
    );
    assert!(status == 303 || status == 200, "verified: {page}");
    id
}

/// Opens a request of `kind` for `customer`, received today by
/// `channel`, over HTTP; returns its id.
fn open_request(
    base: &str,
    staff: &str,
    csrf: &str,
    customer: &str,
    kind: &str,
    channel: &str,
) -> String {
    let today = chrono::Utc::now().date_naive();
    let form =
        format!("csrf={csrf}&customer={customer}&kind={kind}&received={today}&channel={channel}");
    let (status, headers, page) = http(
        "POST",
        &format!("{base}/requests"),
        Some(staff),
        Some(&form),
    );
    assert_eq!(status, 303, "opened: {page}");
    headers["location"]
        .to_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string()
}

/// Posts the export form of request `id` (with `extra` fields); returns
/// the status and page.
fn start_export(base: &str, staff: &str, csrf: &str, id: &str, extra: &str) -> (u16, String) {
    let (status, _, page) = http(
        "POST",
        &format!("{base}/requests/{id}/export"),
        Some(staff),
        Some(&format!("csrf={csrf}{extra}")),
    );
    (status, page)
}

/// The export page of `id` once its export has ended (no longer running).
fn export_ended(base: &str, staff: &str, id: &str) -> String {
    let started = Instant::now();
    loop {
        let (status, _, page) = http(
            "GET",
            &format!("{base}/requests/{id}/export"),
            Some(staff),
            None,
        );
        assert_eq!(status, 200, "{page}");
        if !page.contains("id=\"running\"") {
            return page;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the export of {id} did not end"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn forms_need_the_csrf_token_pages_need_a_session_and_the_token_works_once() {
    let dir = tempfile::tempdir().unwrap();
    let config = config_with(dir.path(), |c| c);
    let (_server, login) = serve(&config, &dir.path().join("work"));
    let base = base(&login);
    // No session: to the login page.
    for page in [
        "/requests",
        "/find",
        "/requests/V-0001",
        "/requests/V-0001/export",
    ] {
        let (status, headers, _) = http("GET", &format!("{base}{page}"), None, None);
        assert_eq!(status, 303, "{page}");
        assert_eq!(headers["location"], "/login", "{page}");
    }
    // Log in with the token.
    let (_, headers, page) = http("GET", &login, None, None);
    let anonymous = session_cookie(&headers);
    let token = login.rsplit("token=").next().unwrap().to_string();
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    let (status, _, _) = http(
        "POST",
        &format!("{base}/login"),
        Some(&anonymous),
        Some(&format!("token={token}&name=J.+de+Vries")),
    );
    assert_eq!(
        status, 403,
        "a login form without the CSRF token is refused"
    );
    let form = format!("csrf={}&token={token}&name=J.+de+Vries", csrf_of(&page));
    let (status, headers, _) = http(
        "POST",
        &format!("{base}/login"),
        Some(&anonymous),
        Some(&form),
    );
    assert_eq!(status, 303);
    let staff = session_cookie(&headers);
    assert_ne!(staff, anonymous, "a new session id after login");
    let (status, _, page) = http("GET", &format!("{base}/requests/new"), Some(&staff), None);
    assert_eq!(status, 200);
    let csrf = csrf_of(&page);
    // A form without (or with a wrong) CSRF token changes nothing.
    let open = format!("customer={TENANT}&kind=access&received=2026-01-05&channel=balie");
    for bad in [open.clone(), format!("csrf={}&{open}", "0".repeat(64))] {
        let (status, _, page) = http(
            "POST",
            &format!("{base}/requests"),
            Some(&staff),
            Some(&bad),
        );
        assert_eq!(status, 403, "{bad}");
        assert!(
            page.contains("Het formulier kwam niet van deze sessie")
                && page.contains("The form did not come from this session"),
            "why, in words: {page}"
        );
    }
    let (status, _, page) = http(
        "GET",
        &format!("{base}/requests/V-9999"),
        Some(&staff),
        None,
    );
    assert_eq!(status, 404);
    assert!(
        page.contains("Niet gevonden.") && page.contains("<main>"),
        "{page}"
    );
    let (_, _, list) = http(
        "GET",
        &format!("{base}/requests?status=all"),
        Some(&staff),
        None,
    );
    assert!(!list.contains("V-0001"), "nothing was opened");
    // With the token it works.
    let (status, headers, _) = http(
        "POST",
        &format!("{base}/requests"),
        Some(&staff),
        Some(&format!("csrf={csrf}&{open}")),
    );
    assert_eq!(
        (status, headers["location"].to_str().unwrap()),
        (303, "/requests/V-0001")
    );
    // Bad input: a message beside the field, the values kept.
    let (status, _, page) = http(
        "POST",
        &format!("{base}/requests"),
        Some(&staff),
        Some(&format!(
            "csrf={csrf}&customer=12&kind=access&received=gisteren&channel=balie"
        )),
    );
    assert_eq!(status, 200);
    assert!(
        page.contains("id=\"received-err\"") && page.contains("value=\"12\""),
        "{page}"
    );
    // Dutch by default, English by the switch (a form with the token too).
    let (_, _, page) = http("GET", &format!("{base}/requests"), Some(&staff), None);
    assert!(page.contains("lang=\"nl\"") && page.contains("Verzoeken"));
    let (status, _, _) = http(
        "POST",
        &format!("{base}/lang"),
        Some(&staff),
        Some(&format!("csrf={csrf}&lang=en&back=%2Frequests")),
    );
    assert_eq!(status, 303);
    let (_, _, page) = http("GET", &format!("{base}/requests"), Some(&staff), None);
    assert!(
        page.contains("lang=\"en\"") && page.contains("Requests"),
        "{page}"
    );
    // The token works once.
    let (_, headers, page) = http("GET", &login, None, None);
    let other = session_cookie(&headers);
    let form = format!("csrf={}&token={token}&name=K.+Jansen", csrf_of(&page));
    let (status, _, page) = http("POST", &format!("{base}/login"), Some(&other), Some(&form));
    assert_eq!(status, 200, "no session for a used token");
    assert!(page.contains("al gebruikt"), "{page}");
}

#[test]
fn serving_off_loopback_without_tls_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let config = config_with(dir.path(), |c| c);
    let out = run(inzage()
        .arg("--config")
        .arg(&config)
        .args(["serve", "--bind", "0.0.0.0:0", "--work-dir"])
        .arg(dir.path().join("work")));
    let (code, _, err) = text(&out);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("without TLS") && err.contains("--tls-cert"),
        "{err}"
    );
}
