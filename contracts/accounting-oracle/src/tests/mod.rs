//! Unit tests, one module per aspect: the pure frame and vote logic (`fast_lane`, `frames`,
//! `members`, `model`, `votes`) and the contract through its entry points (`contract`, motsu).

pub(crate) mod clock;
mod contract;
mod fast_lane;
mod frames;
mod layout;
mod members;
mod model;
mod votes;
