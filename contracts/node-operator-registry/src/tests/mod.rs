//! Motsu unit tests, one file per aspect.
