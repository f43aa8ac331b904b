//! The report checked by the tools the web uses (issue 14): the Nu HTML
//! Checker (vnu) on every story report in Dutch and English, axe-core
//! (WCAG 2.1 A/AA) in headless Chromium at 1280 px and 320 px with folded
//! texts closed and open, and the print layout: A4 pages and no table wider
//! than the printable width.
//!
//! The tools come from the npm registry (`vnu-jar`, `axe-core`); `.ci/run`
//! installs them under `target/web-tools/` and sets
//! `INZAGE_REQUIRE_WEB_CHECKS=1`, so that in CI a missing tool fails the
//! test instead of skipping it.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::report::Browser;
use crate::support::*;

/// A web tool under target/web-tools (or where `env` says), or None (skipped) outside CI.
pub fn tool(env: &str, relative: &str) -> Option<PathBuf> {
    let path = std::env::var_os(env)
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/web-tools/node_modules").join(relative));
    if path.exists() {
        return Some(path);
    }
    assert!(
        std::env::var("INZAGE_REQUIRE_WEB_CHECKS").is_err(),
        "{} missing: npm install --prefix target/web-tools vnu-jar axe-core (bash .ci/run does)",
        path.display()
    );
    eprintln!(
        "skipped: {} not installed (bash .ci/run installs it)",
        path.display()
    );
    None
}

fn browser() -> Option<Browser> {
    let b = Browser::find();
    if b.is_none() {
        assert!(
            std::env::var("INZAGE_REQUIRE_WEB_CHECKS").is_err(),
            "{}",
            Browser::MISSING
        );
    }
    b
}

/// The story and language a written page belongs to (its folder's name).
fn story_of(page: &Path) -> String {
    page.parent()
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The page without its Content-Security-Policy, so that the harness (and
/// only the harness) can run a script in it.
fn without_csp(html: &str) -> String {
    let start = html
        .find("<meta http-equiv=\"Content-Security-Policy\"")
        .expect("the report carries a CSP meta");
    let end = start + html[start..].find('>').unwrap() + 1;
    format!("{}{}", &html[..start], &html[end..])
}

/// Every story tenant's report, Dutch and English, written to `dir`.
fn story_reports(dir: &Path) -> Vec<PathBuf> {
    let config = root().join("connectors.toml");
    let mut pages = Vec::new();
    for story in stories().stories {
        for lang in ["nl", "en"] {
            let sub = dir.join(format!("{}-{lang}", story.story));
            std::fs::create_dir_all(&sub).unwrap();
            let (path, out) = export(&config, &story.klantnummer, &sub, &["--lang", lang]);
            assert_eq!(text(&out).0, 0, "{:?}", text(&out));
            let bundle = Bundle::open(&path);
            let page = sub.join("index.html");
            std::fs::write(&page, &bundle.files["index.html"]).unwrap();
            pages.push(page);
            pages.push(sub.join(format!("{}.zip.review.html", story.klantnummer)));
        }
    }
    pages
}

#[test]
fn the_nu_html_checker_finds_no_error_in_any_story_report_or_review_page() {
    let Some(vnu) = tool("INZAGE_VNU_JAR", "vnu-jar/build/dist/vnu.jar") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let pages = story_reports(dir.path());
    no_vnu_errors(&vnu, &pages);
}

/// The Nu HTML Checker finds no error in any of `pages`.
pub fn no_vnu_errors(vnu: &Path, pages: &[PathBuf]) {
    let out = Command::new("java")
        .arg("-jar")
        .arg(vnu)
        .args(["--errors-only", "--format", "text"])
        .args(pages)
        .output()
        .expect("java runs (apt-get install default-jre-headless)");
    assert!(
        out.status.success(),
        "vnu errors:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The report with its CSP taken out and axe-core run on it, in the test
/// harness only (the bundle's page forbids every script).
fn with_axe(page: &Path, axe: &Path, open_details: bool) -> PathBuf {
    let html = without_csp(&std::fs::read_to_string(page).unwrap());
    let runner = format!(
        r#"<script src="axe.min.js"></script><script>
{}
axe.run(document, {{ runOnly: {{ type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }} }}).then(function (r) {{
  var pre = document.createElement('pre');
  pre.id = 'axe-result';
  pre.textContent = JSON.stringify({{
    violations: r.violations.map(function (v) {{ return {{ id: v.id, help: v.help, nodes: v.nodes.slice(0, 3).map(function (n) {{ return n.target.join(' '); }}) }}; }}),
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth
  }});
  (window.parent !== window ? window.parent.document.body : document.body).appendChild(pre);
}});
</script>"#,
        if open_details {
            "document.querySelectorAll('details').forEach(function (d) { d.open = true; });"
        } else {
            ""
        }
    );
    let patched = html.replace("</body>", &format!("{runner}</body>"));
    let dir = page.parent().unwrap();
    std::fs::copy(axe, dir.join("axe.min.js")).unwrap();
    let out = dir.join(if open_details {
        "axe-open.html"
    } else {
        "axe-closed.html"
    });
    std::fs::write(&out, patched).unwrap();
    out
}

/// A page that shows `page` in an iframe `width` CSS pixels wide.
fn framed(page: &Path, width: u32) -> PathBuf {
    let name = page.file_name().unwrap().to_string_lossy();
    let frame = page.with_file_name(format!("frame-{width}-{name}"));
    std::fs::write(
        &frame,
        format!("<!DOCTYPE html><html lang=\"en\"><head><title>frame</title></head><body style=\"margin:0\"><iframe title=\"report\" src=\"{name}\" style=\"width:{width}px;height:900px;border:0\"></iframe></body></html>"),
    )
    .unwrap();
    frame
}

fn axe_result(dom: &str) -> serde_json::Value {
    let start = dom
        .find("<pre id=\"axe-result\">")
        .expect("axe ran and wrote its result")
        + "<pre id=\"axe-result\">".len();
    let end = start + dom[start..].find("</pre>").unwrap();
    let json = dom[start..end]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    serde_json::from_str(&json).unwrap()
}

#[test]
fn axe_core_finds_no_wcag_violation_at_desktop_and_phone_width() {
    let Some(axe) = tool("INZAGE_AXE_JS", "axe-core/axe.min.js") else {
        return;
    };
    let Some(browser) = browser() else { return };
    let dir = tempfile::tempdir().unwrap();
    let pages = story_reports(dir.path());
    let artefacts = root().join("target/test-artefacts/report-checks");
    std::fs::create_dir_all(&artefacts).unwrap();
    let mut runs = 0;
    for page in pages.iter().filter(|p| p.ends_with("index.html")) {
        for open in [false, true] {
            let checked = with_axe(page, &axe, open);
            for width in [1280, 320] {
                // A headless window is never narrower than about 500 px:
                // the phone width is an iframe of exactly 320 CSS px.
                let target = if width == 320 {
                    framed(&checked, width)
                } else {
                    checked.clone()
                };
                let r = axe_result(&browser.dump_dom_at(&target, 1280));
                let name = story_of(page);
                assert_eq!(
                    r["violations"].as_array().unwrap().len(),
                    0,
                    "{name} at {width} px (details open: {open}): {:#}",
                    r["violations"]
                );
                if width == 320 {
                    assert!(
                        r["scrollWidth"].as_u64() <= r["clientWidth"].as_u64(),
                        "{name}: the page scrolls sideways at 320 px ({} > {})",
                        r["scrollWidth"],
                        r["clientWidth"]
                    );
                }
                runs += 1;
            }
        }
    }
    assert!(runs >= 4 * 2 * 2);
}

/// The print layout applied on screen at the printable width of A4 (210 mm
/// less the 14 mm margins: 687 CSS px): every table must fit.
#[test]
fn printed_on_a4_no_table_is_wider_than_the_page() {
    let Some(browser) = browser() else { return };
    let dir = tempfile::tempdir().unwrap();
    let artefacts = root().join("target/test-artefacts/report-checks");
    std::fs::create_dir_all(&artefacts).unwrap();
    let pages = story_reports(dir.path());
    for page in pages.iter().filter(|p| p.ends_with("index.html")) {
        let name = story_of(page);
        // A4 paper, from the PDF the browser prints.
        let pdf = page.with_extension("pdf");
        browser.print_to_pdf(page, &pdf);
        let bytes = std::fs::read(&pdf).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let boxes: Vec<&str> = text
            .match_indices("/MediaBox")
            .map(|(i, _)| &text[i..(i + 40).min(text.len())])
            .collect();
        assert!(!boxes.is_empty(), "{name}: pages in the PDF");
        for b in &boxes {
            let nums: Vec<f64> = b
                .split(|c: char| !(c.is_ascii_digit() || c == '.'))
                .filter_map(|t| t.parse().ok())
                .collect();
            let (w, h) = (nums[2] - nums[0], nums[3] - nums[1]);
            assert!(
                (w - 595.0).abs() < 2.0 && (h - 842.0).abs() < 2.0,
                "{name}: A4 pages, got {w}x{h} in {b}"
            );
        }
        if name.starts_with("two-emails-nl") {
            let kept = artefacts.join("two-emails-nl.pdf");
            std::fs::copy(&pdf, &kept).unwrap();
            // Page images, where poppler's pdftoppm is installed (.ci/run installs it).
            let _ = Command::new("pdftoppm")
                .args(["-png", "-r", "60"])
                .arg(&kept)
                .arg(artefacts.join("two-emails-nl-page"))
                .status();
        }
        // Widths, measured with the print rules in force.
        let html = without_csp(&std::fs::read_to_string(page).unwrap());
        let measure = r#"<script>
document.querySelectorAll('details').forEach(function (d) { d.open = true; });
var widest = 0, what = '';
document.querySelectorAll('table, pre, dl, article').forEach(function (t) {
  var r = t.getBoundingClientRect();
  if (r.right > widest) { widest = r.right; what = t.tagName + ' ' + (t.closest('section') || {}).id; }
});
var pre = document.createElement('pre'); pre.id = 'width-result';
pre.textContent = JSON.stringify({ widest: Math.ceil(widest), what: what, font: getComputedStyle(document.body).fontSize });
document.body.appendChild(pre);
</script>"#;
        let printed = html
            .replace("@media print {", "@media all {")
            .replace("</body>", &format!("{measure}</body>"));
        let check = page.with_file_name("print-check.html");
        std::fs::write(&check, printed).unwrap();
        let dom = browser.dump_dom_at(&check, 687);
        let s = dom.find("<pre id=\"width-result\">").expect("measured")
            + "<pre id=\"width-result\">".len();
        let e = s + dom[s..].find("</pre>").unwrap();
        let r: serde_json::Value =
            serde_json::from_str(&dom[s..e].replace("&quot;", "\"")).unwrap();
        assert!(
            r["widest"].as_u64().unwrap() <= 687,
            "{name}: {} is wider than A4's printable width: {r}",
            r["what"]
        );
        assert_eq!(r["font"], "14px", "{name}: body text prints at 10.5 pt");
    }
}
