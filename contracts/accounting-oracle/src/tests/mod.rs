//! Unit tests, one module per aspect.

mod fast_lane;
mod frames;
mod members;
mod model;
mod votes;
