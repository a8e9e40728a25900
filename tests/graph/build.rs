use crate::support::{build_errors, graph, snap};

#[test]
fn linear_chain_order_heads_bases() {
    let g = graph(&["a<-", "b<-a", "c<-b"]);
    assert_eq!(g.topological_order(), ["a", "b", "c"]);
    assert_eq!(g.heads(), ["c"]);
    assert_eq!(g.bases(), ["a"]);
    assert_eq!(g.children("a"), ["b"]);
    assert_eq!(g.parents("c"), ["b"]);
}

#[test]
fn topological_order_is_input_order_independent_within_a_line() {
    // Files listed newest first still come out ancestors first.
    let g = graph(&["c<-b", "b<-a", "a<-"]);
    assert_eq!(g.topological_order(), ["a", "b", "c"]);
}

#[test]
fn merge_applies_first_parent_branch_in_full_then_the_next() {
    let g = graph(&["a<-", "c1<-a", "b1<-a", "c2<-c1", "b2<-b1", "m<-b2,c2"]);
    // `m revises b2, c2`: all of b's branch, then all of c's.
    assert_eq!(g.topological_order(), ["a", "b1", "b2", "c1", "c2", "m"]);
}

#[test]
fn unmerged_heads_are_walked_in_file_order() {
    let g = graph(&["a<-", "c<-a", "b<-a", "c2<-c", "b2<-b"]);
    assert_eq!(g.heads(), ["c2", "b2"]);
    assert_eq!(g.topological_order(), ["a", "c", "c2", "b", "b2"]);
}

#[test]
fn depends_on_comes_first_and_keeps_effective_head() {
    let g = graph(&["x<-", "a<-", "b<-a dep:x"]);
    assert_eq!(g.topological_order(), ["a", "x", "b"]);
    assert_eq!(g.heads(), ["b"]);
    assert_eq!(g.effective_heads(), ["x", "b"]);
    assert_eq!(g.ancestors("b"), ["a", "x", "b"]);
}

#[test]
fn labels_spread_along_their_branch() {
    let g = graph(&["a<-", "b<-a", "c<-b label:feature", "d<-c", "e<-a"]);
    // a is a branch point, so the label stops above it; b..d carry it.
    assert_eq!(g.labels("a"), Vec::<&str>::new());
    assert_eq!(g.labels("b"), ["feature"]);
    assert_eq!(g.labels("d"), ["feature"]);
    assert_eq!(g.labels("e"), Vec::<&str>::new());
}

#[test]
fn duplicate_id() {
    snap!("error_duplicate_id", build_errors(&["a<-", "b<-a", "a<-b"]));
}

#[test]
fn missing_parent_and_dependency_reported_together() {
    let text = build_errors(&["a1b2<-", "b<-a1b", "c<-b dep:zz", "d<-c dep:nope"]);
    assert!(text.contains("E0301"), "{text}");
    assert_eq!(text.matches("E0302").count(), 2, "{text}");
    snap!("error_missing_refs", text);
}

#[test]
fn cycle_names_its_revisions() {
    let text = build_errors(&["a<-", "b<-a,d", "c<-b", "d<-c"]);
    assert!(text.contains("b -> d -> c"), "{text}");
    snap!("error_cycle", text);
}

#[test]
fn cycle_through_depends_on_and_self_loop() {
    let text = build_errors(&["a<-a"]);
    assert!(text.contains("E0303"), "{text}");
    let text = build_errors(&["a<- dep:b", "b<- dep:a"]);
    assert!(text.contains("E0303"), "{text}");
}

#[test]
fn cycle_without_any_head_or_base() {
    let text = build_errors(&["a<-b", "b<-a"]);
    assert!(text.contains("revisions form a cycle"), "{text}");
}

#[test]
fn duplicate_branch_label_and_label_clashing_with_id() {
    let text = build_errors(&["a<- label:lib", "b<-a label:lib", "c<- label:a"]);
    assert_eq!(text.matches("E0304").count(), 2, "{text}");
    snap!("error_labels", text);
}

#[test]
fn reserved_and_bad_ids() {
    let text = build_errors(&["head<-", "a-b<-", "c<- label:x@y"]);
    assert_eq!(text.matches("E0305").count(), 3, "{text}");
}

#[test]
fn repeated_parent() {
    let text = build_errors(&["a<-", "b<-a,a"]);
    assert!(text.contains("E0306"), "{text}");
}
