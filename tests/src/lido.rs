//! Lido's measured gas (Lido core v3.0.2 measured in an in-process EVM, transaction `gasUsed`
//! with the 21,000 base; the figures came with the project's brief) and this project's
//! targets, as ratios of Lido's figure. These are reference data from outside the project,
//! not our measurements.

/// An operation of the gas report with its reference figure.
#[derive(Debug, Clone, Copy)]
pub struct Anchor {
    /// Operation name as the report prints it.
    pub operation: &'static str,
    /// Lido's gas for the same operation.
    pub lido: u64,
    /// Our target as a fraction of Lido's figure (cached program mode), if the issues set one.
    pub target_ratio: Option<f64>,
}

/// submit, first-time depositor.
pub const DEPOSIT_FIRST: Anchor =
    Anchor { operation: "deposit, first-time depositor", lido: 93_854, target_ratio: Some(0.70) };
/// submit, repeat depositor.
pub const DEPOSIT_REPEAT: Anchor =
    Anchor { operation: "deposit, repeat depositor", lido: 76_754, target_ratio: Some(0.70) };
/// transfer to a new holder.
pub const TRANSFER_NEW: Anchor =
    Anchor { operation: "transfer to a new holder", lido: 84_302, target_ratio: None };
/// transfer to an existing holder.
pub const TRANSFER_EXISTING: Anchor =
    Anchor { operation: "transfer to an existing holder", lido: 67_202, target_ratio: Some(0.75) };
/// approve (new allowance).
pub const APPROVE: Anchor =
    Anchor { operation: "approve (new allowance)", lido: 65_450, target_ratio: None };

/// requestWithdrawals x1, repeat requester.
pub const REQUEST_X1: Anchor = Anchor {
    operation: "request withdrawal x1, repeat requester",
    lido: 197_813,
    target_ratio: Some(0.50),
};
/// requestWithdrawals x10, repeat requester.
pub const REQUEST_X10: Anchor = Anchor {
    operation: "request withdrawals x10, repeat requester",
    lido: 1_230_202,
    target_ratio: Some(0.45),
};
/// finalize (any batch size). Ours is what finalizing 10 requests adds to an oracle report
/// (the report with the batch minus the same report without it: only a report finalizes);
/// Lido's is its `finalize` transaction alone, base included, which its report path exceeds.
pub const FINALIZE: Anchor = Anchor {
    operation: "finalize 10 requests (a report's extra gas)",
    lido: 107_358,
    target_ratio: Some(0.60),
};
/// claimWithdrawal, single.
pub const CLAIM: Anchor =
    Anchor { operation: "claim one withdrawal", lido: 86_880, target_ratio: Some(0.65) };
/// claimWithdrawal, single, when the request before it is still unclaimed (no pruning refund).
pub const CLAIM_NO_PRUNE: Anchor = Anchor {
    operation: "claim one withdrawal, previous one unclaimed",
    lido: 86_880,
    target_ratio: Some(0.65),
};
/// claimWithdrawals x10 with hints.
pub const CLAIM_X10: Anchor = Anchor {
    operation: "claim 10 withdrawals with hints",
    lido: 324_708,
    target_ratio: Some(0.60),
};

/// wstETH wrap, repeat holder (Lido's: `approve` already given, `wrap` spends it).
pub const WRAP_REPEAT: Anchor =
    Anchor { operation: "wrap, repeat holder", lido: 92_195, target_ratio: Some(0.70) };
/// wstETH unwrap, repeat holder.
pub const UNWRAP_REPEAT: Anchor =
    Anchor { operation: "unwrap, repeat holder", lido: 91_194, target_ratio: Some(0.70) };

impl Anchor {
    /// The target in gas (rounded down), if any.
    pub fn target(&self) -> Option<u64> {
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss
        )]
        self.target_ratio.map(|r| (self.lido as f64 * r) as u64)
    }
}
