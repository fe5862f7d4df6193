//! The registry's own ABI router (as the withdrawal queue's: see
//! [`staking_common::calldata`]). Selectors come from `abi/INodeOperatorRegistry.sol`.
//!
//! Two programs from this crate: the **core** routes the deposit path, key commits, rewards,
//! exited counts, the guardians' pause (and the digests they sign), `getDepositAllocation`
//! (it shares the list code) and the constructor (the StylusDeployer's call,
//! `staking_common::upgrade`); everything else is forwarded by `DELEGATECALL` to the
//! **extension** (`--features extension`: administration, views and `upgradeExtension`), which
//! runs on the core's storage.
//! Nothing is payable (ether sent with any call is refused with empty revert data). Native
//! builds (motsu tests) route everything directly.

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

use crate::{abi::INodeOperatorRegistry as I, NodeOperatorRegistry};

fn text(r: Result<&[u8], ()>) -> Option<&str> {
    core::str::from_utf8(r.ok()?).ok()
}

#[cfg_attr(all(target_arch = "wasm32", feature = "extension"), allow(dead_code))]
fn core(s: &mut NodeOperatorRegistry, sel: [u8; 4], a: Args<'_>) -> Option<ArbResult> {
    Some(match sel {
        I::depositKeysCall::SELECTOR => {
            s.deposit_keys(arg!(a.u256(0)), arg!(a.bytes(1))).map_err(Into::into)
        }
        I::commitKeysCall::SELECTOR => {
            done(s.commit_keys(arg!(a.u256(0)), arg!(a.bytes(1)), arg!(a.bytes(2))))
        }
        I::commitKeyRootCall::SELECTOR => {
            done(s.commit_key_root(arg!(a.u256(0)), B256::from(*arg!(a.word(1))), arg!(a.u256(2))))
        }
        I::onRewardsMintedCall::SELECTOR => done(s.on_rewards_minted(arg!(a.u256(0)))),
        I::claimRewardsCall::SELECTOR => word(s.claim_rewards(arg!(a.u256(0)))),
        I::updateExitedValidatorsCall::SELECTOR => word(s.update_exited_validators(
            &arg!(a.u256_array(0)),
            &arg!(a.u256_array(1)),
            &arg!(a.u256_array(2)),
        )),
        I::pauseDepositsCall::SELECTOR => done(s.pause_deposits(arg!(a.u256(0)), arg!(a.bytes(1)))),
        I::attestMessageHashCall::SELECTOR => Ok(crate::guardians::attest_digest(
            arg!(a.u256(0)),
            B256::from(*arg!(a.word(1))),
            B256::from(*arg!(a.word(2))),
            arg!(a.u256(3)),
        )
        .to_vec()),
        I::pauseMessageHashCall::SELECTOR => {
            Ok(crate::guardians::pause_digest(arg!(a.u256(0))).to_vec())
        }
        I::getDepositAllocationCall::SELECTOR => {
            let (ids, indices, hints) = s.get_deposit_allocation(arg!(a.u256(0)));
            Ok(three_arrays(&ids, &indices, &hints))
        }
        _ => return None,
    })
}

#[cfg_attr(all(target_arch = "wasm32", not(feature = "extension")), allow(dead_code))]
fn extension(s: &mut NodeOperatorRegistry, sel: [u8; 4], a: Args<'_>) -> Option<ArbResult> {
    Some(match sel {
        I::addOperatorCall::SELECTOR => {
            word(s.add_operator(arg!(text(a.bytes(0).ok_or(()))), arg!(a.address(1))))
        }
        I::setOperatorActiveCall::SELECTOR => {
            done(s.set_operator_active(arg!(a.u256(0)), arg!(a.boolean(1))))
        }
        I::setOperatorNameCall::SELECTOR => {
            done(s.set_operator_name(arg!(a.u256(0)), arg!(text(a.bytes(1).ok_or(())))))
        }
        I::setRewardAddressCall::SELECTOR => {
            done(s.set_reward_address(arg!(a.u256(0)), arg!(a.address(1))))
        }
        I::setVettedLimitCall::SELECTOR => {
            done(s.set_vetted_limit(arg!(a.u256(0)), arg!(a.u256(1))))
        }
        I::setTargetLimitCall::SELECTOR => {
            done(s.set_target_limit(arg!(a.u256(0)), arg!(a.boolean(1)), arg!(a.u256(2))))
        }
        I::removeUnusedKeysCall::SELECTOR => done(s.remove_unused_keys(
            arg!(a.u256(0)),
            arg!(a.u256(1)),
            arg!(a.u256(2)),
            B256::from(*arg!(a.word(3))),
            arg!(a.u256(4)),
            arg!(a.u256(5)),
        )),
        I::addGuardianCall::SELECTOR => done(s.add_guardian(arg!(a.address(0)), arg!(a.u256(1)))),
        I::removeGuardianCall::SELECTOR => {
            done(s.remove_guardian(arg!(a.address(0)), arg!(a.u256(1))))
        }
        I::setGuardianQuorumCall::SELECTOR => done(s.set_guardian_quorum(arg!(a.u256(0)))),
        I::resumeDepositsCall::SELECTOR => done(s.resume_deposits()),
        I::getOperatorCall::SELECTOR => s
            .get_operator(arg!(a.u256(0)))
            .map(|(active, reward, d, e, v, sub, t, b)| {
                calldata::words(&[
                    active.word(),
                    reward.word(),
                    d.word(),
                    e.word(),
                    v.word(),
                    sub.word(),
                    t.word(),
                    b.word(),
                ])
            })
            .map_err(Into::into),
        I::getOperatorNameCall::SELECTOR => s
            .get_operator_name(arg!(a.u256(0)))
            .map(|n| calldata::bytes(n.as_bytes()))
            .map_err(Into::into),
        I::getDepositQueueCall::SELECTOR => Ok(calldata::u256_array(&s.get_deposit_queue())),
        I::getOperatorsCountCall::SELECTOR => Ok(s.get_operators_count().word().to_vec()),
        I::getNonceCall::SELECTOR => Ok(s.get_nonce().word().to_vec()),
        I::getTotalActiveValidatorsCall::SELECTOR => {
            Ok(s.get_total_active_validators().word().to_vec())
        }
        I::getRewardsCall::SELECTOR => word(s.get_rewards(arg!(a.u256(0)))),
        I::getGuardiansCall::SELECTOR => {
            let list: Vec<U256> =
                s.get_guardians().iter().map(|g| U256::from_be_bytes(g.word().0)).collect();
            Ok(calldata::u256_array(&list))
        }
        I::getGuardianQuorumCall::SELECTOR => Ok(s.get_guardian_quorum().word().to_vec()),
        I::isGuardianCall::SELECTOR => Ok(s.is_guardian(arg!(a.address(0))).word().to_vec()),
        I::isDepositsPausedCall::SELECTOR => Ok(s.is_deposits_paused().word().to_vec()),
        I::withdrawalCredentialsCall::SELECTOR => Ok(s.get_withdrawal_credentials().to_vec()),
        I::poolCall::SELECTOR => Ok(s.pool.get().word().to_vec()),
        I::depositTargetCall::SELECTOR => Ok(s.deposit_target.get().word().to_vec()),
        I::accessManagerCall::SELECTOR => Ok(s.access_manager.get().word().to_vec()),
        I::extensionCall::SELECTOR => Ok(s.extension.get().word().to_vec()),
        I::upgradeExtensionCall::SELECTOR => done(s.upgrade_extension(arg!(a.address(0)))),
        I::extensionIdCall::SELECTOR => {
            return staking_common::upgrade::answer_id(s.extension.get(), crate::EXTENSION_ID)
        }
        _ => return None,
    })
}

/// Three `uint256[]` return values.
fn three_arrays(a: &[U256], b: &[U256], c: &[U256]) -> Vec<u8> {
    let mut out = Vec::with_capacity(96 + 32 * (3 + a.len() + b.len() + c.len()));
    let mut offset = 96;
    for arr in [a, b, c] {
        out.extend_from_slice(U256::from(offset).word().as_slice());
        offset += 32 * (1 + arr.len());
    }
    for arr in [a, b, c] {
        out.extend_from_slice(U256::from(arr.len()).word().as_slice());
        for x in arr {
            out.extend_from_slice(x.word().as_slice());
        }
    }
    out
}

/// The StylusDeployer's constructor call: `abi.encode(pool, depositTarget, accessManager,
/// extension)` after the constructor selector (`staking_common::upgrade`).
#[cfg_attr(all(target_arch = "wasm32", feature = "extension"), allow(dead_code))]
fn constructor(s: &mut NodeOperatorRegistry, a: Args<'_>) -> ArbResult {
    let (Some(pool), Some(target), Some(manager), Some(extension)) =
        (a.address(0), a.address(1), a.address(2), a.address(3))
    else {
        return staking_common::router::bad();
    };
    done(s.constructor(pool, target, manager, extension))
}

staking_common::hand_router!(
    NodeOperatorRegistry,
    split { core: core, extension: extension, payable: |_| false, constructor: constructor },
    "INodeOperatorRegistry",
    include_str!("../abi/INodeOperatorRegistry.sol")
);
