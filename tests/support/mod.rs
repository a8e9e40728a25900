//! Shared test support. Each test file includes it with `mod support;` and uses
//! the parts it needs.
#![allow(dead_code)]

pub mod compile;
pub mod ir_builder;
pub mod pg;
pub mod sqlite;
