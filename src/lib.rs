//! An offline SQL migration compiler.
//!
//! The pipeline, one module per stage (see `ARCHITECTURE.md`):
//!
//! | stage | module | in → out |
//! |---|---|---|
//! | read | [`project`], [`config`] | files → sources, config |
//! | parse | [`syntax`] | revision file → [`ir::Revision`] (spanned) |
//! | bind | [`template`] | `{{ var }}` in names and SQL → rendered text |
//! | graph | [`graph`] | headers → revision graph → [`plan::Plan`] |
//! | model | [`model`], [`reverse`] | IR replayed in graph order → schema; derived downgrades |
//! | lower | [`dialect`] | IR + schema → SQL statements |
//! | assemble | [`script`] | plan + statements → one transactional script |
//! | drive | [`driver`] | runs the stages for one command |

pub mod diagnostic;
pub mod ir;
pub mod plan;
pub mod source;

pub mod alloc;
pub mod cli;
pub mod config;
pub mod dialect;
pub mod driver;
pub mod fxhash;
pub mod graph;
pub mod model;
pub mod parallel;
pub mod project;
pub mod reverse;
pub mod script;
pub mod syntax;
pub mod template;
