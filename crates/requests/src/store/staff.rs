//! Staff accounts of the web app (`inzage staff add NAME`): a name and a
//! password hash (a PHC string, argon2 made by the caller), in the request
//! store; adding one is in the audit trail. Passwords never reach this
//! module, only their hashes.

use chrono::{DateTime, Utc};
use serde_json::Map;

use super::{time, Store};
use crate::audit::Event;
use crate::RequestsError;

const STAFF_SCHEMA: &str = "CREATE TABLE IF NOT EXISTS staff (
    name TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    added_at TEXT NOT NULL,
    added_by TEXT NOT NULL
)";

impl Store {
    async fn staff_table(&self) -> Result<(), RequestsError> {
        sqlx::query(STAFF_SCHEMA)
            .execute(&self.pool)
            .await
            .map_err(|e| self.error("cannot create the staff table", e))?;
        Ok(())
    }

    /// Adds a staff member, or replaces the password hash of one, and
    /// records it in the audit trail (the name, never the hash).
    pub async fn set_staff(
        &self,
        name: &str,
        password_hash: &str,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<(), RequestsError> {
        self.staff_table().await?;
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO staff (name, password_hash, added_at, added_by) VALUES (?, ?, ?, ?)
             ON CONFLICT(name) DO UPDATE SET password_hash = excluded.password_hash",
        )
        .bind(name)
        .bind(password_hash)
        .bind(time(now))
        .bind(by)
        .execute(&mut *tx)
        .await
        .map_err(|e| self.error("cannot save the staff member", e))?;
        let mut details = Map::new();
        details.insert("staff".into(), name.into());
        self.audit.append(
            Event {
                by: by.to_string(),
                action: "staff.add".into(),
                request: String::new(),
                subject: String::new(),
                details,
            },
            now,
        )?;
        self.commit(tx).await
    }

    /// The password hash of a staff member, when there is one by that name.
    pub async fn staff_password_hash(&self, name: &str) -> Result<Option<String>, RequestsError> {
        self.staff_table().await?;
        sqlx::query_scalar::<_, String>("SELECT password_hash FROM staff WHERE name = ?")
            .bind(name)
            .fetch_optional(&self.pool)
            .await
            .map_err(|e| self.error("cannot read the staff table", e))
    }

    /// How many staff accounts there are.
    pub async fn staff_count(&self) -> Result<i64, RequestsError> {
        self.staff_table().await?;
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM staff")
            .fetch_one(&self.pool)
            .await
            .map_err(|e| self.error("cannot read the staff table", e))
    }

    /// Records something a staff member did that is not a change to a
    /// request's state (a bundle downloaded, a review decided, a login), in
    /// the audit trail; `details` carry no personal data.
    pub async fn record_action(
        &self,
        request: Option<&str>,
        action: &str,
        by: &str,
        details: Map<String, serde_json::Value>,
        now: DateTime<Utc>,
    ) -> Result<(), RequestsError> {
        let (id, subject) = match request {
            Some(id) => {
                let r = self.get(id).await?;
                (r.id.clone(), r.masked_subject())
            }
            None => (String::new(), String::new()),
        };
        let tx = self.begin().await?;
        self.audit.append(
            Event {
                by: by.to_string(),
                action: action.to_string(),
                request: id,
                subject,
                details,
            },
            now,
        )?;
        self.commit(tx).await
    }
}
