use crate::support::{diag_text, graph};
use migc::graph::RevisionGraph;

/// a1b2c3 <- b2c3d4 <- c3d4e5 (branchpoint) <- d4e5f6 (analytics) <- e5f6a7
///                                         <- d4f0aa <- e5aaaa
fn branchy() -> RevisionGraph {
    graph(&[
        "a1b2c3<- # one",
        "b2c3d4<-a1b2c3 # two",
        "c3d4e5<-b2c3d4 # three",
        "d4e5f6<-c3d4e5 label:analytics # analytics starts",
        "e5f6a7<-d4e5f6 # analytics two",
        "d4f0aa<-c3d4e5 # main four",
        "e5aaaa<-d4f0aa # main five",
    ])
}

fn ok(g: &RevisionGraph, t: &str) -> Vec<String> {
    match g.resolve(t) {
        Ok(r) => r.revisions,
        Err(d) => panic!("{t}: {}", diag_text(&d)),
    }
}

fn err(g: &RevisionGraph, t: &str) -> String {
    match g.resolve(t) {
        Ok(r) => panic!("{t} resolved to {:?}", r.revisions),
        Err(d) => diag_text(&d),
    }
}

#[test]
fn head_heads_base() {
    let g = graph(&["a1<-", "b2<-a1"]);
    assert_eq!(ok(&g, "head"), ["b2"]);
    assert_eq!(ok(&g, "heads"), ["b2"]);
    assert_eq!(ok(&g, "base"), Vec::<String>::new());
}

#[test]
fn head_with_several_heads_is_an_error_naming_them() {
    let g = branchy();
    let e = err(&g, "head");
    assert!(e.starts_with("E0310"), "{e}");
    assert!(e.contains("e5f6a7, e5aaaa"), "{e}");
    assert!(e.contains("LABEL@head"), "{e}");
    assert_eq!(ok(&g, "heads"), ["e5f6a7", "e5aaaa"]);
}

#[test]
fn ids_prefixes_and_labels() {
    let g = branchy();
    assert_eq!(ok(&g, "c3d4e5"), ["c3d4e5"]);
    assert_eq!(ok(&g, "c3"), ["c3d4e5"]);
    assert_eq!(ok(&g, "d4f"), ["d4f0aa"]);
    assert_eq!(ok(&g, "analytics"), ["d4e5f6"]);
    let e = err(&g, "d4");
    assert!(
        e.starts_with("E0312") && e.contains("d4e5f6, d4f0aa"),
        "{e}"
    );
    let e = err(&g, "zz");
    assert!(
        e.starts_with("E0311") && e.contains("compile history"),
        "{e}"
    );
}

#[test]
fn label_at_forms() {
    let g = branchy();
    assert_eq!(ok(&g, "analytics@head"), ["e5f6a7"]);
    assert_eq!(ok(&g, "analytics@heads"), ["e5f6a7"]);
    assert_eq!(ok(&g, "analytics@base"), Vec::<String>::new());
    assert_eq!(ok(&g, "analytics@e5f6"), ["e5f6a7"]);
    // below the label is still its lineage (Alembic's `_shares_lineage`)
    assert_eq!(ok(&g, "analytics@b2c3"), ["b2c3d4"]);
    let e = err(&g, "analytics@e5aa");
    assert!(e.starts_with("E0315"), "{e}");
    let e = err(&g, "nolabel@head");
    assert!(e.starts_with("E0311") && e.contains("analytics"), "{e}");
    // a revision id works as a branch name too
    assert_eq!(ok(&g, "d4f0aa@head"), ["e5aaaa"]);
}

#[test]
fn prefix_is_narrowed_by_the_branch() {
    let g = branchy();
    assert_eq!(ok(&g, "analytics@d4"), ["d4e5f6"]);
}

#[test]
fn relative_to_a_revision() {
    let g = branchy();
    assert_eq!(ok(&g, "a1b2c3+2"), ["c3d4e5"]);
    assert_eq!(ok(&g, "e5f6a7-2"), ["c3d4e5"]);
    assert_eq!(ok(&g, "a1b2c3-1"), Vec::<String>::new());
    assert_eq!(ok(&g, "base+1"), ["a1b2c3"]);
    assert_eq!(ok(&g, "analytics@head-1"), ["d4e5f6"]);
    assert_eq!(ok(&g, "analytics@c3d4e5+1"), ["d4e5f6"]);
}

#[test]
fn relative_errors() {
    let g = branchy();
    let e = err(&g, "b2c3d4-3");
    assert!(e.starts_with("E0313"), "{e}");
    assert!(
        e.contains("cannot go 3 steps down from b2c3d4: base is 2 steps below it"),
        "{e}"
    );
    let e = err(&g, "d4e5f6+3");
    assert!(
        e.contains("cannot go 3 steps up from d4e5f6: only 1 revision above it"),
        "{e}"
    );
    let e = err(&g, "b2c3d4+2");
    assert!(
        e.starts_with("E0314") && e.contains("d4e5f6, d4f0aa"),
        "{e}"
    );
    let e = err(&g, "+1");
    assert!(
        e.starts_with("E0316") && e.contains("starting point"),
        "{e}"
    );
}

#[test]
fn malformed_targets() {
    let g = branchy();
    for t in [
        "",
        "@head",
        "analytics@",
        "a@b@c",
        "a:b",
        "x+99999999999999999999",
    ] {
        let e = err(&g, t);
        assert!(e.starts_with("E0316"), "{t}: {e}");
    }
}

#[test]
fn walking_through_a_merge_is_ambiguous_going_down() {
    let g = graph(&["a<-", "b<-a", "c<-a", "m<-b,c"]);
    let e = err(&g, "m-1");
    assert!(e.starts_with("E0314") && e.contains("b, c"), "{e}");
    assert_eq!(ok(&g, "b+1"), ["m"]);
}
