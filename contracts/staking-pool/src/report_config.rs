//! Who may report and what the protocol takes: `setOracle` and `setFeeConfig` and their views
//! (served by the core program); the extension program's `isBunkerMode` (the state the last
//! report left) and its own `upgradeExtension` / `extensionId`.
//!
//! ```text
//! slot 1   flags: ... | BUNKER                       (isBunkerMode)
//! slot 8   extension program                         (getExtension, upgradeExtension)
//! slot 9   oracle (160) | total_fee_bp u16 | operators_fee_bp u16 | loss window cursor
//! slot 10  treasury
//! ```
//!
//! Governance calls the setters at the pool's address; each asks the AccessManager
//! (`authorizeCall`), which can put a delay on either.
//!
//! The fee is taken on rewards only (see [`crate::report`]): `totalFeeBP` of them, minted as
//! shares; the node operators' part `operatorsFeeBP` goes to the registry, the rest to the
//! treasury. Lido's mainnet split is 1,000 BP, half to the operators.

use alloc::vec::Vec;
use alloy_primitives::{Address, U256};
use staking_common::{
    roles::{DEFAULT_ADMIN_ROLE, PROTOCOL_FEE_ROLE},
    router::ArbResult,
    upgrade,
};

use crate::{
    errors::{Error, InvalidAddress, InvalidFeeConfig},
    events::emit,
    interface::calls,
    storage::{Beacon, ReportConfig, FLAG_BUNKER},
    StakingPool,
};

/// Basis points in one whole.
const MAX_BP: u16 = 10_000;

impl StakingPool {
    /// Sets the accounting oracle, the only caller of `handleOracleReport`.
    ///
    /// # Errors
    /// `AccessDenied`, `NotInitialized`, `InvalidAddress` (zero).
    /// # Events
    /// `OracleSet(oracle)`.
    /// # Access
    /// `DEFAULT_ADMIN_ROLE` (governance).
    pub fn set_oracle(&mut self, oracle: Address) -> Result<(), Error> {
        self.authorize(DEFAULT_ADMIN_ROLE, &calls::setOracle(oracle))?;
        if oracle.is_zero() {
            return Err(Error::InvalidAddress(InvalidAddress {}));
        }
        let mut config = ReportConfig::unpack(self.report_config.get());
        config.oracle = oracle;
        self.report_config.set(config.pack());
        emit::OracleSet(oracle);
        Ok(())
    }

    /// Sets the protocol fee: `total_fee_bp` of each report's rewards, of which
    /// `operators_fee_bp` go to the node operators (the registry) and the rest to `treasury`.
    ///
    /// # Errors
    /// `AccessDenied`, `NotInitialized`, `InvalidFeeConfig` (`totalFeeBP > 10,000` or
    /// `operatorsFeeBP > totalFeeBP`), `InvalidAddress` (a zero treasury with a non-zero fee).
    /// # Events
    /// `FeeConfigSet(treasury, totalFeeBP, operatorsFeeBP)`.
    /// # Access
    /// `PROTOCOL_FEE_ROLE`.
    pub fn set_fee_config(
        &mut self,
        treasury: Address,
        total_fee_bp: U256,
        operators_fee_bp: U256,
    ) -> Result<(), Error> {
        self.authorize(
            PROTOCOL_FEE_ROLE,
            &calls::setFeeConfig(treasury, total_fee_bp, operators_fee_bp),
        )?;
        let (total, operators) =
            match (u16::try_from(total_fee_bp), u16::try_from(operators_fee_bp)) {
                (Ok(t), Ok(o)) if t <= MAX_BP && o <= t => (t, o),
                _ => {
                    return Err(Error::InvalidFeeConfig(InvalidFeeConfig {
                        totalFeeBP: total_fee_bp,
                        operatorsFeeBP: operators_fee_bp,
                    }));
                }
            };
        if treasury.is_zero() && total != 0 {
            return Err(Error::InvalidAddress(InvalidAddress {}));
        }
        let mut config = ReportConfig::unpack(self.report_config.get());
        config.total_fee_bp = total;
        config.operators_fee_bp = operators;
        self.report_config.set(config.pack());
        self.treasury.set(treasury);
        emit::FeeConfigSet(treasury, total_fee_bp, operators_fee_bp);
        Ok(())
    }

    /// The accounting oracle (zero: none set, no report accepted).
    pub fn get_oracle(&self) -> Address {
        ReportConfig::unpack(self.report_config.get()).oracle
    }

    /// `(treasury, totalFeeBP, operatorsFeeBP)`.
    pub fn get_fee_config(&self) -> (Address, U256, U256) {
        let config = ReportConfig::unpack(self.report_config.get());
        (self.treasury.get(), U256::from(config.total_fee_bp), U256::from(config.operators_fee_bp))
    }

    /// Whether the last report put the withdrawal queue in bunker mode.
    pub fn is_bunker_mode(&self) -> bool {
        Beacon::unpack(self.beacon.get()).has(FLAG_BUNKER)
    }

    /// Replaces the extension program (see `staking_common::upgrade` for the policy and the
    /// power it gives governance). Runs in the extension, on the pool's storage.
    ///
    /// # Errors
    /// `AccessDenied` (no `UPGRADE_ROLE`, or not scheduled / not ready / expired where the
    /// AccessManager has a delay on `upgradeExtension`), `InvalidExtension(candidate)` (it does
    /// not answer `extensionId()` with [`crate::EXTENSION_ID`]: an account without code,
    /// another program, another contract's extension or one for another storage layout).
    /// # Events
    /// `ExtensionUpgraded(old, candidate)`.
    /// # Access
    /// `UPGRADE_ROLE`, behind the delay the deployment sets (a guardian may cancel).
    pub(crate) fn upgrade_extension(&mut self, candidate: Address) -> Result<(), Vec<u8>> {
        let manager = self.access_manager.get();
        upgrade::upgrade_extension::<crate::errors::Error>(
            manager,
            crate::GUARD_SLOT,
            &mut self.extension,
            candidate,
            crate::EXTENSION_ID,
        )
    }

    /// The extension program the core delegates to.
    pub fn get_extension(&self) -> Address {
        self.extension.get()
    }

    /// `extensionId()`: [`crate::EXTENSION_ID`], answered only by the extension program itself
    /// (called directly, it sees slot 8 empty); through the pool (a `DELEGATECALL`, slot 8 set)
    /// it reverts with empty data, so a pool is never taken for an extension.
    pub fn extension_id(&self) -> Option<ArbResult> {
        upgrade::answer_id(self.extension.get(), crate::EXTENSION_ID)
    }
}
