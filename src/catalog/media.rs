//! What a scan's probe found, written to the asset: container facts or photo facts, the
//! file's chapters as markers, and the review items a person should see (a photo dated
//! only by its mtime, a video with no readable duration, an episode under a minute).

use rusqlite::{Connection, params};
use serde_json::json;

use super::assets;
use super::review::{self, Pending};
use super::{Result, changesets, markers};
use crate::model::AssetId;
use crate::model::ReviewReason;
use crate::probe::Probed;
use crate::time;

/// Applies a probe result. Chapters it had to skip are warnings in the changeset.
pub(crate) fn apply(conn: &Connection, asset: i64, probed: &Probed, changeset: i64) -> Result<()> {
    let now = time::now();
    match probed {
        Probed::Media(m) => {
            conn.prepare_cached(
                "UPDATE assets SET container = ?2, duration_ms = ?3, video_codec = ?4, audio_codec = ?5,
                        width = ?6, height = ?7, frame_rate = ?8, probed_at = ?9, probe_failed = 0, probe_error = NULL, needs_ffprobe = 0
                 WHERE id = ?1",
            )?
            .execute(params![asset, m.container, m.duration_ms, m.video_codec, m.audio_codec, m.width, m.height,
                             m.frame_rate, now])?;
            let warnings =
                markers::replace_file_chapters(conn, asset, &m.chapters, m.duration_ms, changeset)?;
            clear(conn, asset, ReviewReason::ProbeFailed)?;
            if m.duration_ms.is_none() && m.video_codec.is_some() {
                queue(
                    conn,
                    asset,
                    ReviewReason::ProbeFailed,
                    "the file has no readable duration",
                    changeset,
                )?;
            }
            if !warnings.is_empty() {
                let path = assets::full_path(conn, AssetId(asset))?;
                let collection: i64 = conn
                    .prepare_cached("SELECT collection_id FROM assets WHERE id = ?1")?
                    .query_row([asset], |r| r.get(0))?;
                for w in warnings {
                    changesets::add_warning(conn, changeset, Some(collection), &path, &w)?;
                }
            }
            Ok(())
        }
        Probed::Photo(p) => {
            conn.prepare_cached(
                "UPDATE assets SET captured_at = ?2, captured_at_source = ?3, gps_lat = ?4, gps_lon = ?5, gps_alt = ?6,
                        camera_make = ?7, camera_model = ?8, orientation = ?9, width = ?10, height = ?11,
                        probed_at = ?12, probe_failed = 0, probe_error = NULL, needs_ffprobe = 0
                 WHERE id = ?1",
            )?
            .execute(params![asset, p.captured_at, p.captured_at_source, p.gps_lat, p.gps_lon, p.gps_alt,
                             p.camera_make, p.camera_model, p.orientation, p.width, p.height, now])?;
            let weak = match p.captured_at_source {
                Some("mtime") => Some(
                    "no capture date in the photo or its name: the date shown is the file's modification time",
                ),
                Some("exif_modified") => Some(
                    "no capture date in the photo or its name: the date shown is when the file was last edited (EXIF DateTime)",
                ),
                _ => None,
            };
            if let Some(text) = weak {
                queue(conn, asset, ReviewReason::MissingDate, text, changeset)?;
            } else {
                clear(conn, asset, ReviewReason::MissingDate)?;
            }
            Ok(())
        }
        Probed::Failed(why) => {
            conn.prepare_cached("UPDATE assets SET probed_at = ?2, probe_failed = 1, probe_error = ?3, needs_ffprobe = 0 WHERE id = ?1")?
                .execute(params![asset, now, why])?;
            conn.prepare_cached("DELETE FROM markers WHERE asset_id = ?1 AND source = 'file'")?
                .execute([asset])?;
            queue(
                conn,
                asset,
                ReviewReason::ProbeFailed,
                &format!("the file could not be read: {why}"),
                changeset,
            )?;
            Ok(())
        }
        Probed::NeedsFfprobe => {
            // Remembered, so scans without ffprobe do not open it again for nothing; one
            // with ffprobe reads it. The flag is all that is kept: the sentence a person
            // reads is said from it (`catalog::probe_error_sql`).
            conn.prepare_cached(
                "UPDATE assets SET needs_ffprobe = 1, probe_error = NULL WHERE id = ?1 AND probed_at IS NULL",
            )?
            .execute(params![asset])?;
            Ok(())
        }
    }
}

/// After identification: an episode shorter than a minute is worth a look. `linked`: the
/// asset's episode link is written already or is waiting in the writer's memo.
pub(crate) fn check_too_short(
    conn: &Connection,
    asset: i64,
    min_ms: i64,
    changeset: i64,
    linked: bool,
) -> Result<()> {
    let short: bool = conn
        .prepare_cached(
            "SELECT a.duration_ms < ?2 AND (?3 OR EXISTS(SELECT 1 FROM episode_assets ea WHERE ea.asset_id = a.id))
             FROM assets a WHERE a.id = ?1",
        )?
        .query_row(params![asset, min_ms, linked], |r| r.get::<_, Option<bool>>(0))?
        .unwrap_or(false);
    if short {
        queue(
            conn,
            asset,
            ReviewReason::TooShort,
            "linked as an episode but shorter than the shortest episode expected (`identify.min_episode_secs`): a sample or a clip?",
            changeset,
        )?;
    } else {
        clear(conn, asset, ReviewReason::TooShort)?;
    }
    Ok(())
}

fn queue(
    conn: &Connection,
    asset: i64,
    reason: ReviewReason,
    text: &str,
    changeset: i64,
) -> Result<()> {
    let proposal = json!(null);
    let (confidence, priority) = match reason {
        ReviewReason::MissingDate => (0.3, -10),
        _ => (0.2, 20),
    };
    review::queue(
        conn,
        asset,
        Pending {
            reason,
            text,
            confidence,
            proposal: &proposal,
            priority,
        },
        changeset,
    )
}

/// The videos a batch of `shelf organise` filed by their mtime (no date in the container
/// or the name), each as a `missing_date` review item; photos are queued by the scan that
/// catalogs them. How many.
pub fn queue_undated_organised(conn: &Connection, batch: i64, changeset: i64) -> Result<usize> {
    let ids: Vec<i64> = conn
        .prepare(
            "SELECT a.id FROM organise_items i
             JOIN assets a ON a.kind = 'video'
             JOIN collections c ON c.id = a.collection_id
             WHERE i.batch_id = ?1 AND i.state = 'done' AND i.action = 'place'
               AND i.date_source = 'mtime'
               AND i.dest = CAST(c.root || X'2f' || a.rel_path AS BLOB)",
        )?
        .query_map([batch], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for &id in &ids {
        queue(
            conn,
            id,
            ReviewReason::MissingDate,
            "no capture date in the video, its container or its name: it was filed by its modification time",
            changeset,
        )?;
    }
    Ok(ids.len())
}

fn clear(conn: &Connection, asset: i64, reason: ReviewReason) -> Result<()> {
    conn.prepare_cached(
        "DELETE FROM review_items WHERE asset_id = ?1 AND reason = ?2 AND status = 'pending'",
    )?
    .execute(params![asset, reason.as_str()])?;
    Ok(())
}
