//! A content group after a scan wrote to it: the rule picks its canonical copy, and every
//! other copy still present goes to review as a duplicate (once: a person's decision on it
//! stands). A use-case across duplicates and the review queue.

use rusqlite::{Connection, params};
use serde_json::json;

use super::dupes::{members, pick};
use super::{Result, review};
use crate::model::ReviewReason;

/// A content hash's lookup key (`assets.content_key`, migration 0015): its first 15 hex
/// digits as an integer. The index holds the key, a fifth of the hash's size; a lookup asks
/// for both, the key to find the candidates and the hash to decide. `None` for no hash (or
/// one that is not hex, which the catalog refuses anyway).
pub(crate) fn key(sha: Option<&str>) -> Option<i64> {
    i64::from_str_radix(sha?.get(..15)?, 16).ok()
}

/// A content hash in the form the catalog keeps: 64 lowercase hex digits, as the hasher
/// writes them. The rule lives here, not in a CHECK on the row (migration 0018: that test
/// was a tenth of a scan's writing); `catalog::check` reports a row written otherwise.
pub(crate) fn well_formed(sha: &str) -> bool {
    sha.len() == 64 && sha.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// A hash about to be written, refused unless well formed, and its lookup key: what each
/// of the catalog's writes of `assets.sha256` binds.
pub(crate) fn checked_key(sha: Option<&str>) -> Result<Option<i64>> {
    match sha {
        Some(s) if !well_formed(s) => Err(super::CatalogError::InvalidInput {
            field: "sha256",
            why: format!("{s:?} is not 64 lowercase hex digits"),
        }),
        _ => Ok(key(sha)),
    }
}

/// Re-applies the rule to one hash's group after a scan changed it; queues review items for
/// copies that are not canonical. Returns the group's size.
pub(crate) fn refresh(conn: &Connection, sha: &str, changeset: i64) -> Result<usize> {
    // Most content is one file: it is its group's canonical copy and no duplicate, which
    // two indexed statements settle (the whole group is read only when there are more).
    match first_two(conn, sha)?.as_slice() {
        [] => return Ok(0),
        [(id, canonical)] => {
            if !canonical {
                conn.prepare_cached("UPDATE assets SET canonical = 1 WHERE id = ?1")?
                    .execute([id])?;
            }
            drop_pending_duplicate(conn, *id)?;
            return Ok(1);
        }
        _ => {}
    }
    let ms = members(conn, sha)?;
    let Some(canon) = pick(&ms).map(|m| (m.id, m.path.clone())) else {
        return Ok(0);
    };
    for m in &ms {
        let want = m.id == canon.0;
        if m.canonical != want {
            conn.prepare_cached("UPDATE assets SET canonical = ?2 WHERE id = ?1")?
                .execute(params![m.id, want])?;
        }
        let decided: bool = conn
            .prepare_cached(
                "SELECT EXISTS(SELECT 1 FROM review_items WHERE asset_id = ?1 AND reason = 'duplicate_content' AND status != 'pending')",
            )?
            .query_row([m.id], |r| r.get(0))?;
        if !want && !m.missing && !decided && ms.len() > 1 {
            let (canon_path, _) = crate::paths::export_form(&canon.1);
            let text = format!(
                "{}: {}",
                ReviewReason::DuplicateContent.text(),
                crate::paths::display(&canon.1)
            );
            let proposal = json!({"canonical_asset_id": canon.0, "canonical_path": canon_path});
            let item = review::Pending {
                reason: ReviewReason::DuplicateContent,
                text: &text,
                confidence: 1.0,
                proposal: &proposal,
                priority: 5,
            };
            review::queue(conn, m.id, item, changeset)?;
        } else if want {
            drop_pending_duplicate(conn, m.id)?;
        }
    }
    Ok(ms.len())
}

/// The group the row `asset`, just inserted with `sha`, joined. Alone (most content), it is
/// canonical as inserted and nothing about it is pending: the key's index says so without
/// reading a row. Otherwise the group is refreshed.
pub(crate) fn joined(conn: &Connection, asset: i64, sha: &str, changeset: i64) -> Result<usize> {
    let others: bool = conn
        .prepare_cached("SELECT EXISTS(SELECT 1 FROM assets WHERE content_key = ?1 AND id != ?2)")?
        .query_row(params![key(Some(sha)), asset], |r| r.get(0))?;
    if !others {
        return Ok(1);
    }
    refresh(conn, sha, changeset)
}

/// Up to two members of a content group, with their canonical flags.
fn first_two(conn: &Connection, sha: &str) -> Result<Vec<(i64, bool)>> {
    let mut st = conn.prepare_cached(
        "SELECT id, canonical FROM assets WHERE content_key = ?2 AND sha256 = ?1 AND size > 0 LIMIT 2",
    )?;
    let few = st
        .query_map(params![sha, key(Some(sha))], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(few)
}

/// The canonical copy is nobody's duplicate: its pending question goes.
fn drop_pending_duplicate(conn: &Connection, asset: i64) -> Result<()> {
    conn.prepare_cached(
        "DELETE FROM review_items WHERE asset_id = ?1 AND reason = 'duplicate_content' AND status = 'pending'",
    )?
    .execute([asset])?;
    Ok(())
}
