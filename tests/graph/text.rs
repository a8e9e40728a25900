use crate::support::{diag_text, graph, snap};
use migc::graph::RevisionGraph;

/// A project with a branch point, a labelled branch, a merge, a `depends_on`
/// and a second root.
fn shop() -> RevisionGraph {
    graph(&[
        "a1b2c3d4e5f6<- # create users and orders",
        "b2c3d4e5f6a7<-a1b2c3d4e5f6 # add user role column",
        "c3d4e5f6a7b8<-a1b2c3d4e5f6 label:analytics # analytics schema",
        "d4e5f6a7b8c9<-b2c3d4e5f6a7,c3d4e5f6a7b8 # merge analytics into main",
        "e5f6a7b8c9d0<- label:audit # audit log root",
        "f6a7b8c9d0e1<-d4e5f6a7b8c9 dep:e5f6a7b8c9d0 # orders reference audit",
        "0a1b2c3d4e5f<-c3d4e5f6a7b8 # analytics events\n\nlonger description",
    ])
}

#[test]
fn history_short() {
    snap!("history", shop().history(None, false).unwrap());
}

#[test]
fn history_verbose() {
    snap!("history_verbose", shop().history(None, true).unwrap());
}

#[test]
fn history_ranges() {
    let g = shop();
    let text = g.history(Some("b2c3:f6a7"), false).unwrap();
    snap!("history_range", text);
    // from base to one revision; open end means heads
    assert_eq!(
        g.history(Some(":b2c3"), false).unwrap(),
        "a1b2c3d4e5f6 -> b2c3d4e5f6a7, add user role column\n\
         <base> -> a1b2c3d4e5f6 (branchpoint), create users and orders\n"
    );
    assert_eq!(g.history(Some("d4e5:"), false).unwrap().lines().count(), 2);
    // -N as FROM counts down from TO
    assert_eq!(
        g.history(Some("-1:b2c3"), false).unwrap().lines().count(),
        2
    );
    let e = g.history(Some("b2c3"), false).unwrap_err();
    assert!(diag_text(&e).starts_with("E0317"));
    let e = g.history(Some("b2c3:0a1b"), false).unwrap_err();
    assert!(diag_text(&e).starts_with("E0321"), "{}", diag_text(&e));
}

#[test]
fn heads() {
    let g = shop();
    snap!("heads", g.heads_text(false));
    snap!("heads_verbose", g.heads_text(true));
}

#[test]
fn branches() {
    let g = shop();
    snap!("branches", g.branches_text(false));
    snap!("branches_verbose", g.branches_text(true));
}

#[test]
fn show() {
    let g = shop();
    snap!("show_merge", g.show("d4e5").unwrap());
    snap!("show_heads", g.show("heads").unwrap());
    let e = g.show("base").unwrap_err();
    assert!(diag_text(&e).starts_with("E0311"));
}

#[test]
fn linear_history_has_no_markers_but_head() {
    let g = graph(&["a<- # one", "b<-a # two", "c<-b"]);
    assert_eq!(
        g.history(None, false).unwrap(),
        "b -> c (head)\na -> b, two\n<base> -> a, one\n"
    );
    assert_eq!(g.heads_text(false), "c (head)\n");
    assert_eq!(g.branches_text(false), "");
}

/// The shape of `examples/shop`: a chain, a labelled branch off `e5f6`, a merge.
fn example_shop() -> RevisionGraph {
    graph(&[
        "a1b2c3d4e5f6<- # create users table",
        "b2c3d4e5f6a7<-a1b2c3d4e5f6 # add user role column with default",
        "c3d4e5f6a7b8<-b2c3d4e5f6a7 # normalize email addresses",
        "d4e5f6a7b8c9<-c3d4e5f6a7b8 # backfill user slugs",
        "e5f6a7b8c9d0<-d4e5f6a7b8c9 # create orders and order items",
        "f6a7b8c9d0e1<-e5f6a7b8c9d0 # expand: add username",
        "a7b8c9d0e1f2<-f6a7b8c9d0e1 # migrate: backfill username",
        "b8c9d0e1f2a3<-a7b8c9d0e1f2 # contract: username not null",
        "c9d0e1f2a3b4<-e5f6a7b8c9d0 label:reporting # audit log for reporting",
        "d0e1f2a3b4c5<-b8c9d0e1f2a3,c9d0e1f2a3b4 # merge username and reporting branches",
        "e1f2a3b4c5d6<-d0e1f2a3b4c5 # tenant schema",
    ])
}

#[test]
fn example_shop_outputs() {
    let g = example_shop();
    snap!("example_shop_history", g.history(None, false).unwrap());
    snap!("example_shop_branches", g.branches_text(false));
    assert_eq!(g.heads_text(false), "e1f2a3b4c5d6 (reporting) (head)\n");
}
