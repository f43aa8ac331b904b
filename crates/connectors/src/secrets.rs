//! Secrets: never literal in `connectors.toml`, always `${NAME}` from the
//! environment.

use regex::Regex;

/// Keys whose values are secrets.
const SECRET_KEYS: &[&str] = &[
    "token",
    "password",
    "passwd",
    "secret",
    "api_key",
    "apikey",
    "bearer",
    "client_secret",
];

/// Finds lines that give a secret key a literal value, or a URL with an
/// embedded password. Returns `(line, key)`.
pub fn find_literal_secrets(text: &str) -> Vec<(usize, String)> {
    let assignment = Regex::new(r#"^\s*"?([A-Za-z0-9_\-]+)"?\s*=\s*(.*)$"#).expect("valid regex");
    let url_password = Regex::new(r#"://[^/\s:@"]+:([^@\s"]+)@"#).expect("valid regex");
    let mut found = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let code = line.split(" #").next().unwrap_or(line);
        let Some(caps) = assignment.captures(code) else {
            continue;
        };
        let key = caps[1].to_lowercase();
        let value = caps[2].trim().trim_matches(|c| c == '"' || c == '\'');
        let secret_key = SECRET_KEYS
            .iter()
            .any(|k| key == *k || key.ends_with(&format!("_{k}")));
        if secret_key && !value.is_empty() && !is_env_reference(value) {
            found.push((i + 1, caps[1].to_string()));
            continue;
        }
        if let Some(pw) = url_password.captures(value) {
            if !is_env_reference(&pw[1]) {
                found.push((i + 1, caps[1].to_string()));
            }
        }
    }
    found
}

fn is_env_reference(value: &str) -> bool {
    value.starts_with("${") && value.ends_with('}')
}

/// A `${NAME}` reference whose variable is not set.
#[derive(Debug, thiserror::Error)]
#[error("environment variable {name} is not set (it is referenced as ${{{name}}} in connectors.toml; export it before running inzage)")]
pub struct MissingSecret {
    /// The variable name.
    pub name: String,
}

/// Values for `${NAME}` references: set in-process first (the fixture
/// servers of the demo estate publish their URLs and tokens here), then the
/// environment.
#[derive(Clone, Debug, Default)]
pub struct Variables {
    overlay: std::collections::BTreeMap<String, String>,
}

impl Variables {
    /// Only the environment.
    pub fn from_env() -> Variables {
        Variables::default()
    }

    /// Sets a value that takes precedence over the environment.
    pub fn set(&mut self, name: &str, value: String) {
        self.overlay.insert(name.to_string(), value);
    }

    /// The value of NAME.
    pub fn get(&self, name: &str) -> Option<String> {
        self.overlay
            .get(name)
            .cloned()
            .or_else(|| std::env::var(name).ok())
    }

    /// Replaces every `${NAME}` in `value`.
    pub fn expand(&self, value: &str) -> Result<String, MissingSecret> {
        let re = Regex::new(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}").expect("valid regex");
        let mut out = String::with_capacity(value.len());
        let mut last = 0;
        for caps in re.captures_iter(value) {
            let whole = caps.get(0).expect("match");
            out.push_str(&value[last..whole.start()]);
            let name = &caps[1];
            let resolved = self.get(name).ok_or_else(|| MissingSecret {
                name: name.to_string(),
            })?;
            out.push_str(&resolved);
            last = whole.end();
        }
        out.push_str(&value[last..]);
        Ok(out)
    }
}

/// Replaces every `${NAME}` in `value` by the environment variable NAME.
pub fn expand_env(value: &str) -> Result<String, MissingSecret> {
    Variables::from_env().expand(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_tokens_and_url_passwords_are_found() {
        let text = "token = \"abc123\"\napi_key = \"${WN_KEY}\"\nurl = \"postgres://u:hunter2@localhost/db\"\nurl2 = \"postgres://u:${PW}@localhost/db\"\nlabel = \"token\"\n";
        let found = find_literal_secrets(text);
        assert_eq!(
            found,
            vec![(1, "token".to_string()), (3, "url".to_string())]
        );
    }

    #[test]
    fn env_references_expand_or_name_the_missing_variable() {
        std::env::set_var("INZAGE_TEST_SECRET_X", "s3cret");
        assert_eq!(
            expand_env("Bearer ${INZAGE_TEST_SECRET_X}").unwrap(),
            "Bearer s3cret"
        );
        let err = expand_env("${INZAGE_TEST_SURELY_UNSET}").unwrap_err();
        assert!(err.to_string().contains("INZAGE_TEST_SURELY_UNSET"));
        let mut vars = Variables::from_env();
        vars.set("INZAGE_TEST_SECRET_X", "overlay".into());
        assert_eq!(vars.expand("${INZAGE_TEST_SECRET_X}").unwrap(), "overlay");
    }
}
