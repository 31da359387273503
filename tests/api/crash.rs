//! The short crash harness in the suite: 20 SIGKILLs of a real server process under 16-client
//! mixed load (form and API submissions, withdrawals, coding), restarted each time. Nothing
//! acknowledged is lost, nothing withdrawn comes back, and the index agrees after each restart.
//! `luister bench crash` runs the long version (docs/reliability.md).

use crate::helpers::{Backend, fresh_database};
use crate::on_both_backends;
use luister::bench::crash::{self, Database, Options};

async fn twenty_sigkills_under_mixed_load_lose_nothing_acknowledged(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some((url, _pg)) = fresh_database(backend, &dir).await else { return };
    let database = match backend {
        Backend::Sqlite => Database::Sqlite,
        Backend::Postgres => Database::Postgres(url),
    };
    let mut opts = Options::new(env!("CARGO_BIN_EXE_luister").into(), database, 20);
    opts.seed = 7;
    let report = crash::run(opts, |_| {}).await.expect("harness runs");
    eprintln!("{report}");
    assert_eq!(report.missing, 0, "acknowledged stories lost:\n{report}");
    assert_eq!(report.withdrawn_present, 0, "acknowledged withdrawals undone:\n{report}");
    assert_eq!(report.index_disagreements, 0, "index behind the database after a restart:\n{report}");
    // The load really was mixed, and the kills really cut requests off.
    // (Lower bounds with room for a slow, shared machine.)
    assert!(report.acknowledged > 40 && report.acknowledged_form > 5, "{report}");
    assert!(report.withdrawals_acknowledged > 0 && report.codings_acknowledged > 0, "{report}");
    assert!(report.cut_off > 20, "{report}");
    assert!(report.index_queries >= 20 * 2, "{report}");
}
on_both_backends!(twenty_sigkills_under_mixed_load_lose_nothing_acknowledged);
