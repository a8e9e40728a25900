//! 100,000 revisions in a straight chain: builds, resolves and plans without
//! deep recursion and in linear-ish time (this runs in the debug test profile).

use migc::graph::RevisionGraph;
use migc::ir::{Ident, RevisionHeader};
use migc::plan::Command;
use migc::source::Span;
use std::time::Instant;

const N: usize = 100_000;

fn chain(n: usize) -> Vec<RevisionHeader> {
    let id = |i: usize| format!("{i:012x}");
    (0..n)
        .map(|i| RevisionHeader {
            id: Ident::new(id(i), Span::default()),
            parents: if i == 0 {
                Vec::new()
            } else {
                vec![Ident::new(id(i - 1), Span::default())]
            },
            message: String::new(),
            branch_labels: Vec::new(),
            depends_on: Vec::new(),
            span: Span::default(),
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
