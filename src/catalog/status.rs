//! Service heartbeats: the current state of each background service, and its history
//! (pruned past a retention period).

use rusqlite::{Connection, params};
use serde::Serialize;

use super::Result;
use crate::time;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Health {
    #[serde(rename = "OK")]
    Ok,
    #[serde(rename = "WARNING")]
    Warning,
    #[serde(rename = "ERROR")]
    Error,
}

impl Health {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "OK",
            Self::Warning => "WARNING",
            Self::Error => "ERROR",
        }
    }
}

/// One heartbeat.
#[derive(Debug, Clone)]
pub(crate) struct Beat<'a> {
    pub service: &'a str,
    pub health: Health,
    pub task: Option<&'a str>,
    pub error: Option<&'a str>,
    pub interval_secs: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ServiceRow {
    pub service: String,
    pub status: String,
    pub current_task: Option<String>,
    pub last_error: Option<String>,
    pub last_error_at: Option<String>,
    pub last_heartbeat: String,
    pub interval_secs: i64,
    pub pid: Option<i64>,
}

/// Writes a heartbeat: the current row and a history row. An error is sticky: it stays on
/// the service until a heartbeat reports OK.
pub(crate) fn heartbeat(conn: &Connection, beat: &Beat<'_>) -> Result<()> {
    let now = time::now();
    conn.prepare_cached(
        "INSERT INTO service_status (service, status, current_task, last_error, last_error_at,
                                     last_heartbeat, interval_secs, pid, updated_at)
         VALUES (?1, ?2, ?3, ?4, CASE WHEN ?4 IS NULL THEN NULL ELSE ?5 END, ?5, ?6, ?7, ?5)
         ON CONFLICT (service) DO UPDATE SET
             status = excluded.status,
             current_task = excluded.current_task,
             last_error = CASE WHEN excluded.last_error IS NOT NULL THEN excluded.last_error
                               WHEN excluded.status = 'OK' THEN NULL
                               ELSE service_status.last_error END,
             last_error_at = CASE WHEN excluded.last_error IS NOT NULL THEN excluded.last_heartbeat
                                  WHEN excluded.status = 'OK' THEN NULL
                                  ELSE service_status.last_error_at END,
             last_heartbeat = excluded.last_heartbeat,
             interval_secs = excluded.interval_secs,
             pid = excluded.pid,
             updated_at = excluded.updated_at",
    )?
    .execute(params![
        beat.service,
        beat.health.as_str(),
        beat.task,
        beat.error,
        now,
        beat.interval_secs.max(1) as i64,
        std::process::id()
    ])?;
    conn.prepare_cached(
        "INSERT INTO service_status_history (service, status, current_task, error, heartbeat_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        beat.service,
        beat.health.as_str(),
        beat.task,
        beat.error,
        now
    ])?;
    Ok(())
}

/// Deletes history older than `retention_days`; how many rows went.
pub(crate) fn prune_history(conn: &Connection, retention_days: u32) -> Result<usize> {
    let cutoff = time::fmt(chrono::Utc::now() - chrono::Duration::days(retention_days.into()));
    Ok(conn.execute(
        "DELETE FROM service_status_history WHERE heartbeat_at < ?1",
        [cutoff],
    )?)
}

/// Every service, by name.
pub fn list(conn: &Connection) -> Result<Vec<ServiceRow>> {
    let mut st = conn.prepare(
        "SELECT service, status, current_task, last_error, last_error_at, last_heartbeat,
                interval_secs, pid
         FROM service_status ORDER BY service",
    )?;
    let rows = st
        .query_map([], |r| {
            Ok(ServiceRow {
                service: r.get(0)?,
                status: r.get(1)?,
                current_task: r.get(2)?,
                last_error: r.get(3)?,
                last_error_at: r.get(4)?,
                last_heartbeat: r.get(5)?,
                interval_secs: r.get(6)?,
                pid: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Freshness of a heartbeat: green within one interval, yellow within two, red beyond.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Freshness {
    Green,
    Yellow,
    Red,
}

pub(crate) fn freshness(age_secs: i64, interval_secs: i64) -> Freshness {
    let i = interval_secs.max(1);
    if age_secs <= i {
        Freshness::Green
    } else if age_secs <= 2 * i {
        Freshness::Yellow
    } else {
        Freshness::Red
    }
}
