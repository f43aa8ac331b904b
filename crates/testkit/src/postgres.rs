//! A throwaway PostgreSQL database for tests, loaded with the fixture ERP.
//!
//! With `INZAGE_TEST_PG_URL` set (as `.ci/run` does), a fresh database is
//! created on that server. Otherwise a private server is started from the
//! Debian packages (`/usr/lib/postgresql/<version>/bin`) in a temporary
//! folder, on a free loopback port, and stopped when the value is dropped.
//! `initdb` refuses to run as root, so as root it runs as `postgres`.

use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection, Executor};

/// A database holding the fixture ERP, with a read-only login.
pub struct TestPostgres {
    /// Host and port, `127.0.0.1:5432`.
    pub address: String,
    /// Database name.
    pub database: String,
    /// Login that may only read.
    pub user: String,
    /// Its password (pass it to inzage through an environment variable).
    pub password: String,
    admin: PgConnectOptions,
    server: Option<PrivateServer>,
}

struct PrivateServer {
    bin: PathBuf,
    data: tempfile::TempDir,
    /// Superuser password; every TCP login needs a password (scram-sha-256).
    password: String,
}

impl Drop for PrivateServer {
    fn drop(&mut self) {
        let _ = as_postgres(
            Command::new(self.bin.join("pg_ctl"))
                .arg("-D")
                .arg(self.data.path().join("cluster"))
                .args(["-m", "immediate", "-w", "stop"]),
        )
        .output();
    }
}

impl TestPostgres {
    /// Starts (or connects to) a server and loads `erp_sql` into a new database.
    pub fn start(erp_sql: &Path) -> io::Result<TestPostgres> {
        let (admin_url, server) = match std::env::var("INZAGE_TEST_PG_URL") {
            Ok(url) => (url, None),
            Err(_) => {
                let server = PrivateServer::start()?;
                let port = server_port(&server)?;
                (
                    format!(
                        "postgres://postgres:{}@127.0.0.1:{port}/postgres",
                        server.password
                    ),
                    Some(server),
                )
            }
        };
        let admin: PgConnectOptions = admin_url.parse().map_err(io::Error::other)?;
        let address = format!("{}:{}", admin.get_host(), admin.get_port());
        let suffix = unique_suffix();
        let database = format!("erp_{suffix}");
        let user = format!("inzage_{suffix}");
        let password = format!("pw{suffix}x");
        let script = std::fs::read_to_string(erp_sql)?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        runtime.block_on(async {
            let mut conn = admin.connect().await.map_err(io::Error::other)?;
            conn.execute(format!("CREATE DATABASE {database}").as_str())
                .await
                .map_err(io::Error::other)?;
            conn.execute(format!("CREATE ROLE {user} LOGIN PASSWORD '{password}'").as_str())
                .await
                .map_err(io::Error::other)?;
            conn.close().await.map_err(io::Error::other)?;
            let mut db = admin
                .clone()
                .database(&database)
                .connect()
                .await
                .map_err(io::Error::other)?;
            sqlx::raw_sql(&script)
                .execute(&mut db)
                .await
                .map_err(io::Error::other)?;
            db.execute(format!("GRANT SELECT ON ALL TABLES IN SCHEMA public TO {user}").as_str())
                .await
                .map_err(io::Error::other)?;
            db.close().await.map_err(io::Error::other)
        })?;
        Ok(TestPostgres {
            address,
            database,
            user,
            password,
            admin,
            server,
        })
    }

    /// Lets the login also write to every table, as a carelessly configured
    /// deployment might: for tests that prove inzage itself never writes.
    pub fn grant_writes(&self) -> io::Result<()> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        runtime.block_on(async {
            let mut db = self
                .admin
                .clone()
                .database(&self.database)
                .connect()
                .await
                .map_err(io::Error::other)?;
            db.execute(
                format!(
                    "GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}",
                    self.user
                )
                .as_str(),
            )
            .await
            .map_err(io::Error::other)?;
            db.close().await.map_err(io::Error::other)
        })
    }

    /// The connector URL, with the password left to `${variable}`.
    pub fn url_with_password_variable(&self, variable: &str) -> String {
        format!(
            "postgres://{}:${{{variable}}}@{}/{}",
            self.user, self.address, self.database
        )
    }

    /// True when this value runs its own server (no INZAGE_TEST_PG_URL).
    pub fn is_private(&self) -> bool {
        self.server.is_some()
    }
}

fn unique_suffix() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("{}_{nanos}", std::process::id())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// Runs a PostgreSQL tool as the `postgres` user when we are root.
fn as_postgres(cmd: &mut Command) -> &mut Command {
    if is_root() {
        let program = cmd.get_program().to_owned();
        let args: Vec<_> = cmd.get_args().map(|a| a.to_owned()).collect();
        let mut wrapped = Command::new("runuser");
        wrapped
            .args(["-u", "postgres", "--"])
            .arg(program)
            .args(args);
        *cmd = wrapped;
    }
    cmd
}

fn postgres_bin() -> io::Result<PathBuf> {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map_err(|_| {
            io::Error::other(
                "PostgreSQL server binaries not found under /usr/lib/postgresql: install the Debian package `postgresql` (bash .ci/run does), or set INZAGE_TEST_PG_URL to a server you run",
            )
        })?
        .filter_map(|e| e.ok())
        .map(|e| e.path().join("bin"))
        .filter(|p| p.join("initdb").exists())
        .collect();
    versions.sort();
    versions.pop().ok_or_else(|| {
        io::Error::other(
            "no initdb under /usr/lib/postgresql/*/bin: install the `postgresql` package",
        )
    })
}

fn free_port() -> io::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

fn server_port(server: &PrivateServer) -> io::Result<u16> {
    let conf = std::fs::read_to_string(server.data.path().join("cluster/postmaster.opts"))?;
    conf.split_whitespace()
        .skip_while(|a| *a != "\"-p\"")
        .nth(1)
        .and_then(|p| p.trim_matches('"').parse().ok())
        .ok_or_else(|| io::Error::other("cannot read the port of the test server"))
}

impl PrivateServer {
    fn start() -> io::Result<PrivateServer> {
        let bin = postgres_bin()?;
        let data = tempfile::Builder::new().prefix("inzage-pg-").tempdir()?;
        if is_root() {
            let status = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(data.path())
                .status()?;
            if !status.success() {
                return Err(io::Error::other("chown of the test data directory failed"));
            }
        }
        let password = format!("admin{}", unique_suffix());
        let pwfile = data.path().join("pwfile");
        std::fs::write(&pwfile, &password)?;
        if is_root() {
            Command::new("chown")
                .arg("postgres:postgres")
                .arg(&pwfile)
                .status()?;
        }
        let cluster = data.path().join("cluster");
        let init = as_postgres(
            Command::new(bin.join("initdb"))
                .arg("-D")
                .arg(&cluster)
                .args(["-A", "scram-sha-256", "-U", "postgres", "--no-sync"])
                .arg(format!("--pwfile={}", pwfile.display())),
        )
        .output()?;
        if !init.status.success() {
            return Err(io::Error::other(format!(
                "initdb failed: {}",
                String::from_utf8_lossy(&init.stderr)
            )));
        }
        let port = free_port()?;
        let options = format!(
            "-p {port} -c listen_addresses=127.0.0.1 -k {} -c fsync=off",
            data.path().display()
        );
        let start = as_postgres(
            Command::new(bin.join("pg_ctl"))
                .arg("-D")
                .arg(&cluster)
                .args(["-o", &options, "-w", "-l"])
                .arg(data.path().join("server.log"))
                .arg("start"),
        )
        .output()?;
        if !start.status.success() {
            return Err(io::Error::other(format!(
                "pg_ctl start failed: {}",
                String::from_utf8_lossy(&start.stderr)
            )));
        }
        Ok(PrivateServer {
            bin,
            data,
            password,
        })
    }
}
