//! Tests of the revision graph: building and its errors, targets, plans with
//! version-table rows (checked against Alembic's HeadMaintainer rules), the
//! text of history/heads/branches/show, and a 100,000-revision chain.

mod support;

mod big;
mod build;
mod plans;
mod props;
mod targets;
mod text;
