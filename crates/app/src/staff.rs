//! Staff accounts for the web app: argon2 password hashes in the request
//! store (`inzage staff add NAME`).

use std::path::Path;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::{DateTime, Utc};

use crate::error::{AppError, Field, Problem};
use crate::requests::{actor, open_store, store_error};

/// The shortest password accepted.
pub const MIN_PASSWORD: usize = 12;

/// Adds a staff member (or sets a new password); `by` is who does it.
pub async fn add(
    config_path: &Path,
    name: &str,
    password: &str,
    by: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let name = actor(Some(name))?;
    if password.chars().count() < MIN_PASSWORD {
        return Err(AppError::invalid(Problem::PasswordTooShort {
            minimum: MIN_PASSWORD,
        }));
    }
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| {
        AppError::failed(format!("no random numbers from the operating system: {e}"))
    })?;
    let salt = SaltString::encode_b64(&salt)
        .map_err(|e| AppError::failed(format!("cannot make a salt: {e}")))?;
    let hash = Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| AppError::failed(format!("cannot hash the password: {e}")))?
        .to_string();
    let store = open_store(config_path).await?;
    store
        .set_staff(&name, &hash, by, now)
        .await
        .map_err(store_error)
}

/// Whether `password` is the password of staff member `name`. An unknown
/// name and a wrong password get the same answer.
pub async fn check(config_path: &Path, name: &str, password: &str) -> Result<bool, AppError> {
    let store = open_store(config_path).await?;
    let Some(stored) = store
        .staff_password_hash(name.trim())
        .await
        .map_err(store_error)?
    else {
        // Spend the same time as for a known name.
        let _ = Argon2::default().hash_password(
            password.as_bytes(),
            &SaltString::encode_b64(&[0u8; 16]).expect("a fixed salt"),
        );
        return Ok(false);
    };
    let parsed = PasswordHash::new(&stored)
        .map_err(|e| AppError::failed(format!("the stored hash of {name} is damaged: {e}")))?;
    Ok(Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok())
}

/// How many staff accounts there are.
pub async fn count(config_path: &Path) -> Result<i64, AppError> {
    let store = open_store(config_path).await?;
    store.staff_count().await.map_err(store_error)
}

/// Refuses a staff name that is empty or looks like a number.
pub fn check_name(name: &str) -> Result<String, AppError> {
    actor(Some(name)).map_err(|e| match e {
        AppError::Invalid { problem, .. } => AppError::field(Field::By, problem),
        other => other,
    })
}
