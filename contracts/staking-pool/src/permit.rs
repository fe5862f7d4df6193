//! ERC-2612 permit on the receipt token (EIP-712 signatures, EOAs and EIP-1271 contract
//! wallets), the ERC-5267 domain, Lido's names for views of existing state, and the exits'
//! L1 message (`requestExitsOnL1`, the registry's alone) and shortfall view: the **permit
//! program**, a third wasm program built from this crate (`--features permit`), and its setter
//! `setPermitProgram` in the extension program.
//!
//! The exits' functions live here because the message to the L1 vault must come from the
//! pool's address (the vault takes `triggerExits` from `L2_POOL` or L2 governance only) and
//! the core and the extension are within 300 bytes of the size limit; this program runs at the
//! pool's address. They add nothing to a permit's entry but code: the event's topic is
//! written from immediates, not a data-segment constant.
//!
//! ```text
//! owner --signs Permit(owner, spender, value, nonce, deadline) off chain
//! anyone --permit(...)--> pool core --fallback: a permit selector--DELEGATECALL--> permit program
//!                                   (slot 21)                      (on the pool's storage)
//! ```
//!
//! ## Why a third program
//!
//! The core had about 2.2 KB of compressed room and the extension 0.7 KB. Permit needs EIP-712
//! hashing, a call to the `ecrecover` precompile, an EIP-1271 static call, a nonce map and the
//! ERC-5267 encoder, and a larger core costs every call into it more to enter (a program's
//! entry cost grows with its size). So the core gained only what routes to this program: its
//! fallback, which only selectors the core does not serve reach, compares the selector with
//! this program's (`@custom:program permit` in the interface file) and delegates those to the
//! address in slot 21, the rest to the extension as before. Deposits and transfers never get
//! there. A permit pays the permit program's entry and slot 21's read; going through the
//! extension's fallback instead would add the extension's entry (it is the largest program)
//! and slot 8's read, about 5,000 gas more (docs/architecture.md).
//!
//! ## Storage
//!
//! ```text
//! slot 5   allowances      mapping(address => mapping(address => uint256)) (ether units: approve's)
//! slot 21  permit_program  address (setPermitProgram; read by the core's fallback)
//! slot 22  nonces          mapping(address => uint256)
//! ```
//!
//! The domain separator is computed on every call (chain id and address come from host calls),
//! never stored: a fork's chain id or another deployment's address gives another domain.
//!
//! ## Signatures
//!
//! The hashing, `ecrecover` and the EIP-1271 call are the suite's shared code
//! (`staking_common::eip712`, also the wrapped token's), which keeps no constant and no
//! slice copy in the data segment that every call into this program would pay for.
//!
//! The digest is EIP-712's `keccak256(0x1901 ‖ DOMAIN_SEPARATOR ‖ keccak256(abi.encode(
//! PERMIT_TYPEHASH, owner, spender, value, nonce, deadline)))`, in the domain `name()`
//! ("Stylus Staked Ether"), version `"1"`, the chain id and the pool's address. A signature is
//! `owner`'s when
//!
//! 1. `ecrecover` gives `owner`: 65 bytes `r ‖ s ‖ v`, `v` 27 or 28, `s` in the lower half of
//!    the curve order (no malleable twin); or else
//! 2. `owner` has code (its code hash is neither zero nor the empty code's) and answers
//!    `isValidSignature(digest, signature)` with `0x1626ba7e` (EIP-1271; for the `(v, r, s)`
//!    form the signature is `r ‖ s ‖ v`).
//!
//! ECDSA comes first, so an EOA that delegates to code (EIP-7702) still signs as an EOA;
//! Lido's StETHPermit takes the EIP-1271 path for any owner with code.
//!
//! A permit spends the owner's nonce and writes the allowance as `approve` does (ether units,
//! `Approval` event), also while the token is paused, as `approve` works then. Every check comes
//! before the first write, so a refused permit changes nothing.

use alloc::vec::Vec;

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::SolCall;
use staking_common::{
    abi::Word,
    calldata::Args,
    eip712, host,
    interface::{encode_args, Encoded},
    roles::UPGRADE_ROLE,
    router::ArbResult,
    upgrade,
};
use staking_math::StakeLimit;

use crate::{
    errors::{ERC2612ExpiredSignature, ERC2612InvalidSigner, Error, InvalidPermitProgram},
    events::emit,
    interface::calls,
    storage::{Beacon, ReportConfig, Totals, FLAG_STAKING_PAUSED},
    StakingPool, NAME,
};

/// The id the permit program answers to `permitProgramId()`: the storage layout it runs on,
/// the pool's, so the same id as the extension's ([`crate::EXTENSION_ID`],
/// `keccak256("staking-pool.extension.v1")`); the selector asked tells the programs apart (the
/// extension does not serve `permitProgramId()`, the permit program not `extensionId()`). One
/// constant, not two: a 32-byte constant in the core's data segment costs every call into the
/// core about 25 gas (measured: its cached entry cost went from 2,191 to 2,217 with a second id).
pub const PERMIT_PROGRAM_ID: B256 = crate::EXTENSION_ID;

/// `permitProgramId()`'s selector.
pub const PERMIT_PROGRAM_ID_SELECTOR: [u8; 4] =
    crate::interface::abi::IStakingPool::permitProgramIdCall::SELECTOR;

/// EIP-1271's `isValidSignature(bytes32,bytes)` selector, also its "valid" answer.
pub use staking_common::eip712::EIP1271_MAGIC;
/// The ERC-2612 and EIP-712 type hashes and the domain's version.
pub use staking_common::eip712::{DOMAIN_TYPEHASH, PERMIT_TYPEHASH, VERSION};

/// The largest `s` accepted: half the secp256k1 group order (EIP-2).
pub use staking_common::eip712::HALF_ORDER;

/// `getWithdrawalCredentials` asks the registry `withdrawalCredentials()`.
const WITHDRAWAL_CREDENTIALS: [u8; 4] =
    crate::i_node_operator_registry::abi::INodeOperatorRegistry::withdrawalCredentialsCall::SELECTOR;

/// `getDepositableEther` asks the queue `unfinalizedStETH()`.
const UNFINALIZED_STETH: [u8; 4] =
    crate::i_withdrawal_queue::abi::IWithdrawalQueue::unfinalizedStETHCall::SELECTOR;

/// Basis points in one whole.
const TOTAL_BP: u32 = 10_000;

/// `ExitsRequestedOnL1(position, count)`'s topic, `keccak256("ExitsRequestedOnL1(uint256,
/// uint256)")`, as four big-endian words (checked against alloy's by the tests).
pub(crate) const EXITS_REQUESTED_ON_L1: [u64; 4] =
    [0xe956_3b5b_f5a6_5ac2, 0x8e87_cca3_bb8a_32a2, 0x6521_4d3c_371f_060e, 0xb525_643b_3fa5_eadf];

/// Bytes of a validator's public key.
const PUBKEY: usize = 48;

alloy_sol_types::sol! {
    /// The L1 vault's EIP-7002 entry (`contracts/l1-vault/src/StakingVault.sol`).
    function triggerExits(bytes pubkeys);
}

impl StakingPool {
    /// ERC-2612 `permit(owner, spender, value, deadline, v, r, s)`: the signature as
    /// `r ‖ s ‖ v` ([`StakingPool::permit_with_signature`]).
    ///
    /// # Errors
    /// As [`StakingPool::permit_with_signature`].
    /// # Events
    /// `Approval(owner, spender, value)`.
    /// # Access
    /// Anyone, with `owner`'s signature.
    #[allow(clippy::too_many_arguments)]
    pub fn permit(
        &mut self,
        owner: Address,
        spender: Address,
        value: U256,
        deadline: U256,
        v: u8,
        r: B256,
        s: B256,
    ) -> Result<(), Error> {
        let signature = eip712::packed(v, r, s);
        self.permit_with_signature(owner, spender, value, deadline, &signature)
    }

    /// Sets `owner`'s allowance for `spender` to `value` (ether units) with `owner`'s EIP-712
    /// signature of `Permit(owner, spender, value, nonces(owner), deadline)`, and spends the
    /// nonce. The signature is `r ‖ s ‖ v` for ECDSA, or whatever `owner`'s EIP-1271
    /// `isValidSignature` accepts (see the module doc).
    ///
    /// # Errors
    /// `ERC2612ExpiredSignature(deadline)` (the block's timestamp is past it),
    /// `ERC2612InvalidSigner(signer, owner)` (`signer`: what `ecrecover` gave, zero for an
    /// invalid signature), `ERC20InvalidSpender(0)`. Nothing is written on any of them.
    /// # Events
    /// `Approval(owner, spender, value)`.
    /// # Access
    /// Anyone, with `owner`'s signature; also while the token is paused (as `approve`).
    pub fn permit_with_signature(
        &mut self,
        owner: Address,
        spender: Address,
        value: U256,
        deadline: U256,
        signature: &[u8],
    ) -> Result<(), Error> {
        if U256::from(host::timestamp()) > deadline {
            return Err(Error::ERC2612ExpiredSignature(ERC2612ExpiredSignature { deadline }));
        }
        let nonce = self.nonces.get(owner);
        let digest = permit_digest(owner, spender, value, nonce, deadline);
        check_signature(owner, digest, signature)?;
        // Checks the spender before writing anything, then writes and logs the allowance.
        self.set_allowance(owner, spender, value)?;
        // Cannot overflow: a nonce grows by one per transaction.
        self.nonces.setter(owner).set(nonce.wrapping_add(U256::from(1)));
        Ok(())
    }

    /// The nonce `owner`'s next permit signs.
    pub fn nonces(&self, owner: Address) -> U256 {
        self.nonces.get(owner)
    }

    /// The EIP-712 domain separator: name `name()`, version `"1"`, this chain, this pool.
    pub fn domain_separator(&self) -> B256 {
        domain_separator()
    }

    /// ERC-5267: `(0x0f, name(), "1", chainId, pool, 0, [])`.
    pub fn eip712_domain(&self) -> Encoded {
        use staking_common::abi::Arg;
        let mut fields = [0u8; 32];
        fields[0] = 0x0f;
        Encoded(encode_args(&[
            Arg::W(B256::new(fields)),
            Arg::B(NAME.as_bytes()),
            Arg::B(VERSION.as_bytes()),
            Arg::W(host::chain_id().word()),
            Arg::W(host::this().word()),
            Arg::W(B256::ZERO),
            Arg::A(&[]),
        ]))
    }

    /// `permitProgramId()`: [`PERMIT_PROGRAM_ID`], answered only by the permit program called
    /// directly (its own storage's slot 21 is zero); through the pool it reverts with empty
    /// data, so the pool is never taken for a permit program.
    pub fn permit_program_id(&self) -> Option<ArbResult> {
        upgrade::answer_id(self.permit_program.get(), PERMIT_PROGRAM_ID)
    }

    /// Replaces the permit program (the constructor set the first). Served by the extension
    /// program, on the pool's storage: the permit program, which every permit enters, carries no
    /// role check (its role constant, event topic and AccessManager call would cost every
    /// permit's entry about 100 gas).
    ///
    /// The permit program runs with the pool's storage and balance, as the extension does, so
    /// this has `upgradeExtension`'s power and policy (`staking_common::upgrade`): the
    /// AccessManager's `UPGRADE_ROLE`, behind the delay the deployment sets on it (a guardian
    /// may cancel), and the candidate must answer `permitProgramId()` with
    /// [`PERMIT_PROGRAM_ID`] (a static call: an account without code, the pool, another program
    /// or one built for another storage layout is refused). A permit program without this
    /// function could never be replaced but by an extension that writes slot 21.
    ///
    /// # Errors
    /// `AccessDenied`, `NotInitialized`, `ReentrantCall`, `InvalidPermitProgram(candidate)`.
    /// # Events
    /// `PermitProgramSet(old, candidate)`.
    /// # Access
    /// `UPGRADE_ROLE`, behind the delay the deployment sets.
    pub fn set_permit_program(&mut self, program: Address) -> Result<(), Error> {
        self.authorize(UPGRADE_ROLE, &calls::setPermitProgram(program))?;
        if !upgrade::answers_with(program, PERMIT_PROGRAM_ID_SELECTOR, PERMIT_PROGRAM_ID) {
            return Err(Error::InvalidPermitProgram(InvalidPermitProgram { program }));
        }
        let old = self.permit_program.get();
        self.permit_program.set(program);
        emit::PermitProgramSet(old, program);
        Ok(())
    }

    /// The permit program.
    pub fn permit_program(&self) -> Address {
        self.permit_program.get()
    }

    // ------------------------------------------------------------------ Lido's views

    /// Lido's `getTotalShares()`: `totalShares()`.
    pub fn get_total_shares(&self) -> U256 {
        U256::from(Totals::unpack(self.totals.get()).total_shares)
    }

    /// Lido's `getFee()`: the protocol fee on rewards, basis points.
    pub fn get_fee(&self) -> u16 {
        ReportConfig::unpack(self.report_config.get()).total_fee_bp
    }

    /// Lido's `getFeeDistribution()`: `(treasury, insurance, operators)`, each the part of the
    /// fee in basis points of the whole fee (rounded down, as Lido's); insurance is always 0;
    /// `(0, 0, 0)` without a fee.
    pub fn get_fee_distribution(&self) -> (u16, u16, u16) {
        let config = ReportConfig::unpack(self.report_config.get());
        fee_distribution(config.total_fee_bp, config.operators_fee_bp)
    }

    /// Lido's `getTreasury()`.
    pub fn get_treasury(&self) -> Address {
        self.treasury.get()
    }

    /// Lido's `getDepositableEther()`: buffered ether beyond the queue's `unfinalizedStETH()`
    /// (all of it while no queue is set).
    ///
    /// # Errors
    /// The queue's revert data.
    pub fn get_depositable_ether(&self) -> Result<U256, Error> {
        let buffered = U256::from(Totals::unpack(self.totals.get()).buffered_ether);
        let queue = self.withdrawal_queue.get();
        if queue.is_zero() {
            return Ok(buffered);
        }
        let answer = host::static_call(queue, &UNFINALIZED_STETH).map_err(Error::Callee)?;
        let reserved = Args(&answer).u256(0).ok_or(Error::Callee(Vec::new()))?;
        Ok(buffered.saturating_sub(reserved))
    }

    /// Ether the queue's unfinalized requests need beyond the buffer (0 without a queue).
    ///
    /// # Errors
    /// The queue's revert data.
    pub fn get_withdrawal_shortfall(&self) -> Result<U256, Error> {
        let buffered = U256::from(Totals::unpack(self.totals.get()).buffered_ether);
        let queue = self.withdrawal_queue.get();
        if queue.is_zero() {
            return Ok(U256::ZERO);
        }
        let answer = host::static_call(queue, &UNFINALIZED_STETH).map_err(Error::Callee)?;
        let needed = Args(&answer).u256(0).ok_or(Error::Callee(Vec::new()))?;
        Ok(needed.saturating_sub(buffered))
    }

    /// Sends the L1 vault `triggerExits(pubkeys)` through ArbSys: the L1 leg of a forced exit
    /// (the registry's `forceExits` checked the keys, the operator's lateness or the caller's
    /// role, and bounds the count; the vault checks the sender is this pool and pays
    /// EIP-7002's fee within its `maxExitFee`). Runs in the permit program on the pool's
    /// storage and address, so the message's L2 sender is the pool, the only one the vault
    /// takes it from besides governance.
    ///
    /// # Errors
    /// `NotRegistry(caller)`, `L1VaultNotSet`, ArbSys's revert data.
    /// # Events
    /// `ExitsRequestedOnL1(position, count)`; ArbSys's `L2ToL1Tx`.
    /// # Access
    /// The node operator registry.
    pub fn request_exits_on_l1(&mut self, pubkeys: &[u8]) -> Result<(), Error> {
        let caller = host::sender();
        let registry = self.registry.get();
        if registry.is_zero() || caller != registry {
            return Err(Error::NotRegistry(crate::errors::NotRegistry { caller }));
        }
        let vault = crate::storage::L1Vault::unpack(self.l1_vault.get()).vault;
        if vault.is_zero() {
            return Err(Error::L1VaultNotSet(crate::errors::L1VaultNotSet {}));
        }
        let message = exits_message(vault, pubkeys);
        let answer = host::call(crate::validators::ARB_SYS, &message).map_err(Error::Callee)?;
        let position = Args(&answer).u256(0).unwrap_or_default();
        // `emit::ExitsRequestedOnL1`, its topic written from immediates: the generated
        // logger's 32-byte constant would sit in this program's data segment, which every
        // permit pays to enter (0.75 gas a byte, docs/gas.md).
        let [a, b, c, d] = EXITS_REQUESTED_ON_L1;
        let topic = B256::from(U256::from_limbs([d, c, b, a]).to_be_bytes::<32>());
        host::log_words(&[topic, position.word()], &[U256::from(pubkeys.len() / PUBKEY).word()]);
        Ok(())
    }

    /// Lido's `getWithdrawalCredentials()`: the node operator registry's (zero before the
    /// registry is set).
    ///
    /// # Errors
    /// The registry's revert data.
    pub fn get_withdrawal_credentials(&self) -> Result<B256, Error> {
        let registry = self.registry.get();
        if registry.is_zero() {
            return Ok(B256::ZERO);
        }
        let answer = host::static_call(registry, &WITHDRAWAL_CREDENTIALS).map_err(Error::Callee)?;
        Args(&answer).b256(0).ok_or(Error::Callee(Vec::new()))
    }

    /// Lido's `getStakeLimitFullInfo()`: `(isStakingPaused, isStakingLimitSet,
    /// currentStakeLimit, maxStakeLimit, maxStakeLimitGrowthBlocks, prevStakeLimit,
    /// prevStakeBlockNumber)`.
    pub fn get_stake_limit_full_info(&self) -> (bool, bool, U256, U256, U256, U256, U256) {
        let limit = StakeLimit::unpack(self.stake_limit.get());
        (
            Beacon::unpack(self.beacon.get()).has(FLAG_STAKING_PAUSED),
            limit.is_enabled(),
            self.get_current_stake_limit(),
            U256::from(limit.max_limit),
            U256::from(limit.growth_blocks),
            U256::from(limit.prev_limit),
            U256::from(limit.prev_block),
        )
    }
}

/// `sendTxToL1(vault, triggerExits(pubkeys))` calldata, encoded by hand (alloy's generic
/// encoder costs the permit program about 3 KB): the selector, the destination, the offset
/// (64) and length of `data`, then `data` padded to words; `data` is `triggerExits`'s
/// selector, the offset (32) and length of `pubkeys`, and `pubkeys` padded to words.
pub fn exits_message(vault: Address, pubkeys: &[u8]) -> Vec<u8> {
    let padded = pubkeys.len().div_ceil(32) * 32;
    let data_len = 4 + 64 + padded;
    let mut m = Vec::with_capacity(4 + 96 + data_len.div_ceil(32) * 32);
    m.extend_from_slice(&crate::validators::sendTxToL1Call::SELECTOR);
    for word in [vault.word(), U256::from(64).word(), U256::from(data_len).word()] {
        m.extend_from_slice(word.as_slice());
    }
    m.extend_from_slice(&triggerExitsCall::SELECTOR);
    m.extend_from_slice(U256::from(32).word().as_slice());
    m.extend_from_slice(U256::from(pubkeys.len()).word().as_slice());
    m.extend_from_slice(pubkeys);
    m.resize(4 + 96 + data_len.div_ceil(32) * 32, 0);
    m
}

/// `(treasury, 0, operators)` parts of the fee, basis points of the whole fee, rounded down.
pub fn fee_distribution(total_fee_bp: u16, operators_fee_bp: u16) -> (u16, u16, u16) {
    if total_fee_bp == 0 {
        return (0, 0, 0);
    }
    let (total, operators) = (u32::from(total_fee_bp), u32::from(operators_fee_bp));
    let part = |x: u32| u16::try_from(x * TOTAL_BP / total).unwrap_or(u16::MAX);
    (part(total.saturating_sub(operators)), 0, part(operators))
}

/// The EIP-712 domain separator of this chain and this pool.
pub fn domain_separator() -> B256 {
    eip712::domain_separator(NAME.as_bytes())
}

/// The EIP-712 digest `owner` signs for a permit.
pub fn permit_digest(
    owner: Address,
    spender: Address,
    value: U256,
    nonce: U256,
    deadline: U256,
) -> B256 {
    eip712::digest(domain_separator(), owner, spender, value, nonce, deadline)
}

/// ECDSA first, then EIP-1271 for an owner with code (see the module doc). A signature that
/// is not 65 bytes `r ‖ s ‖ v` recovers no one and goes to EIP-1271 alone.
fn check_signature(owner: Address, digest: B256, signature: &[u8]) -> Result<(), Error> {
    let signer = eip712::split(signature)
        .map_or(Address::ZERO, |(v, r, s)| eip712::recover(digest, v, r, s));
    if (!signer.is_zero() && signer == owner)
        || (eip712::has_code(owner) && eip712::eip1271_accepts(owner, digest, signature))
    {
        return Ok(());
    }
    Err(Error::ERC2612InvalidSigner(ERC2612InvalidSigner { signer, owner }))
}
