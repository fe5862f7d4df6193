//! ArbSys at 0x64 (nitro's `precompiles/ArbSys.go`, interface nitro-contracts
//! `src/precompiles/ArbSys.sol`).
//!
//! | method | gas (beyond 3 per word of arguments and of result) |
//! |---|---|
//! | `arbBlockNumber()`, `arbChainID()`, `arbBlockHash(uint256)` | none (see below) |
//! | `arbOSVersion()`, `getStorageGasAvailable()`, `isTopLevelCall()`, `wasMyCallersAddressAliased()`, `myCallersAddressWithoutAliasing()` | 800 (opening the ArbOS state) |
//! | `mapL1SenderContractAddressToL2Alias(address,address)` | none (pure) |
//! | `sendTxToL1(address,bytes)`, `withdrawEth(address)` | 800 to open the state, 800 more with value (the native-token-owner count), the send hash (30 + 6 per word of 168 + data bytes), the accumulator's append (size: 800 + 20,000; per level merged: 800 read + 42 keccak + 5,000 clearing; the new partial: 800 read unless it is the new top + 20,000), 800 for the size, 1,875 per `SendMerkleUpdate`, 1,875 + 8 × (224 + data rounded up to words) for `L2ToL1Tx` |
//! | `sendMerkleTreeState()` (address zero only) | 800 + 800 per read (size, each partial) + 42 per keccak of the root |
//!
//! A first send with no data and no value: 800 (open) + 9 (arguments) + 66 (the hash of 168
//! bytes) + 20,800 (the size) + 20,000 (the first partial) + 800 (the size again) + 3,667
//! (`L2ToL1Tx`) + 3 (result) = 46,145 gas (the test `a_first_send_costs_what_nitro_charges_for_it`
//! adds it up from these prices).
//!
//! `arbBlockNumber`, `arbChainID` and `arbBlockHash` keep this VM's earlier behaviour and
//! price: the copy charges only. nitro also charges 800 for opening the ArbOS state on these
//! view methods; leaving it out keeps the Stylus gas figures measured through them as they
//! were. Block hashes are fakes ([`crate::precompiles::block_hash`]) for the 256 blocks
//! before the current one; other numbers revert with `InvalidBlockNumber(requested, current)`.
//!
//! `arbOSVersion()` returns `55 +` [`super::ARBOS_VERSION`] (nitro's offset: Nitro started at
//! 56): 115 for ArbOS 60.
//!
//! The call stack nitro reads for `isTopLevelCall`, `wasMyCallersAddressAliased` and
//! `myCallersAddressWithoutAliasing` is the transaction's call trace here: the frame that
//! called ArbSys and its caller. A transaction's sender is aliased only in a retry
//! (ArbitrumRetryTx) run by ArbOS for a ticket ([`super::retryables`]); unsigned and contract
//! transactions from L1 are not modelled.
//!
//! # Events
//!
//! `sendTxToL1` emits a `SendMerkleUpdate(0, hash, (level << 192) + leaf)` for each tree node
//! the append completed, then `L2ToL1Tx(caller, destination, hash, position, arbBlockNum,
//! ethBlockNum, timestamp, callvalue, data)`, as nitro does. The value sent is burned from
//! ArbSys's balance: it reappears on L1 only when the Outbox pays it out of the Bridge.
//! `ethBlockNum` is the VM's block number (the L1 block estimate `block.number` returns).

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{sol, SolCall, SolError, SolEvent};

use super::{
    aliasing, finish,
    send_merkle::{self, L2ToL1Tx, SendMerkleUpdate},
    Arbos, Fail, Meter, COPY_GAS, STORAGE_READ,
};
use crate::{
    call::{Exec, Message, Outcome},
    precompiles::{block_hash, ARB_SYS},
};

sol! {
    /// ArbSys's interface (nitro-contracts `src/precompiles/ArbSys.sol`), the part modelled.
    interface IArbSys {
        function arbBlockNumber() external view returns (uint256);
        function arbBlockHash(uint256 arbBlockNum) external view returns (bytes32);
        function arbChainID() external view returns (uint256);
        function arbOSVersion() external view returns (uint256);
        function getStorageGasAvailable() external view returns (uint256);
        function isTopLevelCall() external view returns (bool);
        function mapL1SenderContractAddressToL2Alias(address sender, address unused) external pure returns (address);
        function wasMyCallersAddressAliased() external view returns (bool);
        function myCallersAddressWithoutAliasing() external view returns (address);
        function withdrawEth(address destination) external payable returns (uint256);
        function sendTxToL1(address destination, bytes calldata data) external payable returns (uint256);
        function sendMerkleTreeState() external view returns (uint256 size, bytes32 root, bytes32[] memory partials);
        error InvalidBlockNumber(uint256 requested, uint256 current);
    }
}

pub use IArbSys::{sendMerkleTreeStateCall, sendTxToL1Call, withdrawEthCall};

/// How a method may be called (nitro's purity).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Purity {
    Pure,
    View,
    Write,
    Payable,
}

/// Runs a call to ArbSys.
pub(crate) fn run(exec: &mut Exec, msg: &Message) -> Outcome {
    let mut gas = Meter::new(msg.gas);
    let result = dispatch(exec, msg, &mut gas);
    finish(exec, gas, result)
}

fn dispatch(exec: &mut Exec, msg: &Message, gas: &mut Meter) -> Result<Vec<u8>, Fail> {
    let input = &msg.input[..];
    let Some(sel) = input.get(..4) else { return Err(Fail::Refused) };
    let sel: [u8; 4] = sel.try_into().map_err(|_| Fail::Refused)?;
    let (purity, legacy) = match sel {
        IArbSys::arbBlockNumberCall::SELECTOR
        | IArbSys::arbChainIDCall::SELECTOR
        | IArbSys::arbBlockHashCall::SELECTOR => (Purity::View, true),
        IArbSys::mapL1SenderContractAddressToL2AliasCall::SELECTOR => (Purity::Pure, false),
        IArbSys::arbOSVersionCall::SELECTOR
        | IArbSys::getStorageGasAvailableCall::SELECTOR
        | IArbSys::isTopLevelCallCall::SELECTOR
        | IArbSys::wasMyCallersAddressAliasedCall::SELECTOR
        | IArbSys::myCallersAddressWithoutAliasingCall::SELECTOR
        | IArbSys::sendMerkleTreeStateCall::SELECTOR => (Purity::View, false),
        IArbSys::withdrawEthCall::SELECTOR | IArbSys::sendTxToL1Call::SELECTOR => {
            (Purity::Payable, false)
        }
        _ => return Err(Fail::Refused),
    };
    if purity >= Purity::View && msg.address != ARB_SYS {
        return Err(Fail::Refused);
    }
    if purity >= Purity::Write && msg.is_static {
        return Err(Fail::Refused);
    }
    if purity < Purity::Payable && !msg.value.is_zero() {
        return Err(Fail::Refused);
    }
    if purity != Purity::Pure && !legacy {
        gas.burn(STORAGE_READ)?;
    }
    gas.burn(COPY_GAS * super::words(input.len() - 4)).map_err(|_| Fail::Refused)?;

    let word = |x: u64| U256::from(x).to_be_bytes::<32>().to_vec();
    let current = exec.env.arb_block_number;
    match sel {
        IArbSys::arbBlockNumberCall::SELECTOR => Ok(word(current)),
        IArbSys::arbChainIDCall::SELECTOR => Ok(word(exec.env.chain_id)),
        IArbSys::arbBlockHashCall::SELECTOR => {
            let requested = IArbSys::arbBlockHashCall::abi_decode(input, false)
                .map_err(|_| Fail::Refused)?
                .arbBlockNum;
            let in_range = requested < U256::from(current)
                && requested + U256::from(256) >= U256::from(current);
            if in_range {
                Ok(block_hash(requested.to::<u64>()).to_vec())
            } else {
                let error = IArbSys::InvalidBlockNumber { requested, current: U256::from(current) };
                Err(Fail::Revert(error.abi_encode()))
            }
        }
        IArbSys::arbOSVersionCall::SELECTOR => Ok(word(55 + super::ARBOS_VERSION)),
        IArbSys::getStorageGasAvailableCall::SELECTOR => Ok(word(0)),
        IArbSys::isTopLevelCallCall::SELECTOR => {
            let depth = frame_depth(exec);
            Ok(IArbSys::isTopLevelCallCall::abi_encode_returns(&(depth <= 1,)))
        }
        IArbSys::mapL1SenderContractAddressToL2AliasCall::SELECTOR => {
            let call = IArbSys::mapL1SenderContractAddressToL2AliasCall::abi_decode(input, false)
                .map_err(|_| Fail::Refused)?;
            let alias = aliasing::apply_l1_to_l2_alias(call.sender);
            Ok(IArbSys::mapL1SenderContractAddressToL2AliasCall::abi_encode_returns(&(alias,)))
        }
        IArbSys::wasMyCallersAddressAliasedCall::SELECTOR => {
            let aliased = was_aliased(exec);
            Ok(IArbSys::wasMyCallersAddressAliasedCall::abi_encode_returns(&(aliased,)))
        }
        IArbSys::myCallersAddressWithoutAliasingCall::SELECTOR => {
            let mut address =
                if frame_depth(exec) >= 1 { callers_caller(exec) } else { Address::ZERO };
            if was_aliased(exec) {
                address = aliasing::undo_l1_to_l2_alias(address);
            }
            Ok(IArbSys::myCallersAddressWithoutAliasingCall::abi_encode_returns(&(address,)))
        }
        IArbSys::sendMerkleTreeStateCall::SELECTOR => {
            if msg.caller != Address::ZERO {
                return Err(Fail::Error);
            }
            let mut arbos = Arbos { state: &mut exec.state, gas: *gas };
            let result = send_merkle::state_for_export(&mut arbos);
            *gas = arbos.gas;
            let (size, root, partials) = result?;
            Ok(sendMerkleTreeStateCall::abi_encode_returns(&(U256::from(size), root, partials)))
        }
        IArbSys::withdrawEthCall::SELECTOR => {
            let call = withdrawEthCall::abi_decode(input, false).map_err(|_| Fail::Refused)?;
            send_tx_to_l1(exec, msg, gas, call.destination, &[])
        }
        _ => {
            let call = sendTxToL1Call::abi_decode(input, false).map_err(|_| Fail::Refused)?;
            send_tx_to_l1(exec, msg, gas, call.destination, &call.data)
        }
    }
}

/// How many program frames are open under ArbSys's frame (nitro's `evm.Depth() - 1` inside
/// the precompile): 0 when a transaction calls ArbSys directly.
fn frame_depth(exec: &Exec) -> usize {
    exec.calls.last().map_or(0, |frame| frame.depth)
}

/// The caller of the frame that called ArbSys (nitro's `Contracts[depth-2].Caller()`).
fn callers_caller(exec: &Exec) -> Address {
    let depth = frame_depth(exec);
    if depth == 0 {
        return Address::ZERO;
    }
    exec.calls.iter().rev().find(|f| f.depth == depth - 1).map_or(Address::ZERO, |f| f.caller)
}

/// nitro's `isTopLevel && DoesTxTypeAlias(TopTxType)`.
fn was_aliased(exec: &Exec) -> bool {
    let top_level = frame_depth(exec) == 0 || callers_caller(exec) == exec.env.origin;
    top_level && exec.env.retry.is_some()
}

/// `sendTxToL1`: hashes the send, appends it to the accumulator, burns the value and emits
/// the events; returns the send's position.
fn send_tx_to_l1(
    exec: &mut Exec,
    msg: &Message,
    gas: &mut Meter,
    destination: Address,
    data: &[u8],
) -> Result<Vec<u8>, Fail> {
    let value = msg.value;
    if !value.is_zero() {
        // ArbOS 41+ reads the number of native-token owners (none here) before a send with
        // value.
        gas.burn(STORAGE_READ)?;
    }
    let arb_block = U256::from(exec.env.arb_block_number);
    let l1_block = U256::from(exec.env.block_number);
    let timestamp = U256::from(exec.env.timestamp);
    let caller = msg.caller;
    let mut arbos = Arbos { state: &mut exec.state, gas: *gas };
    let result = (|| {
        let mut packed = Vec::with_capacity(168 + data.len());
        packed.extend_from_slice(caller.as_slice());
        packed.extend_from_slice(destination.as_slice());
        for x in [arb_block, l1_block, timestamp, value] {
            packed.extend_from_slice(&x.to_be_bytes::<32>());
        }
        packed.extend_from_slice(data);
        let hash = arbos.keccak(&packed)?;
        let nodes = send_merkle::append(&mut arbos, hash)?;
        let size = send_merkle::size(&mut arbos)?;
        let left = arbos.state.world.balance(ARB_SYS).saturating_sub(value);
        arbos.state.set_balance(ARB_SYS, left);
        for node in nodes {
            let event = SendMerkleUpdate {
                reserved: U256::ZERO,
                hash: node.hash,
                position: node.position(),
            };
            let log = event.encode_log_data();
            arbos.emit(ARB_SYS, log.topics().to_vec(), log.data.to_vec())?;
        }
        let position = size - 1;
        let event = L2ToL1Tx {
            caller,
            destination,
            hash: U256::from_be_bytes(hash.0),
            position: U256::from(position),
            arbBlockNum: arb_block,
            ethBlockNum: l1_block,
            timestamp,
            callvalue: value,
            data: data.to_vec().into(),
        };
        let log = event.encode_log_data();
        arbos.emit(ARB_SYS, log.topics().to_vec(), log.data.to_vec())?;
        Ok(B256::from(U256::from(position)).to_vec())
    })();
    *gas = arbos.gas;
    result
}
