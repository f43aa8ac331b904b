//! `inzage serve` over TLS: with a configured certificate it serves HTTPS
//! to a real rustls client that trusts that certificate (and to no client
//! that does not; plain HTTP gets no page); off loopback, TLS without
//! staff accounts is refused, and with an account it serves.
//!
//! The certificate is synthetic (fixtures/tls/README.md): a test CA and a
//! server certificate it signed for 127.0.0.1.

use super::*;

fn tls_dir() -> PathBuf {
    root().join("fixtures/tls")
}

fn tls_args(bind: &str) -> Vec<String> {
    let dir = tls_dir();
    vec![
        "--bind".into(),
        bind.into(),
        "--tls-cert".into(),
        dir.join("server.pem").display().to_string(),
        "--tls-key".into(),
        dir.join("server.key").display().to_string(),
    ]
}

/// A client that trusts only the test CA (or, with `trust = false`, no
/// certificate at all), never following redirects.
fn client(trust: bool) -> reqwest::Client {
    let roots = if trust {
        let pem = std::fs::read(tls_dir().join("ca.pem")).unwrap();
        vec![reqwest::Certificate::from_pem(&pem).unwrap()]
    } else {
        Vec::new()
    };
    reqwest::Client::builder()
        .tls_certs_only(roots)
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()
        .unwrap()
}

fn set_cookie(headers: &reqwest::header::HeaderMap) -> String {
    headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|v| v.starts_with("inzage_session="))
        .expect("a session cookie")
}

#[test]
fn serve_with_a_certificate_speaks_https_to_a_client_that_trusts_it() {
    let dir = tempfile::tempdir().unwrap();
    let config = config_with(dir.path(), |c| c);
    let args = tls_args("127.0.0.1:0");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (_server, line) = serve_as(&config, &dir.path().join("work"), &args, &[]);
    let at = line.find("https://").expect("an https login URL");
    let login = line[at..].trim().to_string();
    let base = base(&login);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        // The trusting client gets the login page over TLS, and a cookie
        // that only travels over TLS.
        let resp = client(true).get(&login).send().await.expect("HTTPS works");
        assert_eq!(resp.status(), 200);
        let cookie = set_cookie(resp.headers());
        assert!(
            cookie.contains("; Secure") && cookie.contains("HttpOnly"),
            "{cookie}"
        );
        let page = resp.text().await.unwrap();
        let csrf = csrf_of(&page);
        let token = login.rsplit("token=").next().unwrap();
        let anonymous = cookie.split(';').next().unwrap().to_string();
        let resp = client(true)
            .post(format!("{base}/login"))
            .header("Cookie", &anonymous)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(format!("csrf={csrf}&token={token}&name=M.+de+Wit"))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 303, "logged in over HTTPS");
        let staff = set_cookie(resp.headers());
        let staff = staff.split(';').next().unwrap();
        let resp = client(true)
            .get(format!("{base}/requests"))
            .header("Cookie", staff)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        assert!(resp.text().await.unwrap().contains("Verzoeken"));
        // A client that does not trust the certificate gets nothing.
        let err = client(false)
            .get(&login)
            .send()
            .await
            .expect_err("an untrusted certificate is refused by the client");
        assert!(err.is_connect() || err.is_request(), "{err:?}");
        // Plain HTTP on the TLS port gets no page.
        let plain = base.replacen("https://", "http://", 1);
        let answer = client(true).get(format!("{plain}/login")).send().await;
        assert!(
            answer.as_ref().map_or(true, |r| r.status() != 200),
            "plain HTTP must not be served: {answer:?}"
        );
    });
}

#[test]
fn off_loopback_tls_without_staff_accounts_is_refused_and_with_one_it_serves() {
    let dir = tempfile::tempdir().unwrap();
    let config = config_with(dir.path(), |c| c);
    let work = dir.path().join("work");
    let args = tls_args("0.0.0.0:0");
    let out = run(inzage()
        .arg("--config")
        .arg(&config)
        .arg("serve")
        .args(&args)
        .arg("--work-dir")
        .arg(&work));
    let (code, stdout, err) = text(&out);
    assert_eq!(code, 2, "{stdout}{err}");
    assert!(
        err.contains("no staff accounts") && err.contains("inzage staff add"),
        "{err}"
    );
    // With a staff account it serves HTTPS (and prints no token).
    let added = run(inzage()
        .arg("--config")
        .arg(&config)
        .args(["staff", "add", "A. Jansen"])
        .env("INZAGE_STAFF_PASSWORD", "een lang test-wachtwoord"));
    let (code, stdout, err) = text(&added);
    assert_eq!(code, 0, "{stdout}{err}");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (_server, line) = serve_as(&config, &work, &args, &[]);
    assert!(
        line.contains("https://0.0.0.0:")
            && line.contains("staff account")
            && !line.contains("token"),
        "{line}"
    );
    let port: u16 = line
        .split("https://0.0.0.0:")
        .nth(1)
        .unwrap()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let resp = client(true)
            .get(format!("https://127.0.0.1:{port}/login"))
            .send()
            .await
            .expect("HTTPS works");
        assert_eq!(resp.status(), 200);
        assert!(set_cookie(resp.headers()).contains("; Secure"));
        let page = resp.text().await.unwrap();
        assert!(
            page.contains("type=\"password\""),
            "staff log in with a password"
        );
    });
}
