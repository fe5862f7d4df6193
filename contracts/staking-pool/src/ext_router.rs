//! The extension program's ABI router, written by hand from `abi/IStakingPoolExtension.sol`
//! (as the queue's and the registry's are: see [`staking_common::calldata`] for why).
//!
//! The extension program (`--features extension`) is reached only by the core's `DELEGATECALL`,
//! so it runs at the pool's address on the pool's storage. Nothing it routes is payable: the
//! core's fallback refuses ether, and `hand_router!`'s `single` arm refuses it again.
//! Arguments that do not decode revert with empty data, as the SDK's router does. Native builds
//! (motsu tests) call [`route`] from the core's fallback.

use alloy_sol_types::SolCall;
use staking_common::{
    abi::Word,
    arg,
    calldata::{self, Args},
    router::{done, ArbResult},
};

use crate::{abi::IStakingPoolExtension as I, report::OracleReport, StakingPool};

/// Routes one call of `abi/IStakingPoolExtension.sol`; `None` for any other selector.
pub(crate) fn route(s: &mut StakingPool, sel: [u8; 4], a: Args<'_>) -> Option<ArbResult> {
    Some(match sel {
        I::handleOracleReportCall::SELECTOR => {
            let report = OracleReport {
                report_timestamp: arg!(a.u256(0)),
                time_elapsed: arg!(a.u256(1)),
                cl_validators: arg!(a.u256(2)),
                cl_balance: arg!(a.u256(3)),
                withdrawals: arg!(a.u256(4)),
                el_rewards: arg!(a.u256(5)),
                shares_to_burn: arg!(a.u256(6)),
                simulated_share_rate: arg!(a.u256(7)),
                is_bunker_mode: arg!(a.boolean(8)),
                limits: arg!(a.u256(9)),
            };
            done(s.handle_oracle_report(&report, &arg!(a.u256_array(10))))
        }
        I::setOracleCall::SELECTOR => done(s.set_oracle(arg!(a.address(0)))),
        I::setFeeConfigCall::SELECTOR => {
            done(s.set_fee_config(arg!(a.address(0)), arg!(a.u256(1)), arg!(a.u256(2))))
        }
        I::getOracleCall::SELECTOR => Ok(s.get_oracle().word().to_vec()),
        I::getFeeConfigCall::SELECTOR => {
            let (treasury, total, operators) = s.get_fee_config();
            Ok(calldata::words(&[treasury.word(), total.word(), operators.word()]))
        }
        I::isBunkerModeCall::SELECTOR => Ok(s.is_bunker_mode().word().to_vec()),
        I::getExtensionCall::SELECTOR => Ok(s.get_extension().word().to_vec()),
        I::upgradeExtensionCall::SELECTOR => done(s.upgrade_extension(arg!(a.address(0)))),
        I::extensionIdCall::SELECTOR => {
            return staking_common::upgrade::answer_id(s.extension.get(), crate::EXTENSION_ID)
        }
        _ => return None,
    })
}
