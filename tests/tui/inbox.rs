//! Inbox: a card planned, looked over, applied after a confirmation, and put back, with
//! the UI's own writer.

use crate::harness::*;

#[test]
fn the_inbox_plans_applies_and_puts_back_a_card() {
    let home = test_home().join("inbox");
    let _ = std::fs::remove_dir_all(&home);
    let card = home.join("card");
    let photo = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/full_exif.jpg"
    ))
    .unwrap();
    put(&card.join("DCIM/IMG_0001.JPG"), &photo);
    put(&card.join("DCIM/IMG_0001.JPG.xmp"), b"<x/>");
    for f in ["DCIM/IMG_0001.JPG", "DCIM/IMG_0001.JPG.xmp"] {
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        std::fs::File::options()
            .write(true)
            .open(card.join(f))
            .unwrap()
            .set_modified(old)
            .unwrap();
    }
    let db = home.join("catalog.db");
    drop(catalog::open(&db, Mode::ReadWrite).unwrap());
    let dest = home.join("Photos");
    let (mut app, d) = started(&db);
    let mut config = shelf::config::Config::default();
    config.probe.ffprobe = String::new();
    // Runs an effect the way the loop's thread would, with the UI's writer.
    let job = |app: &mut App, effects: Vec<Effect>| {
        for e in d.run(app, effects) {
            let ev = shelf::tui::organise_job(&e, &db, &config, Some(d.writer.handle()));
            let more = app.on_organise(ev);
            d.run(app, more);
        }
    };
    d.act(&mut app, Action::Inbox);
    assert_eq!(app.screen, Screen::Inbox);
    d.act(&mut app, Action::Add);
    assert_eq!(app.line().unwrap().kind, InputKind::OrganisePlan);
    app.line_mut().unwrap().text = format!("{} -> {}", card.display(), dest.display());
    let e = app.submit();
    job(&mut app, e);
    assert_eq!(app.inbox.plan.len(), 2, "{:?}", app.message);
    assert!(
        app.inbox.plan[0]
            .dest
            .as_deref()
            .unwrap()
            .ends_with("2023/2023-12-25/IMG_0001.JPG")
    );
    let sidecar = app
        .inbox
        .plan
        .iter()
        .find(|l| l.src.ends_with(".xmp"))
        .unwrap();
    assert_eq!(
        sidecar.date_source.as_deref(),
        Some("exif"),
        "dated as its photo"
    );
    let screen = draw(&mut app, 120, 30);
    assert!(
        screen.contains("2023-12-25 exif") && screen.contains("(copy)"),
        "{screen}"
    );
    assert!(!dest.exists(), "planning changes nothing");

    // Move, applied only after a yes.
    d.act(&mut app, Action::Toggle);
    assert!(app.inbox.moving);
    d.act(&mut app, Action::Accept);
    app.line_mut().unwrap().text = "n".into();
    let e = app.submit();
    job(&mut app, e);
    assert!(!dest.exists(), "no means no");
    d.act(&mut app, Action::Accept);
    app.line_mut().unwrap().text = "y".into();
    let e = app.submit();
    job(&mut app, e);
    assert!(
        dest.join("2023/2023-12-25/IMG_0001.JPG").exists(),
        "{:?}",
        app.message
    );
    assert!(dest.join("2023/2023-12-25/IMG_0001.JPG.xmp").exists());
    assert!(!card.join("DCIM/IMG_0001.JPG").exists(), "moved");
    assert_eq!(app.inbox.batches.len(), 1);
    assert_eq!(app.inbox.batches[0].status, "done");

    // The batch, put back.
    d.act(&mut app, Action::DrillIn);
    d.act(&mut app, Action::Undo);
    assert_eq!(
        app.line().unwrap().kind,
        InputKind::OrganiseUndo(app.inbox.batches[0].id)
    );
    app.line_mut().unwrap().text = "y".into();
    let e = app.submit();
    job(&mut app, e);
    assert_eq!(
        std::fs::read(card.join("DCIM/IMG_0001.JPG")).unwrap(),
        photo
    );
    assert!(!dest.join("2023/2023-12-25/IMG_0001.JPG").exists());
    assert_eq!(app.inbox.batches[0].status, "undone");
}
