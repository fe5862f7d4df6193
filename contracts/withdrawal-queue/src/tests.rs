//! Unit tests (motsu).
