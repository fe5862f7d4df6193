//! The role errors keep OpenZeppelin's selectors. (Every error's compact encoding is checked
//! against alloy's by the generated test, `interface::generated_tests`.)

use crate::errors::{AccessControlBadConfirmation, AccessControlUnauthorizedAccount};

#[test]
fn role_errors_keep_openzeppelin_selectors() {
    use alloy_sol_types::SolError;
    use openzeppelin_stylus::access::control as oz;
    assert_eq!(
        AccessControlUnauthorizedAccount::SELECTOR,
        oz::AccessControlUnauthorizedAccount::SELECTOR
    );
    assert_eq!(AccessControlBadConfirmation::SELECTOR, oz::AccessControlBadConfirmation::SELECTOR);
}
