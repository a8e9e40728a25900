//! 100,000 revisions in a straight chain: builds, resolves and plans without
//! deep recursion and in linear-ish time (this runs in the debug test profile).

use migc::graph::RevisionGraph;
use migc::ir::{Ident, RevisionHeader};
use migc::plan::Command;
use migc::source::Span;
use std::time::Instant;

const N: usize = 100_000;

fn id(i: usize) -> String {
    format!("{i:012x}")
}

fn header(i: usize, parents: &[usize]) -> RevisionHeader {
    RevisionHeader {
        id: Ident::new(id(i), Span::default()),
        parents: parents
            .iter()
            .map(|&p| Ident::new(id(p), Span::default()))
            .collect(),
        message: String::new(),
        branch_labels: Vec::new(),
        depends_on: Vec::new(),
        span: Span::default(),
    }
}

fn chain(n: usize) -> Vec<RevisionHeader> {
    (0..n)
        .map(|i| {
            if i == 0 {
                header(0, &[])
            } else {
                header(i, &[i - 1])
            }
        })
        .collect()
}

#[test]
fn hundred_thousand_revision_chain() {
    let started = Instant::now();
    // newest first, so nothing is already in order
    let mut headers = chain(N);
    headers.reverse();
    let g = RevisionGraph::build(headers).expect("builds");
    assert_eq!(g.len(), N);
    assert_eq!(g.heads(), [format!("{:012x}", N - 1)]);

    let up = g.plan(Command::Upgrade, "head").expect("upgrade plan");
    assert_eq!(up.steps.len(), N);
    assert_eq!(up.end, [format!("{:012x}", N - 1)]);

    let down = g
        .plan(Command::Downgrade, "head:base")
        .expect("downgrade plan");
    assert_eq!(down.steps.len(), N);
    assert!(down.end.is_empty());

    let rel = g.resolve("base+100000").expect("walk");
    assert_eq!(rel.revisions, [format!("{:012x}", N - 1)]);
    let mid = g.plan(Command::Downgrade, "head:-50000").expect("relative");
    assert_eq!(mid.steps.len(), 50_000);

    let history = g.history(None, false).expect("history");
    assert_eq!(history.lines().count(), N);
    let secs = started.elapsed().as_secs_f64();
    assert!(secs < 30.0, "took {secs:.1}s");
}

/// One root with 50,000 children: 50,000 heads.
#[test]
fn fifty_thousand_heads() {
    let started = Instant::now();
    let n = 50_000;
    let headers = (0..=n)
        .map(|i| {
            if i == 0 {
                header(0, &[])
            } else {
                header(i, &[0])
            }
        })
        .collect();
    let g = RevisionGraph::build(headers).expect("builds");
    assert_eq!(g.heads().len(), n);
    let up = g.plan(Command::Upgrade, "heads").expect("upgrade");
    assert_eq!(up.end.len(), n);
    let stamp = g.plan(Command::Stamp, "heads").expect("stamp");
    assert_eq!(stamp.end.len(), n);
    let down = g.plan(Command::Downgrade, "heads:base").expect("downgrade");
    assert_eq!(down.steps.len(), n + 1);
    assert_eq!(g.branches_text(false).lines().count(), n + 2);
    let secs = started.elapsed().as_secs_f64();
    assert!(secs < 30.0, "took {secs:.1}s");
}

/// 100,000 revisions where every fifth merges in an older one.
#[test]
fn hundred_thousand_with_merges() {
    let started = Instant::now();
    let headers = (0..N)
        .map(|i| match i {
            0 => header(0, &[]),
            i if i % 5 == 0 => header(i, &[i - 1, i / 2]),
            i => header(i, &[i - 1]),
        })
        .collect();
    let g = RevisionGraph::build(headers).expect("builds");
    let up = g.plan(Command::Upgrade, "head").expect("upgrade");
    assert_eq!(up.steps.len(), N);
    assert_eq!(up.end, [id(N - 1)]);
    let down = g.plan(Command::Downgrade, "head:base").expect("downgrade");
    assert!(down.end.is_empty());
    let history = g
        .history(Some(&format!("{}:", id(N / 2))), false)
        .expect("history");
    assert!(history.lines().count() >= N / 2);
    let secs = started.elapsed().as_secs_f64();
    assert!(secs < 30.0, "took {secs:.1}s");
}
