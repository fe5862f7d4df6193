//! Differential test: our `access` module against OpenZeppelin's `AccessControl` (0.3).
//!
//! The same pseudo-random sequence of grants, revokes, renounces and admin changes, from
//! random senders, runs on both; after every step the results (revert data included), the
//! role table and the logs (topics and data) must be identical.

use alloc::vec::Vec;

use alloy_primitives::{Address, B256};
use motsu::prelude::*;
use openzeppelin_stylus::access::control::{self as oz, IAccessControl};
use staking_common::{
    host,
    roles::{DEFAULT_ADMIN_ROLE, GUARDIAN_ROLE, PAUSE_ROLE, RESUME_ROLE},
};
use stylus_sdk::prelude::*;

use crate::AccessManager;

/// OpenZeppelin's component behind the same entry points as the manager's role functions.
#[storage]
struct OzHarness {
    ac: oz::AccessControl,
}

// SAFETY: test-only top-level contract (motsu deploys it at its own address).
unsafe impl TopLevelStorage for OzHarness {}

#[public]
impl OzHarness {
    fn initialize(&mut self, admin: Address) {
        self.ac._grant_role(DEFAULT_ADMIN_ROLE, admin);
    }

    fn has_role(&self, role: B256, account: Address) -> bool {
        self.ac.has_role(role, account)
    }

    fn get_role_admin(&self, role: B256) -> B256 {
        self.ac.get_role_admin(role)
    }

    fn grant_role(&mut self, role: B256, account: Address) -> Result<(), oz::Error> {
        self.ac.grant_role(role, account)
    }

    fn revoke_role(&mut self, role: B256, account: Address) -> Result<(), oz::Error> {
        self.ac.revoke_role(role, account)
    }

    fn renounce_role(&mut self, role: B256, confirmation: Address) -> Result<(), oz::Error> {
        self.ac.renounce_role(role, confirmation)
    }

    fn set_role_admin(&mut self, role: B256, admin_role: B256) -> Result<(), oz::Error> {
        self.ac._check_role(DEFAULT_ADMIN_ROLE, host::sender())?;
        self.ac._set_role_admin(role, admin_role);
        Ok(())
    }
}

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let x = self.0.wrapping_mul(0x2545_f491_4f6c_dd1d);
        usize::try_from(x >> 33).unwrap() % n
    }
}

fn encode<E: Into<Vec<u8>>>(r: Result<(), E>) -> Result<(), Vec<u8>> {
    r.map_err(Into::into)
}

#[motsu::test]
fn role_functions_match_openzeppelin_step_by_step(
    ours: Contract<AccessManager>,
    theirs: Contract<OzHarness>,
) {
    let accounts: Vec<Address> = (1..=4u8).map(Address::repeat_byte).collect();
    let roles = [DEFAULT_ADMIN_ROLE, GUARDIAN_ROLE, PAUSE_ROLE, RESUME_ROLE];
    ours.sender(accounts[0]).constructor(accounts[0]).unwrap();
    theirs.sender(accounts[0]).initialize(accounts[0]);

    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut successes = 0;
    for step in 0..600 {
        let sender = accounts[rng.next(accounts.len())];
        let account = accounts[rng.next(accounts.len())];
        let role = roles[rng.next(roles.len())];
        let other = roles[rng.next(roles.len())];
        let (a, b) = match rng.next(4) {
            0 => (
                encode(ours.sender(sender).grant_role(role, account)),
                encode(theirs.sender(sender).grant_role(role, account)),
            ),
            1 => (
                encode(ours.sender(sender).revoke_role(role, account)),
                encode(theirs.sender(sender).revoke_role(role, account)),
            ),
            2 => {
                // Mostly a valid confirmation, sometimes not.
                let confirmation = if rng.next(4) == 0 { account } else { sender };
                (
                    encode(ours.sender(sender).renounce_role(role, confirmation)),
                    encode(theirs.sender(sender).renounce_role(role, confirmation)),
                )
            }
            _ => (
                encode(ours.sender(sender).set_role_admin(role, other)),
                encode(theirs.sender(sender).set_role_admin(role, other)),
            ),
        };
        assert_eq!(a, b, "step {step}: result");
        successes += usize::from(a.is_ok());
        for r in roles {
            assert_eq!(
                ours.sender(sender).get_role_admin(r),
                theirs.sender(sender).get_role_admin(r),
                "step {step}: admin of {r}"
            );
            for acc in &accounts {
                assert_eq!(
                    ours.sender(sender).has_role(r, *acc),
                    theirs.sender(sender).has_role(r, *acc),
                    "step {step}: {r} of {acc}"
                );
            }
        }
        assert_eq!(ours.all_events(), theirs.all_events(), "step {step}: logs");
    }
    // The sequence exercised both outcomes plenty.
    assert!(successes > 100 && successes < 550, "{successes} successes");
}
