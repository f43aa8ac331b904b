//! The zip itself: opens with unzip, Python's zipfile and 7-Zip; safe entry
//! names; AES-256 encryption on request.

use std::path::Path;
use std::process::Command;

use crate::support::*;

fn tool(name: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {name}"))
        .output()
        .is_ok_and(|o| o.status.success())
}

fn exports(dir: &Path, extra: &[&str], envs: &[(&str, &str)]) -> (std::path::PathBuf, String) {
    let story = story("two-emails");
    let out = dir.join("bundle.zip");
    let mut cmd = inzage();
    cmd.args(["export", "--customer", &story.klantnummer, "--out"])
        .arg(&out)
        .args(extra);
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let (code, stdout, stderr) = text(&run(&mut cmd));
    assert_eq!(code, 0, "{stdout}{stderr}");
    (out, stdout)
}

#[test]
fn the_bundle_opens_with_unzip_python_and_7zip_and_has_safe_names() {
    let dir = tempfile::tempdir().unwrap();
    let (zip_path, _) = exports(dir.path(), &[], &[]);
    let archive = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
    for name in archive.file_names().map(|n| n.expect("UTF-8 entry name")) {
        assert!(
            !name.starts_with('/') && !name.contains('\\') && !name.contains(".."),
            "{name}"
        );
        assert!(name.is_ascii(), "{name}");
    }
    assert!(
        tool("unzip") && tool("python3") && tool("7z"),
        "unzip, python3 and 7z are needed (bash .ci/run installs them)"
    );
    let unzip = Command::new("unzip")
        .arg("-tq")
        .arg(&zip_path)
        .output()
        .unwrap();
    assert!(
        unzip.status.success(),
        "unzip -t: {}",
        String::from_utf8_lossy(&unzip.stdout)
    );
    let python = Command::new("python3")
        .args(["-c", "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print(len(z.namelist()))"])
        .arg(&zip_path)
        .output()
        .unwrap();
    assert!(
        python.status.success(),
        "python zipfile: {}",
        String::from_utf8_lossy(&python.stderr)
    );
    let seven = Command::new("7z").arg("t").arg(&zip_path).output().unwrap();
    assert!(
        seven.status.success()
            && String::from_utf8_lossy(&seven.stdout).contains("Everything is Ok")
    );
}

#[test]
fn an_encrypted_bundle_needs_its_passphrase() {
    assert!(
        tool("7z"),
        "7z is needed (bash .ci/run installs p7zip-full)"
    );
    let dir = tempfile::tempdir().unwrap();
    let (zip_path, stdout) = exports(
        dir.path(),
        &["--encrypt"],
        &[("INZAGE_BUNDLE_PASSPHRASE", "lange-zin-voor-de-huurder")],
    );
    assert!(
        stdout.contains("INZAGE_BUNDLE_PASSPHRASE") && !stdout.contains("lange-zin"),
        "{stdout}"
    );
    let wrong = Command::new("7z")
        .args(["t", "-pverkeerd"])
        .arg(&zip_path)
        .output()
        .unwrap();
    assert!(!wrong.status.success(), "a wrong passphrase fails");
    let out = dir.path().join("x");
    seven_zip_extract(&zip_path, "lange-zin-voor-de-huurder", &out);
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["format"], "inzage-bundle/0");
    // Python's zipfile sees encrypted entries and cannot read them without the key.
    let python = Command::new("python3")
        .args(["-c", "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); print(all(i.flag_bits & 1 for i in z.infolist()))"])
        .arg(&zip_path)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&python.stdout).trim(), "True");
}

#[test]
fn a_generated_passphrase_is_printed_once_and_opens_the_bundle() {
    assert!(
        tool("7z"),
        "7z is needed (bash .ci/run installs p7zip-full)"
    );
    let dir = tempfile::tempdir().unwrap();
    let (zip_path, stdout) = exports(dir.path(), &["--encrypt"], &[]);
    let line = stdout
        .lines()
        .find(|l| l.starts_with("passphrase"))
        .expect(&stdout);
    let passphrase = line.rsplit(' ').next().unwrap();
    assert_eq!(passphrase.len(), 35, "{passphrase}");
    let ok = Command::new("7z")
        .arg("t")
        .arg(format!("-p{passphrase}"))
        .arg(&zip_path)
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );
}
