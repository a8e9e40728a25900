//! Plans and version-table rows. Each expectation was worked out from Alembic's
//! `HeadMaintainer.update_to_step` (alembic/runtime/migration.py) and the
//! scenarios of tests/test_version_traversal.py / test_version_table.py.

use crate::support::{diag_text, graph};
use migc::graph::RevisionGraph;
use migc::plan::{Command, Direction, Plan, VersionChange};

fn fmt(p: &Plan) -> String {
    let mut s = format!("start [{}]\n", p.start.join(" "));
    for st in &p.steps {
        let dir = match st.direction {
            Direction::Up => "up",
            Direction::Down => "down",
        };
        let changes: Vec<String> = st
            .version_changes
            .iter()
            .map(|c| match c {
                VersionChange::Insert(x) => format!("insert {x}"),
                VersionChange::Delete(x) => format!("delete {x}"),
                VersionChange::Update { from, to } => format!("update {from}->{to}"),
            })
            .collect();
        s.push_str(&format!("{dir} {}: {}\n", st.revision, changes.join(", ")));
    }
    s.push_str(&format!("end [{}]", p.end.join(" ")));
    s
}

fn plan(g: &RevisionGraph, command: Command, spec: &str) -> String {
    match g.plan(command, spec) {
        Ok(p) => fmt(&p),
        Err(d) => panic!("{spec}: {}", diag_text(&d)),
    }
}

fn plan_err(g: &RevisionGraph, command: Command, spec: &str) -> String {
    match g.plan(command, spec) {
        Ok(p) => panic!("{spec} planned:\n{}", fmt(&p)),
        Err(d) => diag_text(&d),
    }
}

fn up(g: &RevisionGraph, spec: &str) -> String {
    plan(g, Command::Upgrade, spec)
}

fn down(g: &RevisionGraph, spec: &str) -> String {
    plan(g, Command::Downgrade, spec)
}

fn stamp(g: &RevisionGraph, spec: &str) -> String {
    plan(g, Command::Stamp, spec)
}

fn linear() -> RevisionGraph {
    graph(&["a<-", "b<-a", "c<-b"])
}

/// a <- b, a <- c, m merges b and c.
fn diamond() -> RevisionGraph {
    graph(&["a<-", "b<-a", "c<-a", "m<-b,c"])
}

#[test]
fn upgrade_linear_from_base() {
    let g = linear();
    assert_eq!(
        up(&g, "head"),
        "start []\nup a: insert a\nup b: update a->b\nup c: update b->c\nend [c]"
    );
    assert_eq!(up(&g, ":head"), up(&g, "head"));
}

#[test]
fn upgrade_from_a_revision() {
    let g = linear();
    assert_eq!(
        up(&g, "a:c"),
        "start [a]\nup b: update a->b\nup c: update b->c\nend [c]"
    );
    assert_eq!(up(&g, "a:+1"), "start [a]\nup b: update a->b\nend [b]");
    assert_eq!(
        up(&g, "+2"),
        "start []\nup a: insert a\nup b: update a->b\nend [b]"
    );
    // a relative start counts down from the target
    assert_eq!(up(&g, "-1:c"), "start [b]\nup c: update b->c\nend [c]");
}

#[test]
fn upgrade_to_something_already_applied_is_empty() {
    let g = linear();
    assert_eq!(up(&g, "c:b"), "start [c]\nend [c]");
    assert_eq!(up(&g, "c:c"), "start [c]\nend [c]");
}

#[test]
fn upgrade_relative_the_wrong_way() {
    let g = linear();
    let e = plan_err(&g, Command::Upgrade, "b:-1");
    assert!(e.starts_with("E0313"), "{e}");
    let e = plan_err(&g, Command::Upgrade, "c:+1");
    assert!(e.contains("cannot go 1 step up from c"), "{e}");
}

#[test]
fn upgrade_through_a_branch_point_inserts_the_second_branch() {
    let g = graph(&["a<-", "b<-a", "c<-a"]);
    assert_eq!(
        up(&g, "heads"),
        "start []\nup a: insert a\nup b: update a->b\nup c: insert c\nend [b c]"
    );
    // from one branch head to the other: a is no longer a row, so c inserts
    assert_eq!(up(&g, "b:c"), "start [b]\nup c: insert c\nend [b c]");
    let e = plan_err(&g, Command::Upgrade, "head");
    assert!(e.starts_with("E0310"), "{e}");
}

#[test]
fn upgrade_merge_deletes_all_but_the_last_parent_row() {
    let g = diamond();
    assert_eq!(
        up(&g, "head"),
        "start []\nup a: insert a\nup b: update a->b\nup c: insert c\nup m: delete b, update c->m\nend [m]"
    );
}

#[test]
fn upgrade_merge_with_only_one_parent_row() {
    // Alembic BranchFromMergepointTest: d1 merges c1 and c2, d2 continues c2.
    let g = graph(&[
        "a1<-",
        "b1<-a1",
        "c1<-b1",
        "a2<-",
        "b2<-a2",
        "c2<-b2",
        "d1<-c1,c2",
        "d2<-c2",
    ]);
    assert_eq!(
        up(&g, "d2:d1"),
        "start [d2]\nup a1: insert a1\nup b1: update a1->b1\nup c1: update b1->c1\nup d1: update c1->d1\nend [d1 d2]"
    );
    // and back down to b1 (Alembic: [down d1, down c1], heads {d2, b1})
    assert_eq!(
        down(&g, "heads:b1"),
        "start [d1 d2]\ndown d1: update d1->c1\ndown c1: update c1->b1\nend [b1 d2]"
    );
}

#[test]
fn downgrade_linear() {
    let g = linear();
    assert_eq!(
        down(&g, "head:base"),
        "start [c]\ndown c: update c->b\ndown b: update b->a\ndown a: delete a\nend []"
    );
    assert_eq!(
        down(&g, "head:-1"),
        "start [c]\ndown c: update c->b\nend [b]"
    );
    assert_eq!(
        down(&g, "c:a"),
        "start [c]\ndown c: update c->b\ndown b: update b->a\nend [a]"
    );
    assert_eq!(down(&g, "c:c"), "start [c]\nend [c]");
}

#[test]
fn downgrade_errors() {
    let g = linear();
    let e = plan_err(&g, Command::Downgrade, "head");
    assert!(e.starts_with("E0317") && e.contains("head:base"), "{e}");
    let e = plan_err(&g, Command::Downgrade, "b:c");
    assert!(e.starts_with("E0320"), "{e}");
    let e = plan_err(&g, Command::Downgrade, "b:-3");
    assert!(e.starts_with("E0313"), "{e}");
    let e = plan_err(&g, Command::Downgrade, "b:+1");
    assert!(e.starts_with("E0313") && e.contains("-N"), "{e}");
    let e = plan_err(&g, Command::Downgrade, "base:-1");
    assert!(e.starts_with("E0313"), "{e}");
}

#[test]
fn downgrade_unmerges() {
    let g = diamond();
    assert_eq!(
        down(&g, "head:base"),
        "start [m]\ndown m: insert b, update m->c\ndown c: delete c\ndown b: update b->a\ndown a: delete a\nend []"
    );
    // Alembic drops only what is above b: m. c is not above b, so it stays.
    assert_eq!(
        down(&g, "m:b"),
        "start [m]\ndown m: insert b, update m->c\nend [b c]"
    );
}

#[test]
fn downgrade_one_branch_of_two_heads() {
    let g = graph(&["a<-", "b<-a", "c<-a"]);
    // heads b, c; dropping c's side leaves b; a stays below b
    assert_eq!(
        down(&g, "heads:a"),
        "start [b c]\ndown c: delete c\ndown b: update b->a\nend [a]"
    );
    // target on a branch that is not above the start
    let e = plan_err(&g, Command::Downgrade, "b:c");
    assert!(e.starts_with("E0320"), "{e}");
    let e = plan_err(&g, Command::Downgrade, "heads:-1");
    assert!(e.starts_with("E0314"), "{e}");
}

fn labelled() -> RevisionGraph {
    graph(&[
        "a1<-",
        "b2<-a1",
        "c3<-b2",
        "d4<-c3 label:analytics",
        "e5<-d4",
        "d9<-c3",
        "e9<-d9",
    ])
}

#[test]
fn downgrade_one_branch_by_label() {
    let g = labelled();
    // Alembic test_downgrade_single_branch_c1branch: only the labelled side drops
    assert_eq!(
        down(&g, "heads:analytics@c3"),
        "start [e5 e9]\ndown e5: update e5->d4\ndown d4: delete d4\nend [e9]"
    );
    // Alembic test_downgrade_relative_to_branch_head
    assert_eq!(
        down(&g, "heads:analytics@-1"),
        "start [e5 e9]\ndown e5: update e5->d4\nend [d4 e9]"
    );
    assert_eq!(
        down(&g, "heads:analytics@head-1"),
        down(&g, "heads:analytics@-1")
    );
}

#[test]
fn upgrade_one_branch_by_label() {
    let g = labelled();
    assert_eq!(
        up(&g, "c3:analytics@head"),
        "start [c3]\nup d4: update c3->d4\nup e5: update d4->e5\nend [e5]"
    );
    assert_eq!(
        up(&g, "c3:analytics@+1"),
        "start [c3]\nup d4: update c3->d4\nend [d4]"
    );
}

/// x is a separate root; b depends on it.
fn depends() -> RevisionGraph {
    graph(&["x<-", "a<-", "b<-a dep:x"])
}

#[test]
fn depends_on_is_applied_and_merged_into_the_dependent_row() {
    let g = depends();
    assert_eq!(
        up(&g, "b"),
        "start []\nup a: insert a\nup x: insert x\nup b: delete a, update x->b\nend [b]"
    );
    // x applied on its own keeps its row; b then absorbs it
    assert_eq!(
        up(&g, "x:b"),
        "start [x]\nup a: insert a\nup b: delete a, update x->b\nend [b]"
    );
}

#[test]
fn depends_on_comes_back_as_a_row_on_downgrade() {
    let g = depends();
    assert_eq!(
        down(&g, "b:base"),
        "start [b]\ndown b: insert a, update b->x\ndown x: delete x\ndown a: delete a\nend []"
    );
    // to a: x is not above a, so it stays (Alembic unmerge: insert a, update b->x)
    assert_eq!(
        down(&g, "b:a"),
        "start [b]\ndown b: insert a, update b->x\nend [a x]"
    );
}

/// Alembic DependsOnBranchTestOne.
fn lib_graph() -> RevisionGraph {
    graph(&[
        "a1<- label:lib1",
        "b1<-a1",
        "c1<-b1",
        "a2<-",
        "b2<-a2",
        "c2<-b2 dep:c1",
        "d1<-c1",
        "e1<-d1",
        "f1<-e1",
    ])
}

#[test]
fn downgrade_to_a_dependency_keeps_it() {
    // test_downgrade_to_dependency: heads {c2, d1}, down d1 -> {c2}
    let g = graph(&[
        "a1<-",
        "b1<-a1",
        "c1<-b1",
        "a2<-",
        "b2<-a2",
        "c2<-b2 dep:c1",
        "d1<-c1",
    ]);
    assert_eq!(
        down(&g, "heads:c1"),
        "start [c2 d1]\ndown d1: delete d1\nend [c2]"
    );
}

#[test]
fn upgrade_pulls_in_dependencies_of_the_other_branch() {
    let g = lib_graph();
    assert_eq!(
        up(&g, "c2"),
        "start []\nup a2: insert a2\nup b2: update a2->b2\nup a1: insert a1\nup b1: update a1->b1\nup c1: update b1->c1\nup c2: delete b2, update c1->c2\nend [c2]"
    );
    // a dependency's own branch then grows from it as a new row
    assert_eq!(
        up(&g, "c2:f1"),
        "start [c2]\nup d1: insert d1\nup e1: update d1->e1\nup f1: update e1->f1\nend [c2 f1]"
    );
}

#[test]
fn stamp_moves_rows_without_steps_running() {
    let g = linear();
    assert_eq!(stamp(&g, "head"), "start []\nup c: insert c\nend [c]");
    assert_eq!(stamp(&g, "c:a"), "start [c]\ndown a: update c->a\nend [a]");
    assert_eq!(
        stamp(&g, "c:base"),
        "start [c]\ndown base: delete c\nend []"
    );
    assert_eq!(stamp(&g, "c:c"), "start [c]\nend [c]");
    let p = g.plan(Command::Stamp, "a:c").unwrap();
    assert_eq!(p.command, Command::Stamp);
    assert_eq!(p.steps.len(), 1);
}

#[test]
fn stamp_across_a_dependency() {
    // test_stamp_across_dependency: heads {e1, c2}, stamp b1 -> {b1}
    let g = graph(&[
        "a1<- label:lib1",
        "b1<-a1",
        "c1<-b1",
        "a2<-",
        "b2<-a2",
        "c2<-b2 dep:c1",
        "d1<-c1",
        "e1<-d1",
    ]);
    assert_eq!(
        stamp(&g, "heads:b1"),
        "start [c2 e1]\ndown b1: delete c2, update e1->b1\nend [b1]"
    );
}

#[test]
fn stamp_a_second_branch_inserts() {
    let g = graph(&["a<-", "b<-a", "c<-a"]);
    assert_eq!(stamp(&g, "b:c"), "start [b]\nup c: insert c\nend [b c]");
    assert_eq!(
        stamp(&g, ":heads"),
        "start []\nup b: insert b, insert c\nend [b c]"
    );
}

#[test]
fn plan_api_without_spec_parsing() {
    let g = linear();
    let p = g.plan_upgrade(None, "b").unwrap();
    assert_eq!(
        fmt(&p),
        "start []\nup a: insert a\nup b: update a->b\nend [b]"
    );
    let p = g.plan_downgrade("c", "b").unwrap();
    assert_eq!(p.command, Command::Downgrade);
    assert_eq!(fmt(&p), "start [c]\ndown c: update c->b\nend [b]");
    let p = g.plan_stamp(None, "a").unwrap();
    assert_eq!(fmt(&p), "start []\nup a: insert a\nend [a]");
}

#[test]
fn upgrade_other_branch_from_a_revision_off_that_branch() {
    // Alembic test_upgrade_other_branch_from_mergepoint: the label's branch is
    // not applied at the start, so `+1` backtracks to the newest applied
    // revision on its line (b) and moves up along the branch.
    let g = graph(&[
        "a<-",
        "b<-a",
        "c1<-b",
        "c2<-b label:c2branch",
        "d1<-c1",
        "d2<-c2",
    ]);
    assert_eq!(
        up(&g, "c1:c2branch@+1"),
        "start [c1]\nup c2: insert c2\nend [c1 c2]"
    );
    assert_eq!(
        up(&g, "base:c2branch@+1"),
        "start []\nup a: insert a\nend [a]"
    );
}

#[test]
fn hint_for_a_typo_in_revises() {
    let text = crate::support::build_errors(&["a1b2c3<-", "b<-a1b2c3x"]);
    assert!(text.contains("did you mean `a1b2c3`?"), "{text}");
}

#[test]
fn downgrade_to_an_applied_revision_with_only_dependents_above_is_empty() {
    // b has no children, only a dependent (e): nothing above b to drop.
    // (Alembic raises "nothing to drop" here; we plan nothing.)
    let g = graph(&["a<-", "b<-a", "c<-a", "d<-c", "e<-d dep:b"]);
    assert_eq!(down(&g, "heads:b"), "start [e]\nend [e]");
}
