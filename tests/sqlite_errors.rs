//! What SQLite cannot express is a diagnostic pointing at the operation
//! (E0550–E0559), never a panic: each `tests/fixtures/sqlite/err/*.mig` compiles
//! to its rendered diagnostics (snapshots `sqlite_err__<file>.snap`).

mod support;

use migc::diagnostic::{render, Color};
use migc::dialect::sqlite::Sqlite;
use migc::dialect::Backend;
use migc::ir::Dialect;
use migc::model::{Limits, Schema};
use migc::source::SourceMap;

/// Parse one revision file and lower its upgrade for SQLite; the rendered errors.
fn errors_of(path: &std::path::Path) -> String {
    let mut sources = SourceMap::new();
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let id = sources.add(&name, std::fs::read_to_string(path).unwrap());
    let rev = match migc::syntax::parse_revision(&sources, id) {
        Ok(r) => r,
        Err(d) => return format!("(does not parse)\n{}", render(&d, &sources, Color::Never)),
    };
    let backend = Sqlite::default();
    let mut model = Schema::default();
    let mut diags = Vec::new();
    for op in backend.prepare(rev.upgrade) {
        if let Err(d) = backend.lower_op(&op, &model) {
            diags.extend(d);
            continue;
        }
        if let Err(d) = model.apply(&op, &Limits::for_dialect(Dialect::Sqlite)) {
            diags.extend(d);
        }
    }
    assert!(!diags.is_empty(), "{name} compiled for SQLite");
    render(&diags, &sources, Color::Never)
}

#[test]
fn sqlite_error_fixtures() {
    insta::glob!("fixtures/sqlite/err/*.mig", |path| {
        let text = errors_of(path);
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        insta::with_settings!({
            snapshot_path => "../snapshots",
            prepend_module_to_snapshot => false,
            snapshot_suffix => "",
            omit_expression => true,
        }, {
            insta::assert_snapshot!(format!("sqlite_err__{name}"), text);
        });
    });
}
