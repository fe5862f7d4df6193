//! The constructor: once (the SDK guard word), every bad config refused with nothing written, the events, and the
//! entry points that need it refusing before it.

use super::*;
use crate::{
    abi::IAccountingOracle as I,
    errors::{
        AlreadyInitialized, EpochsPerFrameCannotBeZero, FastLanePeriodCannotBeLongerThanFrame,
        InvalidAddress, InvalidChainConfig, MathOverflow, NonMember, NotInitialized,
    },
    events::{ConsensusVersionSet, FastLaneConfigSet, FrameConfigSet, Initialized},
};

/// An edit of the constructor's arguments.
type Edit = fn(&mut [U256; 7]);

/// The constructor with the default config but one argument replaced.
fn init_with(env: &Env, f: impl FnOnce(&mut [U256; 7])) -> Result<(), Error> {
    let mut a = [u(GENESIS), u(SPS), u(SPE), u(INITIAL_EPOCH), u(EPF), u(0), u(VERSION)];
    f(&mut a);
    env.oracle.sender(env.admin).constructor(
        env.manager.address(),
        EXTENSION,
        a[0],
        a[1],
        a[2],
        a[3],
        a[4],
        a[5],
        a[6],
    )
}

#[motsu::test]
fn the_constructor_stores_the_config_and_emits_its_events() {
    let env = Env::deployed();
    env.init(100).unwrap();
    let c = env.config();
    assert!(c.initialized);
    assert_eq!(
        (c.genesis_time, c.seconds_per_slot, c.slots_per_epoch),
        (GENESIS, SPS as u16, SPE as u16)
    );
    assert_eq!((c.initial_epoch, c.epochs_per_frame, c.fast_lane_slots), (INITIAL_EPOCH, 225, 100));
    assert_eq!((c.quorum, c.members, c.consensus_version), (0, 0, VERSION as u8));
    assert_eq!(env.round(), Round { consensus_version: VERSION as u8, ..Round::default() });
    assert_eq!(env.r().access_manager(), env.manager.address());
    assert_eq!(
        env.logs_since(0),
        vec![
            log(&Initialized { accessManager: env.manager.address(), extension: EXTENSION }),
            log(&FrameConfigSet { newInitialEpoch: u(INITIAL_EPOCH), newEpochsPerFrame: u(EPF) }),
            log(&FastLaneConfigSet { fastLaneLengthSlots: u(100) }),
            log(&ConsensusVersionSet { version: u(VERSION), prevVersion: U256::ZERO }),
            log(&I::AnnualBalanceIncreaseBPLimitSet { annualBalanceIncreaseBPLimit: u(1_000) }),
            log(&I::CLBalanceDecreaseLimitSet {
                clBalanceDecreaseBPLimit: u(500),
                clBalanceDecreaseWindow: u(18 * 86_400),
            }),
            log(&I::SimulatedShareRateDeviationBPLimitSet {
                simulatedShareRateDeviationBPLimit: u(50)
            }),
            log(&I::AppearedValidatorsPerDayLimitSet { appearedValidatorsPerDayLimit: u(1_800) }),
            log(&I::ExitedValidatorsPerDayLimitSet { exitedValidatorsPerDayLimit: u(3_600) }),
            log(&I::RequestTimestampMarginSet { requestTimestampMargin: u(7_680) }),
            log(&I::MaxPositiveTokenRebaseSet { maxPositiveTokenRebase: u(750_000) }),
            log(&I::MaxExitedOperatorsPerReportSet { maxExitedOperatorsPerReport: u(100) }),
        ]
    );
    // Limits at Lido's values, no protocol contracts, the last processed frame one before 0.
    assert_eq!(
        env.r().get_sanity_limits(),
        crate::sanity::to_abi(&staking_math::sanity::Limits::LIDO)
    );
    assert_eq!(env.r().get_protocol_contracts(), (Address::ZERO, Address::ZERO));
    // One frame before frame 0's ref slot, saturated at 0 on this young test chain.
    assert_eq!(env.r().get_last_processing_ref_slot(), U256::ZERO);
    assert_eq!(env.r().get_contract_version(), u(1));
}

#[motsu::test]
fn the_constructor_runs_once() {
    let env = Env::new();
    let before = env.snapshot();
    assert_eq!(env.init(0).unwrap_err(), AlreadyInitialized {}.into());
    let stranger = Address::repeat_byte(0x99);
    let again = env.oracle.sender(stranger).constructor(
        stranger,
        stranger,
        u(1),
        u(1),
        u(1),
        u(0),
        u(1),
        u(0),
        u(0),
    );
    assert_eq!(again.unwrap_err(), AlreadyInitialized {}.into());
    assert_eq!(env.snapshot(), before);
}

#[motsu::test]
fn bad_configs_are_refused_and_nothing_is_written() {
    let env = Env::deployed();
    let before = env.snapshot();
    let over = U256::from(u64::MAX) + u(1);
    let cases: Vec<(Edit, Error)> = vec![
        (|a| a[1] = u(0), InvalidChainConfig {}.into()),
        (|a| a[2] = u(0), InvalidChainConfig {}.into()),
        (|a| a[1] = u(65_536), InvalidChainConfig {}.into()),
        (|a| a[2] = U256::MAX, InvalidChainConfig {}.into()),
        (|a| a[4] = u(0), EpochsPerFrameCannotBeZero {}.into()),
        (|a| a[4] = u(1 << 32), MathOverflow {}.into()),
        (
            |a| a[5] = u(FRAME_SLOTS + 1),
            FastLanePeriodCannotBeLongerThanFrame {
                fastLane: u(FRAME_SLOTS + 1),
                frameSlots: u(FRAME_SLOTS),
            }
            .into(),
        ),
        (|a| a[6] = u(256), MathOverflow {}.into()),
    ];
    for (f, err) in cases {
        assert_eq!(init_with(&env, f).unwrap_err(), err);
    }
    assert_eq!(init_with(&env, |a| a[0] = over).unwrap_err(), MathOverflow {}.into());
    assert_eq!(init_with(&env, |a| a[3] = over).unwrap_err(), MathOverflow {}.into());
    for (manager, extension) in [(Address::ZERO, EXTENSION), (env.manager.address(), Address::ZERO)]
    {
        let zero = env.oracle.sender(env.admin).constructor(
            manager,
            extension,
            u(GENESIS),
            u(SPS),
            u(SPE),
            u(INITIAL_EPOCH),
            u(EPF),
            u(0),
            u(VERSION),
        );
        let expected: Error = if manager.is_zero() {
            InvalidAddress {}.into()
        } else {
            crate::errors::InvalidExtension { extension }.into()
        };
        assert_eq!(zero.unwrap_err(), expected);
    }
    assert_eq!(env.snapshot(), before);
    // A fast lane as long as the frame is allowed.
    init_with(&env, |a| a[5] = u(FRAME_SLOTS)).unwrap();
}

#[motsu::test]
fn nothing_works_before_the_constructor() {
    let env = Env::deployed();
    let before = env.snapshot();
    let not_init: Error = NotInitialized {}.into();
    assert_eq!(env.add(0, 1).unwrap_err(), not_init);
    assert_eq!(env.oracle.sender(env.admin).set_quorum(u(1)).unwrap_err(), not_init);
    assert_eq!(env.oracle.sender(env.admin).disable_consensus().unwrap_err(), not_init);
    assert_eq!(env.oracle.sender(env.admin).set_frame_config(u(1), u(0)).unwrap_err(), not_init);
    assert_eq!(env.oracle.sender(env.admin).set_consensus_version(u(3)).unwrap_err(), not_init);
    assert_eq!(env.vote(0, ref_slot(1), h(1)).unwrap_err(), NonMember { addr: member(0) }.into());
    assert_eq!(env.r().get_current_frame().unwrap_err(), not_init);
    assert_eq!(env.r().get_consensus_state().unwrap_err(), not_init);
    assert_eq!(env.r().get_report_variants(), (vec![], vec![]));
    assert_eq!(env.r().get_chain_config(), (u(0), u(0), u(0)));
    assert_eq!(env.snapshot(), before);
}
