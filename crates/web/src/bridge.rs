//! Runs a use case of `inzage-app` from a handler. Some of its futures are
//! not provably `Send` (the request store's sqlx transactions trip a
//! known limit of the compiler's higher-ranked lifetime checks), so each
//! runs on a blocking-pool thread of the same runtime, from owned inputs.

use std::future::Future;

/// Runs `make()`'s future to completion on a blocking-pool thread.
pub async fn call<F, Fut, T>(make: F) -> T
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = T>,
    T: Send + 'static,
{
    let handle = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || handle.block_on(make()))
        .await
        .expect("a use case panicked")
}

use std::path::PathBuf;

use chrono::Utc;
use inzage_app::deliver::{DeliverInput, Delivered};
use inzage_app::find::{FindOutcome, PersonQuery};
use inzage_app::requests::{self, LetterInput, ListFilter, OpenInput, SubjectRef};
use inzage_app::AppError;
use inzage_requests::audit::Entry;
use inzage_requests::{Outcome, Request};

/// [`requests::get`].
pub async fn get(config: PathBuf, id: String) -> Result<Request, AppError> {
    call(move || async move { requests::get(&config, &id).await }).await
}

/// [`requests::list`].
pub async fn list(config: PathBuf, filter: ListFilter) -> Result<Vec<Request>, AppError> {
    call(move || async move { requests::list(&config, filter).await }).await
}

/// [`requests::history`].
pub async fn history(config: PathBuf, id: String) -> Result<Vec<Entry>, AppError> {
    call(move || async move { requests::history(&config, &id).await }).await
}

/// [`requests::open`].
pub async fn open(config: PathBuf, input: OpenInput, by: String) -> Result<Request, AppError> {
    call(move || async move { requests::open(&config, input, &by, Utc::now()).await }).await
}

/// [`requests::verify`].
pub async fn verify(
    config: PathBuf,
    id: String,
    method: String,
    by: String,
) -> Result<Request, AppError> {
    call(move || async move { requests::verify(&config, &id, &method, &by, Utc::now()).await })
        .await
}

/// [`requests::extend`].
pub async fn extend(
    config: PathBuf,
    id: String,
    months: Option<u32>,
    reason: String,
    by: String,
) -> Result<Request, AppError> {
    call(move || async move {
        requests::extend(&config, &id, months, &reason, &by, Utc::now()).await
    })
    .await
}

/// [`requests::close`].
pub async fn close(
    config: PathBuf,
    id: String,
    outcome: Outcome,
    reason: Option<String>,
    by: String,
) -> Result<Request, AppError> {
    call(move || async move {
        requests::close(&config, &id, outcome, reason.as_deref(), &by, Utc::now()).await
    })
    .await
}

/// [`requests::letter`].
pub async fn letter(config: PathBuf, input: LetterInput, by: String) -> Result<Request, AppError> {
    call(move || async move { requests::letter(&config, input, &by, Utc::now()).await }).await
}

/// [`requests::record_action`].
pub async fn record_action(
    config: PathBuf,
    request: Option<String>,
    action: &'static str,
    by: String,
    details: serde_json::Map<String, serde_json::Value>,
) -> Result<(), AppError> {
    call(move || async move {
        requests::record_action(&config, request.as_deref(), action, &by, details).await
    })
    .await
}

/// [`inzage_app::find::find`].
pub async fn find(config: PathBuf, query: PersonQuery) -> Result<FindOutcome, AppError> {
    call(move || async move { inzage_app::find::find(&config, &query).await }).await
}

/// [`inzage_app::find::find_by_number`].
pub async fn find_by_number(config: PathBuf, subject: SubjectRef) -> Result<FindOutcome, AppError> {
    call(move || async move { inzage_app::find::find_by_number(&config, &subject).await }).await
}

/// [`inzage_app::staff::check`].
pub async fn staff_check(
    config: PathBuf,
    name: String,
    password: String,
) -> Result<bool, AppError> {
    call(move || async move { inzage_app::staff::check(&config, &name, &password).await }).await
}

/// [`inzage_app::deliver::deliver`].
pub async fn deliver(config: PathBuf, input: DeliverInput) -> Result<Delivered, AppError> {
    call(move || async move { inzage_app::deliver::deliver(&config, input).await }).await
}
