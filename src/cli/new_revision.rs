//! `compile revision` and `compile merge`: write a new revision file from the template.
