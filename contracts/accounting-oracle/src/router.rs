//! The oracle's own ABI router (as the registry's: see [`staking_common::calldata`] and
//! [`staking_common::router`]). Selectors come from `abi/IAccountingOracle.sol`.
//!
//! Two programs from this crate (Stylus caps one at 24,576 compressed bytes): the **core**
//! routes what the committee sends every frame (`submitReport`, `submitReportData`) and the
//! constructor (the StylusDeployer's call, `staking_common::upgrade`); every other selector
//! it forwards by `DELEGATECALL` to the **extension** (`--features extension`: the
//! administration, the views and `upgradeExtension`), which runs on the core's storage. The
//! extension's address is set by the constructor and replaced only by `upgradeExtension`.
//! Native builds (motsu)
//! route both. `submitReportData` takes its arguments as sent: the report's hash is read from
//! them ([`crate::report`]). Nothing is payable: ether sent with any call is refused with empty
//! revert data, as are undecodable arguments, unknown selectors and plain transfers.

use alloc::vec::Vec;

use alloy_primitives::{B256, U256};
use alloy_sol_types::SolCall;
use staking_common::{
    abi::Word,
    arg,
    calldata::{self, Args},
    router::{done, word},
};
use stylus_sdk::ArbResult;

use crate::{abi::IAccountingOracle as I, AccountingOracle};

/// The committee's calls, served by the core program.
#[cfg_attr(all(target_arch = "wasm32", feature = "extension"), allow(dead_code))]
fn core(s: &mut AccountingOracle, sel: [u8; 4], a: Args<'_>) -> Option<ArbResult> {
    Some(match sel {
        I::submitReportCall::SELECTOR => {
            done(s.submit_report(arg!(a.u256(0)), B256::from(*arg!(a.word(1))), arg!(a.u256(2))))
        }
        I::submitReportDataCall::SELECTOR => done(s.submit_report_data(a.0)),
        _ => return None,
    })
}

/// The administration and the views, served by the extension program.
#[cfg_attr(all(target_arch = "wasm32", not(feature = "extension")), allow(dead_code))]
fn extension(s: &mut AccountingOracle, sel: [u8; 4], a: Args<'_>) -> Option<ArbResult> {
    Some(match sel {
        I::addMemberCall::SELECTOR => done(s.add_member(arg!(a.address(0)), arg!(a.u256(1)))),
        I::removeMemberCall::SELECTOR => done(s.remove_member(arg!(a.address(0)), arg!(a.u256(1)))),
        I::setQuorumCall::SELECTOR => done(s.set_quorum(arg!(a.u256(0)))),
        I::disableConsensusCall::SELECTOR => done(s.disable_consensus()),
        I::setFrameConfigCall::SELECTOR => {
            done(s.set_frame_config(arg!(a.u256(0)), arg!(a.u256(1))))
        }
        I::setConsensusVersionCall::SELECTOR => done(s.set_consensus_version(arg!(a.u256(0)))),
        I::setSanityLimitsCall::SELECTOR => {
            let mut limits = [U256::ZERO; 9];
            for (i, l) in limits.iter_mut().enumerate() {
                *l = arg!(a.u256(i));
            }
            done(s.set_sanity_limits(&limits))
        }
        I::setProtocolContractsCall::SELECTOR => {
            done(s.set_protocol_contracts(arg!(a.address(0)), arg!(a.address(1))))
        }
        I::getMembersCall::SELECTOR => {
            let list: Vec<B256> = s.get_members().into_iter().map(Word::word).collect();
            Ok(calldata::static_array(&list, 1))
        }
        I::isMemberCall::SELECTOR => Ok(s.is_member(arg!(a.address(0))).word().to_vec()),
        I::getQuorumCall::SELECTOR => Ok(s.get_quorum().word().to_vec()),
        I::getChainConfigCall::SELECTOR => {
            let (g, sps, spe) = s.get_chain_config();
            Ok(calldata::words(&[g.word(), sps.word(), spe.word()]))
        }
        I::getFrameConfigCall::SELECTOR => {
            let (e, epf, fl) = s.get_frame_config();
            Ok(calldata::words(&[e.word(), epf.word(), fl.word()]))
        }
        I::getCurrentFrameCall::SELECTOR => s
            .get_current_frame()
            .map(|(r, d)| calldata::words(&[r.word(), d.word()]))
            .map_err(Into::into),
        I::getConsensusStateCall::SELECTOR => s
            .get_consensus_state()
            .map(|(r, h, p)| calldata::words(&[r.word(), h, p.word()]))
            .map_err(Into::into),
        I::getMemberVoteCall::SELECTOR => {
            let (r, h) = s.get_member_vote(arg!(a.address(0)));
            Ok(calldata::words(&[r.word(), h]))
        }
        I::getReportVariantsCall::SELECTOR => {
            let (variants, support) = s.get_report_variants();
            Ok(two_arrays(&variants, &support))
        }
        I::getConsensusVersionCall::SELECTOR => Ok(s.get_consensus_version().word().to_vec()),
        I::accessManagerCall::SELECTOR => word::<_, Vec<u8>>(Ok(s.get_access_manager())),
        I::extensionCall::SELECTOR => word::<_, Vec<u8>>(Ok(s.get_extension())),
        I::upgradeExtensionCall::SELECTOR => done(s.upgrade_extension(arg!(a.address(0)))),
        I::extensionIdCall::SELECTOR => {
            return staking_common::upgrade::answer_id(s.extension.get(), crate::EXTENSION_ID)
        }
        I::getSanityLimitsCall::SELECTOR => {
            let words: Vec<B256> = s.get_sanity_limits().iter().map(|x| x.word()).collect();
            Ok(calldata::words(&words))
        }
        I::getProtocolContractsCall::SELECTOR => {
            let (pool, registry) = s.get_protocol_contracts();
            Ok(calldata::words(&[pool.word(), registry.word()]))
        }
        I::getLastProcessingRefSlotCall::SELECTOR => {
            Ok(s.get_last_processing_ref_slot().word().to_vec())
        }
        I::getContractVersionCall::SELECTOR => Ok(s.get_contract_version().word().to_vec()),
        I::getProcessingStateCall::SELECTOR => s
            .get_processing_state()
            .map(|(r, d, h, p)| calldata::words(&[r.word(), d.word(), h, p.word()]))
            .map_err(Into::into),
        _ => return None,
    })
}

/// `(bytes32[], uint256[])` return values of equal length.
fn two_arrays(a: &[B256], b: &[U256]) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 + 64 * (1 + a.len()));
    out.extend_from_slice(U256::from(64).word().as_slice());
    out.extend_from_slice(U256::from(96 + 32 * a.len()).word().as_slice());
    out.extend_from_slice(U256::from(a.len()).word().as_slice());
    for x in a {
        out.extend_from_slice(x.as_slice());
    }
    out.extend_from_slice(U256::from(b.len()).word().as_slice());
    for x in b {
        out.extend_from_slice(x.word().as_slice());
    }
    out
}

/// The StylusDeployer's constructor call: the nine constructor arguments after the
/// constructor selector (`staking_common::upgrade`).
#[cfg_attr(all(target_arch = "wasm32", feature = "extension"), allow(dead_code))]
fn constructor(s: &mut AccountingOracle, a: Args<'_>) -> ArbResult {
    let (Some(manager), Some(extension)) = (a.address(0), a.address(1)) else {
        return staking_common::router::bad();
    };
    let mut words = [U256::ZERO; 7];
    for (i, w) in words.iter_mut().enumerate() {
        let Some(v) = a.u256(2 + i) else {
            return staking_common::router::bad();
        };
        *w = v;
    }
    let [genesis, seconds, slots, initial, epochs, fast_lane, version] = words;
    done(s.constructor(
        manager, extension, genesis, seconds, slots, initial, epochs, fast_lane, version,
    ))
}

staking_common::hand_router!(
    AccountingOracle,
    split { core: core, extension: extension, payable: |_| false, constructor: constructor },
    "IAccountingOracle",
    include_str!("../abi/IAccountingOracle.sol")
);
