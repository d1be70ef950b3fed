//! The Library: drilling in, linking, and paging by key through big lists.

use crate::harness::*;

#[test]
fn navigating_the_library_drills_into_seasons_episodes_and_files() {
    let db = demo_catalog("nav");
    let (mut app, d) = started(&db);
    assert_eq!(app.library.titles.total, Some(7));
    assert_eq!(app.library.titles.selected().unwrap().name, "1917");
    assert_eq!(app.library.files.len(), 1, "a movie shows its file at once");
    // Down to "Show Name" (the last title), into its seasons and episodes.
    d.act(&mut app, Action::Bottom);
    assert_eq!(app.library.titles.selected().unwrap().name, "Show Name");
    let seasons: Vec<Option<u32>> = app.library.seasons.rows.iter().map(|s| s.number).collect();
    assert_eq!(seasons, vec![Some(0), Some(1), Some(2)]);
    d.act(&mut app, Action::DrillIn);
    assert_eq!(app.library.focus, LibFocus::Seasons);
    d.act(&mut app, Action::Down);
    assert_eq!(app.library.seasons.selected().unwrap().number, Some(1));
    let eps: Vec<Option<u32>> = app.library.episodes.rows.iter().map(|e| e.number).collect();
    assert_eq!(eps, vec![Some(1), Some(2), Some(3), Some(4)]);
    d.act(&mut app, Action::DrillIn);
    assert_eq!(app.library.focus, LibFocus::Episodes);
    assert_eq!(
        app.library.episodes.selected().unwrap().name.as_deref(),
        Some("Pilot")
    );
    assert_eq!(app.library.files.len(), 1);
    assert_eq!(app.lib_markers().len(), 3, "the file's chapters");
    // Episodes 3 and 4 are one file.
    d.act(&mut app, Action::Down);
    d.act(&mut app, Action::Down);
    assert!(shelf::paths::display(&app.library.files[0].rel_path).contains("S01E03E04"));
    d.act(&mut app, Action::DrillOut);
    d.act(&mut app, Action::DrillOut);
    assert_eq!(app.library.focus, LibFocus::Titles);
    d.act(&mut app, Action::Top);
    assert_eq!(app.library.titles.cursor, 0);
    // Screens switch by number and Tab.
    d.act(&mut app, Action::NextScreen);
    assert_eq!(app.screen, Screen::Assets);
    d.act(&mut app, Action::PrevScreen);
    assert_eq!(app.screen, Screen::Library);
    d.act(&mut app, Action::Status);
    assert_eq!(app.screen, Screen::Status);
    assert!(
        app.status
            .changesets
            .iter()
            .any(|c| c.kind == shelf::model::ChangesetKind::Scan)
    );
}

#[test]
fn link_picks_an_episode_or_a_movie_on_the_library() {
    let db = demo_catalog("link");
    let (mut app, d) = started(&db);
    d.act(&mut app, Action::Review);
    let total = app.review.items.total.unwrap();
    let item = app.review.items.selected().unwrap().clone();
    assert_eq!(
        item.reason,
        shelf::model::ReviewReason::NoMatch,
        "DSC_0042.MOV leads the queue"
    );
    // L: pick on the Library. Esc gives up without touching anything.
    d.act(&mut app, Action::Link);
    assert_eq!(app.screen, Screen::Library);
    assert_eq!(app.library.pick.as_ref().unwrap().item, item.id);
    d.act(&mut app, Action::Dismiss);
    assert_eq!(
        (app.screen, app.library.pick.is_none()),
        (Screen::Review, true)
    );
    assert_eq!(app.review.items.total, Some(total));
    // Again, down to Show Name, season 1, episode 2.
    d.act(&mut app, Action::Link);
    d.act(&mut app, Action::Bottom);
    assert_eq!(app.library.titles.selected().unwrap().name, "Show Name");
    d.act(&mut app, Action::DrillIn);
    assert_eq!(app.library.focus, LibFocus::Seasons);
    d.act(&mut app, Action::Down);
    d.act(&mut app, Action::DrillIn);
    assert_eq!(app.library.focus, LibFocus::Episodes);
    d.act(&mut app, Action::Down);
    let episode = app.library.episodes.selected().unwrap().clone();
    assert_eq!(episode.number, Some(2));
    d.act(&mut app, Action::DrillIn);
    assert_eq!(app.screen, Screen::Review, "{:?}", app.message);
    assert!(app.library.pick.is_none());
    assert_eq!(app.review.items.total, Some(total - 1));
    assert_ne!(
        app.review.items.selected().unwrap().id,
        item.id,
        "on to the next"
    );
    let linked: i64 =
        d.ro.query_row(
            "SELECT count(*) FROM episode_assets WHERE episode_id = ?1 AND asset_id = ?2",
            [episode.id, item.asset_id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(linked, 1);
    // A movie is picked at the title: "Some Film" is 1917 after all.
    let film = app
        .review
        .items
        .rows
        .iter()
        .position(|i| i.reason == shelf::model::ReviewReason::LowConfidence)
        .unwrap();
    d.act(&mut app, Action::Top);
    for _ in 0..film {
        d.act(&mut app, Action::Down);
    }
    let film = app.review.items.selected().unwrap().clone();
    d.act(&mut app, Action::Link);
    d.act(&mut app, Action::Top);
    assert_eq!(app.library.titles.selected().unwrap().name, "1917");
    d.act(&mut app, Action::DrillIn);
    assert_eq!(app.screen, Screen::Review, "{:?}", app.message);
    let title: i64 =
        d.ro.query_row(
            "SELECT t.id FROM title_assets ta JOIN titles t ON t.id = ta.title_id
             WHERE ta.asset_id = ?1 AND t.name = '1917'",
            [film.asset_id],
            |r| r.get(0),
        )
        .unwrap();
    assert!(title > 0);
    // Undo takes the link back, and the item is pending again.
    d.act(&mut app, Action::Undo);
    let status: String =
        d.ro.query_row(
            "SELECT status FROM review_items WHERE id = ?1",
            [film.id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(status, "pending");
    // Read-only: no pick at all.
    let mut ro = App::new(true);
    let r = ro.start();
    d.run(&mut ro, r);
    d.act(&mut ro, Action::Review);
    d.act(&mut ro, Action::Link);
    assert_eq!(
        (ro.screen, ro.library.pick.is_none()),
        (Screen::Review, true)
    );
}

#[test]
fn lists_page_through_many_rows_by_key() {
    let db = demo_catalog("paging");
    {
        let c = catalog::open(&db, Mode::ReadWrite).unwrap();
        c.execute_batch("BEGIN").unwrap();
        let mut st = c
            .prepare("INSERT INTO titles (kind, name, norm_name, sort_name, created_at, updated_at) VALUES ('show', ?1, ?2, ?2, 'x', 'x')")
            .unwrap();
        for i in 0..5000 {
            let n = format!("Generated Show {i:05}");
            st.execute([&n, &n.to_lowercase()]).unwrap();
        }
        drop(st);
        c.execute_batch("COMMIT").unwrap();
    }
    let (mut app, d) = started(&db);
    assert_eq!(app.library.titles.total, Some(5007));
    assert!(app.library.titles.rows.len() <= 2 * shelf::tui::app::PAGE);
    d.act(&mut app, Action::Bottom);
    assert_eq!(app.library.titles.cursor, 5006);
    assert_eq!(
        app.library.titles.selected().unwrap().name,
        "Show Name",
        "sorted without a leading The"
    );
    for _ in 0..300 {
        d.act(&mut app, Action::Up);
    }
    assert_eq!(app.library.titles.cursor, 4706);
    assert!(
        app.library.titles.rows.len() <= 2 * shelf::tui::app::PAGE,
        "never more than two pages held"
    );
    let name = app.library.titles.selected().unwrap().name.clone();
    d.act(&mut app, Action::Top);
    assert_eq!(app.library.titles.selected().unwrap().name, "1917");
    for _ in 0..25 {
        d.act(&mut app, Action::PageDown);
    }
    assert_eq!(app.library.titles.cursor, 25 * app.viewport);
    let expected: String =
        d.ro.query_row(
            "SELECT name FROM titles ORDER BY sort_name, id LIMIT 1 OFFSET ?1",
            [app.library.titles.cursor as i64],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        app.library.titles.selected().unwrap().name,
        expected,
        "keyset pages land on the same row an offset would"
    );
    assert!(!name.is_empty());
}

#[test]
fn a_season_of_thousands_of_episodes_pages_by_key() {
    let db = demo_catalog("episodes");
    {
        let c = catalog::open(&db, Mode::ReadWrite).unwrap();
        c.execute_batch(
            "BEGIN;
             INSERT INTO titles (id, kind, name, norm_name, sort_name, created_at, updated_at)
                 VALUES (9000, 'show', 'Nightly News', 'nightly news', '0000 nightly news', 'x', 'x');
             INSERT INTO seasons (id, title_id, number, created_at) VALUES (9000, 9000, 1, 'x');",
        )
        .unwrap();
        let mut st = c
            .prepare("INSERT INTO episodes (title_id, season_id, number, name, created_at, updated_at) VALUES (9000, 9000, ?1, ?2, 'x', 'x')")
            .unwrap();
        // Inserted out of order: the list's order is the numbers', not the ids'.
        for i in (1..=1500).rev() {
            st.execute(rusqlite::params![i, format!("Episode {i}")])
                .unwrap();
        }
        drop(st);
        c.execute_batch("COMMIT").unwrap();
    }
    let (mut app, d) = started(&db);
    assert_eq!(app.library.titles.selected().unwrap().name, "Nightly News");
    d.act(&mut app, Action::DrillIn);
    d.act(&mut app, Action::DrillIn);
    assert_eq!(app.library.focus, LibFocus::Episodes);
    assert_eq!(app.library.episodes.total, Some(1500));
    assert!(app.library.episodes.rows.len() <= shelf::tui::app::PAGE);
    d.act(&mut app, Action::Bottom);
    assert_eq!(app.library.episodes.selected().unwrap().number, Some(1500));
    for _ in 0..30 {
        d.act(&mut app, Action::PageUp);
    }
    let want = 1500 - 30 * app.viewport as u32;
    assert_eq!(app.library.episodes.selected().unwrap().number, Some(want));
    assert!(
        app.library.episodes.rows.len() <= 2 * shelf::tui::app::PAGE,
        "never more than two pages held"
    );
    d.act(&mut app, Action::Top);
    assert_eq!(app.library.episodes.selected().unwrap().number, Some(1));
}

#[test]
fn a_title_with_hundreds_of_seasons_pages_them_and_their_episodes_follow() {
    let db = demo_catalog("seasons");
    {
        let c = catalog::open(&db, Mode::ReadWrite).unwrap();
        c.execute_batch(
            "BEGIN;
             INSERT INTO titles (id, kind, name, norm_name, sort_name, created_at, updated_at)
                 VALUES (9000, 'show', 'Long Runner', 'long runner', '0000 long runner', 'x', 'x');",
        )
        .unwrap();
        for n in (1..=450i64).rev() {
            c.execute(
                "INSERT INTO seasons (id, title_id, number, created_at) VALUES (?1, 9000, ?2, 'x')",
                [10_000 + n, n],
            )
            .unwrap();
            c.execute(
                "INSERT INTO episodes (title_id, season_id, number, name, created_at, updated_at)
                 VALUES (9000, ?1, 1, ?2, 'x', 'x')",
                rusqlite::params![10_000 + n, format!("Opener of season {n}")],
            )
            .unwrap();
        }
        c.execute_batch("COMMIT").unwrap();
    }
    let (mut app, d) = started(&db);
    assert_eq!(app.library.titles.selected().unwrap().name, "Long Runner");
    assert_eq!(app.library.seasons.total, Some(450));
    assert!(app.library.seasons.rows.len() <= shelf::tui::app::PAGE);
    d.act(&mut app, Action::DrillIn);
    d.act(&mut app, Action::Bottom);
    assert_eq!(app.library.seasons.selected().unwrap().number, Some(450));
    assert!(app.library.seasons.rows.len() <= 2 * shelf::tui::app::PAGE);
    assert_eq!(
        app.library.episodes.selected().unwrap().name.as_deref(),
        Some("Opener of season 450"),
        "the episodes of the season under the cursor"
    );
    d.act(&mut app, Action::Top);
    assert_eq!(app.library.seasons.selected().unwrap().number, Some(1));
    assert_eq!(
        app.library.episodes.selected().unwrap().name.as_deref(),
        Some("Opener of season 1")
    );
}

/// An anime numbered from its first episode on, without seasons (`[Group] Show - 12`), is
/// browsable: its episodes are one "No season" row after any seasons, and each episode
/// shows its file. They were cataloged but could not be reached from the Library.
#[test]
fn episodes_numbered_without_a_season_are_reached_from_the_library() {
    let dir = test_home().join("absolute");
    let tv = dir.join("TV");
    put(&tv.join("Frieren/[Group] Frieren - 01 (1080p).mkv"), b"one");
    put(&tv.join("Frieren/[Group] Frieren - 02 (1080p).mkv"), b"two");
    put(&tv.join("Mixed/Season 1/Mixed.S01E01.mkv"), b"three");
    put(&tv.join("Mixed/[Group] Mixed - 13 (1080p).mkv"), b"four");
    let db = scanned_shows(&tv);
    let (mut app, d) = started(&db);
    let names: Vec<(String, i64, bool)> = app
        .library
        .titles
        .rows
        .iter()
        .map(|t| (t.name.clone(), t.seasons, t.unseasoned))
        .collect();
    assert_eq!(
        names,
        vec![("Frieren".into(), 0, true), ("Mixed".into(), 1, true)]
    );
    // Frieren: one row, its two episodes, each with its file.
    let seasons: Vec<(Option<u32>, i64)> = app
        .library
        .seasons
        .rows
        .iter()
        .map(|s| (s.number, s.episodes))
        .collect();
    assert_eq!(seasons, vec![(None, 2)]);
    assert_eq!(app.library.seasons.total, Some(1));
    d.act(&mut app, Action::DrillIn);
    assert_eq!(absolutes(&app), vec![Some(1), Some(2)]);
    d.act(&mut app, Action::DrillIn);
    d.act(&mut app, Action::Down);
    assert_eq!(app.library.files.len(), 1);
    assert!(shelf::paths::display(&app.library.files[0].rel_path).contains("Frieren - 02"));
    // Mixed: its season, then the episode without one.
    d.act(&mut app, Action::DrillOut);
    d.act(&mut app, Action::DrillOut);
    d.act(&mut app, Action::Down);
    let seasons: Vec<Option<u32>> = app.library.seasons.rows.iter().map(|s| s.number).collect();
    assert_eq!(seasons, vec![Some(1), None]);
    d.act(&mut app, Action::DrillIn);
    d.act(&mut app, Action::Bottom);
    assert_eq!(absolutes(&app), vec![Some(13)]);
    d.act(&mut app, Action::DrillIn);
    assert!(shelf::paths::display(&app.library.files[0].rel_path).contains("Mixed - 13"));
}

/// The absolute numbers of the episodes listed.
fn absolutes(app: &App) -> Vec<Option<u32>> {
    app.library
        .episodes
        .rows
        .iter()
        .map(|e| e.absolute)
        .collect()
}

/// An anime library names files `Show - S01E01 - 001 - Title`: the season's episode shows
/// the show-wide number too, so a person can match it with a list that counts that way.
#[test]
fn a_season_episode_shows_its_absolute_number_too() {
    let dir = test_home().join("season_absolute");
    let tv = dir.join("TV");
    put(
        &tv.join("Long Anime/Season 21/Long Anime - S21E04 - 896 - The Plan.mkv"),
        b"one",
    );
    put(
        &tv.join("Long Anime/Season 21/Long Anime - S21E05 - The Next.mkv"),
        b"two",
    );
    let db = scanned_shows(&tv);
    let (mut app, d) = started(&db);
    d.act(&mut app, Action::DrillIn);
    d.act(&mut app, Action::DrillIn);
    let screen = draw(&mut app, 140, 30);
    assert!(screen.contains("E04 #896"), "{screen}");
    // An episode whose name gave no such number shows its own only.
    assert!(screen.contains("E05 "), "{screen}");
    assert!(!screen.contains("E05 #"), "{screen}");
}
