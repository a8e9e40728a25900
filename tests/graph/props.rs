//! Properties over random histories (branches, merges, depends_on): every plan
//! keeps the version table equal to the maximal applied revisions after each
//! step, each version change is valid on the rows it meets (no insert of a
//! present row, no update/delete of an absent one), and steps come in an
//! order where everything a revision needs is applied first.

use migc::graph::RevisionGraph;
use migc::ir::{Ident, RevisionHeader};
use migc::plan::{Direction, Plan, VersionChange};
use migc::source::Span;
use proptest::prelude::*;
use std::collections::BTreeSet;

#[derive(Debug, Clone)]
struct Rev {
    parents: Vec<usize>,
    deps: Vec<usize>,
}

fn name(i: usize) -> String {
    format!("r{i:03}")
}

fn history() -> impl Strategy<Value = Vec<Rev>> {
    (1usize..25).prop_flat_map(|n| {
        let revs: Vec<_> = (0..n)
            .map(|i| {
                let pick = if i == 0 { 0..1 } else { 0..i };
                (
                    proptest::collection::btree_set(pick.clone(), 0..=2),
                    proptest::collection::btree_set(pick, 0..=1),
                    any::<bool>(),
                )
            })
            .collect();
        revs.prop_map(|v| {
            v.into_iter()
                .enumerate()
                .map(|(i, (parents, deps, root))| {
                    let parents: Vec<usize> = if i == 0 || (root && i % 4 == 0) {
                        Vec::new()
                    } else if parents.is_empty() {
                        vec![i - 1]
                    } else {
                        parents.into_iter().collect()
                    };
                    let deps = if i == 0 {
                        Vec::new()
                    } else {
                        deps.into_iter().filter(|d| !parents.contains(d)).collect()
                    };
                    Rev { parents, deps }
                })
                .collect()
        })
    })
}

fn build(revs: &[Rev]) -> RevisionGraph {
    let ident = |i: usize| Ident::new(name(i), Span::default());
    let headers = revs
        .iter()
        .enumerate()
        .map(|(i, r)| RevisionHeader {
            id: ident(i),
            parents: r.parents.iter().map(|&p| ident(p)).collect(),
            message: String::new(),
            branch_labels: Vec::new(),
            depends_on: r.deps.iter().map(|&d| ident(d)).collect(),
            span: Span::default(),
        })
        .collect();
    RevisionGraph::build(headers).expect("random histories are valid")
}

fn index(id: &str) -> usize {
    id[1..].parse().expect("rNNN")
}

fn downs(revs: &[Rev], i: usize) -> impl Iterator<Item = usize> + '_ {
    revs[i].parents.iter().chain(&revs[i].deps).copied()
}

fn maximal(revs: &[Rev], applied: &BTreeSet<usize>) -> BTreeSet<String> {
    let named: BTreeSet<usize> = applied.iter().flat_map(|&a| downs(revs, a)).collect();
    applied
        .iter()
        .filter(|a| !named.contains(a))
        .map(|&a| name(a))
        .collect()
}

fn ancestors(revs: &[Rev], start: &[String]) -> BTreeSet<usize> {
    let mut out = BTreeSet::new();
    let mut todo: Vec<usize> = start.iter().map(|s| index(s)).collect();
    while let Some(i) = todo.pop() {
        if out.insert(i) {
            todo.extend(downs(revs, i));
        }
    }
    out
}

/// Replays the plan on a model version table; panics on any inconsistency.
fn check(revs: &[Rev], plan: &Plan) {
    let mut applied = ancestors(revs, &plan.start);
    let mut rows: BTreeSet<String> = plan.start.iter().cloned().collect();
    assert_eq!(rows, maximal(revs, &applied), "start rows");
    for step in &plan.steps {
        let r = index(&step.revision);
        match step.direction {
            Direction::Up => {
                assert!(
                    downs(revs, r).all(|d| applied.contains(&d)),
                    "{r} before its needs"
                );
                assert!(applied.insert(r), "{r} applied twice");
            }
            Direction::Down => {
                assert!(applied.remove(&r), "{r} not applied");
                assert!(
                    applied.iter().all(|&a| downs(revs, a).all(|d| d != r)),
                    "{r} still needed"
                );
            }
        }
        for c in &step.version_changes {
            match c {
                VersionChange::Insert(x) => assert!(rows.insert(x.clone()), "insert {x} twice"),
                VersionChange::Delete(x) => assert!(rows.remove(x), "delete missing {x}"),
                VersionChange::Update { from, to } => {
                    assert!(rows.remove(from), "update missing {from}");
                    assert!(rows.insert(to.clone()), "update to present {to}");
                }
            }
        }
        assert_eq!(
            rows,
            maximal(revs, &applied),
            "rows after {}",
            step.revision
        );
    }
    let end: BTreeSet<String> = plan.end.iter().cloned().collect();
    assert_eq!(rows, end, "end rows");
}

/// A stamp's changes are valid on the rows they meet, lead to `end`, and
/// `end` holds no revision below another.
fn check_stamp(revs: &[Rev], plan: &Plan) {
    let mut rows: BTreeSet<String> = plan.start.iter().cloned().collect();
    for c in plan.steps.iter().flat_map(|s| &s.version_changes) {
        match c {
            VersionChange::Insert(x) => assert!(rows.insert(x.clone()), "insert {x} twice"),
            VersionChange::Delete(x) => assert!(rows.remove(x), "delete missing {x}"),
            VersionChange::Update { from, to } => {
                assert!(rows.remove(from), "update missing {from}");
                assert!(rows.insert(to.clone()), "update to present {to}");
            }
        }
    }
    let end: BTreeSet<String> = plan.end.iter().cloned().collect();
    assert_eq!(rows, end, "stamp end rows");
    assert_eq!(
        maximal(revs, &ancestors(revs, &plan.end)),
        end,
        "stamp rows comparable"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn plans_keep_rows_maximal(revs in history(), pick in any::<proptest::sample::Index>()) {
        let g = build(&revs);
        let all = g.plan_upgrade(None, "heads").unwrap();
        check(&revs, &all);
        prop_assert_eq!(all.steps.len(), revs.len());
        let down = g.plan_downgrade("heads", "base").unwrap();
        check(&revs, &down);
        prop_assert!(down.end.is_empty());

        let r = name(pick.index(revs.len()));
        let up_r = g.plan_upgrade(None, &r).unwrap();
        check(&revs, &up_r);
        let rest = g.plan_upgrade(Some(&r), "heads").unwrap();
        check(&revs, &rest);
        let back = g.plan_downgrade("heads", &r).unwrap();
        check(&revs, &back);
        prop_assert!(!back.end.is_empty());
        for from in [None, Some("heads"), Some(r.as_str())] {
            let stamp = g.plan_stamp(from, &r).unwrap();
            check_stamp(&revs, &stamp);
            prop_assert!(stamp.end.contains(&r));
        }
        check_stamp(&revs, &g.plan_stamp(Some(&r), "heads").unwrap());
        check_stamp(&revs, &g.plan_stamp(Some(&r), "base").unwrap());
    }
}
