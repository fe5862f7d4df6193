//! The queue's own ABI router (instead of `#[public]`, for size: see
//! [`staking_common::calldata`]).
//!
//! Selectors come from `abi/IWithdrawalQueue.sol` through `sol!`, so the router, the exported
//! ABI and the tests' bindings cannot disagree. Arguments that do not decode revert with empty
//! data, as the SDK's router does. Only `finalize` is payable: any other call carrying value
//! reverts with empty data.
//!
//! The wasm is two programs built from this crate (Stylus caps one at 24,576 compressed
//! bytes): the **core** program, which users call, routes the hot paths (requests,
//! finalization, claims, the ERC-721 moves and lookups, the constructor (the StylusDeployer's
//! call, `staking_common::upgrade`), `unfinalizedStETH`, which the pool reads on every
//! validator deposit, and the pool's other calls in a report: `prefinalize`,
//! `getWithdrawalStatus`, `setBunkerMode`); every other selector it
//! forwards by `DELEGATECALL` to the **extension** program (`--features extension`), which
//! routes the views, the administration and `upgradeExtension` and runs on the core's
//! storage. The extension's address is set by the constructor and replaced only by
//! `upgradeExtension`. Native builds (motsu tests) route everything directly.

use alloc::vec::Vec;

use alloy_primitives::{B256, U256};
use alloy_sol_types::SolCall;
use staking_common::{
    abi::Word,
    calldata::{self, Args},
    router::{done, word},
};
use stylus_sdk::ArbResult;

use staking_common::arg;

use crate::{abi::IWithdrawalQueue as I, errors::Error, WithdrawalQueue};

fn ids(r: Result<Vec<U256>, Error>) -> ArbResult {
    r.map(|v| calldata::u256_array(&v)).map_err(Into::into)
}

fn string(s: &str) -> Vec<u8> {
    calldata::bytes(s.as_bytes())
}

/// The hot paths, served by the core program.
#[cfg_attr(all(target_arch = "wasm32", feature = "extension"), allow(dead_code))]
fn core(s: &mut WithdrawalQueue, sel: [u8; 4], a: Args<'_>) -> Option<ArbResult> {
    Some(match sel {
        I::requestWithdrawalsCall::SELECTOR => {
            ids(s.request_withdrawals(&arg!(a.u256_array(0)), arg!(a.address(1))))
        }
        I::requestWithdrawalsSplitCall::SELECTOR => {
            ids(s.request_withdrawals_split(arg!(a.u256(0)), arg!(a.address(1))))
        }
        I::finalizeCall::SELECTOR => done(s.finalize(arg!(a.u256(0)), arg!(a.u256(1)))),
        I::claimWithdrawalCall::SELECTOR => done(s.claim_withdrawal(arg!(a.u256(0)))),
        I::claimWithdrawalsCall::SELECTOR => {
            done(s.claim_withdrawals(&arg!(a.u256_array(0)), &arg!(a.u256_array(1))))
        }
        I::claimWithdrawalsToCall::SELECTOR => done(s.claim_withdrawals_to(
            &arg!(a.u256_array(0)),
            &arg!(a.u256_array(1)),
            arg!(a.address(2)),
        )),
        I::balanceOfCall::SELECTOR => word(s.balance_of(arg!(a.address(0)))),
        I::ownerOfCall::SELECTOR => word(s.owner_of(arg!(a.u256(0)))),
        I::getApprovedCall::SELECTOR => word(s.get_approved(arg!(a.u256(0)))),
        I::isApprovedForAllCall::SELECTOR => {
            Ok(s.is_approved_for_all(arg!(a.address(0)), arg!(a.address(1))).word().to_vec())
        }
        I::approveCall::SELECTOR => done(s.approve(arg!(a.address(0)), arg!(a.u256(1)))),
        I::setApprovalForAllCall::SELECTOR => {
            done(s.set_approval_for_all(arg!(a.address(0)), arg!(a.boolean(1))))
        }
        I::transferFromCall::SELECTOR => {
            done(s.transfer_from(arg!(a.address(0)), arg!(a.address(1)), arg!(a.u256(2))))
        }
        I::safeTransferFrom_0Call::SELECTOR => {
            done(s.safe_transfer_from(arg!(a.address(0)), arg!(a.address(1)), arg!(a.u256(2))))
        }
        I::safeTransferFrom_1Call::SELECTOR => done(s.safe_transfer_from_with_data(
            arg!(a.address(0)),
            arg!(a.address(1)),
            arg!(a.u256(2)),
            arg!(a.bytes(3)),
        )),
        I::supportsInterfaceCall::SELECTOR => {
            Ok(s.supports_interface(arg!(a.bytes4(0))).word().to_vec())
        }
        // The pool reads it on every validator deposit: one program entry instead of two.
        I::unfinalizedStETHCall::SELECTOR => Ok(s.unfinalized_st_eth().word().to_vec()),
        // The pool's calls in a report (besides `finalize`): a finalizing report enters only
        // the core, three times, never the extension.
        I::prefinalizeCall::SELECTOR => s
            .prefinalize(&arg!(a.u256_array(0)), arg!(a.u256(1)))
            .map(|(e, sh)| calldata::words(&[e.word(), sh.word()]))
            .map_err(Into::into),
        I::setBunkerModeCall::SELECTOR => done(s.set_bunker_mode(arg!(a.boolean(0)))),
        I::getWithdrawalStatusCall::SELECTOR => s
            .get_withdrawal_status(&arg!(a.u256_array(0)))
            .map(|statuses| {
                let flat: Vec<B256> = statuses
                    .iter()
                    .flat_map(|&(e, sh, owner, time, finalized, claimed)| {
                        [
                            e.word(),
                            sh.word(),
                            owner.word(),
                            time.word(),
                            finalized.word(),
                            claimed.word(),
                        ]
                    })
                    .collect();
                calldata::static_array(&flat, 6)
            })
            .map_err(Into::into),
        _ => return None,
    })
}

/// The views and the administration, served by the extension program.
#[cfg_attr(all(target_arch = "wasm32", not(feature = "extension")), allow(dead_code))]
fn extension(s: &mut WithdrawalQueue, sel: [u8; 4], a: Args<'_>) -> Option<ArbResult> {
    Some(match sel {
        I::nameCall::SELECTOR => Ok(string(&s.name())),
        I::symbolCall::SELECTOR => Ok(string(&s.symbol())),
        I::tokenURICall::SELECTOR => match s.token_uri(arg!(a.u256(0))) {
            Ok(uri) => Ok(string(&uri)),
            Err(e) => Err(e.into()),
        },
        I::getWithdrawalRequestsCall::SELECTOR => {
            Ok(calldata::u256_array(&s.get_withdrawal_requests(arg!(a.address(0)))))
        }
        I::getClaimableEtherCall::SELECTOR => {
            ids(s.get_claimable_ether(&arg!(a.u256_array(0)), &arg!(a.u256_array(1))))
        }
        I::findCheckpointHintsCall::SELECTOR => Ok(calldata::u256_array(&s.find_checkpoint_hints(
            &arg!(a.u256_array(0)),
            arg!(a.u256(1)),
            arg!(a.u256(2)),
        ))),
        I::unfinalizedRequestNumberCall::SELECTOR => {
            Ok(s.unfinalized_request_number().word().to_vec())
        }
        I::getLockedEtherAmountCall::SELECTOR => Ok(s.get_locked_ether_amount().word().to_vec()),
        I::getLastRequestIdCall::SELECTOR => Ok(s.get_last_request_id().word().to_vec()),
        I::getLastFinalizedRequestIdCall::SELECTOR => {
            Ok(s.get_last_finalized_request_id().word().to_vec())
        }
        I::getLastCheckpointIndexCall::SELECTOR => {
            Ok(s.get_last_checkpoint_index().word().to_vec())
        }
        I::getCheckpointCall::SELECTOR => {
            let (first, rate) = s.get_checkpoint(arg!(a.u256(0)));
            Ok(calldata::words(&[first.word(), rate.word()]))
        }
        I::isPausedCall::SELECTOR => Ok(s.is_paused().word().to_vec()),
        I::isBunkerModeActiveCall::SELECTOR => Ok(s.is_bunker_mode_active().word().to_vec()),
        I::getRequestBoundsCall::SELECTOR => {
            let (min, max) = s.get_request_bounds();
            Ok(calldata::words(&[min.word(), max.word()]))
        }
        I::getMinFinalizationDelayCall::SELECTOR => {
            Ok(s.get_min_finalization_delay().word().to_vec())
        }
        I::poolCall::SELECTOR => Ok(s.pool().word().to_vec()),
        I::accessManagerCall::SELECTOR => Ok(s.access_manager().word().to_vec()),
        I::extensionCall::SELECTOR => Ok(s.extension().word().to_vec()),
        I::upgradeExtensionCall::SELECTOR => done(s.upgrade_extension(arg!(a.address(0)))),
        I::extensionIdCall::SELECTOR => {
            return staking_common::upgrade::answer_id(s.extension.get(), crate::EXTENSION_ID)
        }
        I::pauseCall::SELECTOR => done(s.pause()),
        I::resumeCall::SELECTOR => done(s.resume()),
        I::setRequestBoundsCall::SELECTOR => {
            done(s.set_request_bounds(arg!(a.u256(0)), arg!(a.u256(1))))
        }
        I::setMinFinalizationDelayCall::SELECTOR => {
            done(s.set_min_finalization_delay(arg!(a.u256(0))))
        }
        I::setBaseURICall::SELECTOR => {
            let uri = arg!(core::str::from_utf8(arg!(a.bytes(0))).ok());
            done(s.set_base_uri(uri))
        }
        _ => return None,
    })
}

/// The StylusDeployer's constructor call: `abi.encode(pool, accessManager, extension)` after
/// the constructor selector (`staking_common::upgrade`).
#[cfg_attr(all(target_arch = "wasm32", feature = "extension"), allow(dead_code))]
fn constructor(s: &mut WithdrawalQueue, a: Args<'_>) -> ArbResult {
    let (Some(pool), Some(manager), Some(extension)) = (a.address(0), a.address(1), a.address(2))
    else {
        return staking_common::router::bad();
    };
    done(s.constructor(pool, manager, extension))
}

// `finalize` carries the ether it locks.
staking_common::hand_router!(
    WithdrawalQueue,
    split {
        core: core,
        extension: extension,
        payable: |sel| sel == I::finalizeCall::SELECTOR,
        constructor: constructor
    },
    "IWithdrawalQueue",
    include_str!("../abi/IWithdrawalQueue.sol")
);
