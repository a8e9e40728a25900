//! Reading a migration project from disk: the revision files of the versions folder.
//!
//! Files are read once, in file-name order (so every later stage sees the same
//! order on every machine), and registered in the [`SourceMap`]. A file that is not
//! UTF-8 is a diagnostic pointing at its first bad byte, not a crash.

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::source::{SourceFile, SourceId, SourceMap, Span};
use std::path::{Path, PathBuf};

/// The extension of revision files.
pub const REVISION_EXT: &str = "mig";

/// The revision files of one project.
#[derive(Debug, Clone, Default)]
pub struct RevisionFiles {
    /// Source ids of the revision files, in file-name order.
    pub ids: Vec<SourceId>,
}

/// List `*.mig` in `dir`, sorted by name.
pub fn list_revision_files(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        Diagnostic::error(
            "E0406",
            format!("cannot read the versions folder {}: {e}", dir.display()),
        )
        .with_help("check `versions = ...` in the config, or run `compile init`")
    })?;
    // The entry's file type comes with the directory listing: no stat per file.
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file() || t.is_symlink()))
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == REVISION_EXT))
        .collect();
    // Every path is `dir/<name>`: ordering the bytes orders them as `Path`'s
    // component-wise `Ord` would, without splitting both paths into components on
    // every comparison (7,000 instructions a file on 1,000 files).
    paths.sort_unstable_by(|a, b| {
        a.as_os_str()
            .as_encoded_bytes()
            .cmp(b.as_os_str().as_encoded_bytes())
    });
    Ok(paths)
}

/// Read every revision file of the project into `sources`. All unreadable files are
/// reported together.
pub fn read_revision_files(
    config: &Config,
    sources: &mut SourceMap,
) -> Result<RevisionFiles, Vec<Diagnostic>> {
    let paths = list_revision_files(&config.versions_dir).map_err(|d| vec![d])?;
    let mut files = RevisionFiles::default();
    let mut errors = Vec::new();
    for (path, read) in paths.iter().zip(read_all(&paths)) {
        match register(path, read, sources) {
            Ok(id) => files.ids.push(id),
            Err(d) => errors.push(d),
        }
    }
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(errors)
    }
}

/// A file as read by a worker: ready to register, or why not.
enum Read {
    File(SourceFile),
    Io(std::io::Error),
    NotUtf8(std::string::FromUtf8Error),
}

/// Read every file and index its lines, on all cores (reading thousands of small
/// files is mostly waiting on the kernel). Results come back in the order of `paths`.
fn read_all(paths: &[PathBuf]) -> Vec<Read> {
    crate::parallel::map_in_order(
        paths,
        |p| match std::fs::read(p).map(String::from_utf8) {
            Ok(Ok(text)) => Read::File(SourceFile::new(p.clone(), text)),
            Ok(Err(e)) => Read::NotUtf8(e),
            Err(e) => Read::Io(e),
        },
        |_| Read::Io(std::io::Error::other("a reader thread panicked")),
    )
}

fn register(path: &Path, read: Read, sources: &mut SourceMap) -> Result<SourceId, Diagnostic> {
    match read {
        Read::File(file) => Ok(sources.add_file(file)),
        Read::Io(e) => Err(Diagnostic::error(
            "E0415",
            format!("cannot read {}: {e}", path.display()),
        )),
        Read::NotUtf8(e) => {
            let at = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let id = sources.add(path, text);
            Err(
                Diagnostic::error("E0413", format!("{} is not valid UTF-8", path.display()))
                    .with_span(Span::new(id, at, at + 1), "this byte is not UTF-8")
                    .with_help("revision files must be saved as UTF-8"),
            )
        }
    }
}

/// The error for a project with no revision file, for commands that need one.
pub fn empty_project(config: &Config) -> Diagnostic {
    Diagnostic::error(
        "E0414",
        format!(
            "the project has no revisions: {} holds no *.{REVISION_EXT} file",
            config.versions_dir.display()
        ),
    )
    .with_help("create the first one with `compile revision -m \"create users table\"`")
}

#[cfg(test)]
mod tests {
    #[test]
    fn files_are_listed_in_path_order() {
        let dir = std::env::temp_dir().join(format!("migc-list-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let names = [
            "b.mig", "a_b.mig", "a.mig", "A.mig", "a-b.mig", "a.b.mig", "ä.mig", "10.mig", "9.mig",
        ];
        for n in names {
            std::fs::write(dir.join(n), "").unwrap();
        }
        std::fs::write(dir.join("notes.txt"), "").unwrap();
        let listed = super::list_revision_files(&dir).unwrap();
        let mut expected: Vec<_> = names.iter().map(|n| dir.join(n)).collect();
        expected.sort();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(listed, expected);
    }
}
