//! The chain clock against hand-computed mainnet values (genesis 1606824023, 12 s slots,
//! 32-slot epochs, frames of 225 epochs = one day, initial epoch 201600).

use alloy_primitives::U256;

use crate::{
    errors::{
        EpochsPerFrameCannotBeZero, Error, FastLanePeriodCannotBeLongerThanFrame,
        InitialEpochIsYetToArrive, InvalidChainConfig,
    },
    frames::{
        fast_lane_end_time, frame_at, frame_index, processing_deadline_time, round_times,
        set_frame_config, ChainConfig, Frame, FrameConfig, RoundTimes,
    },
};

const GENESIS: u64 = 1_606_824_023;
/// Slot 6,472,805 (epoch 202,275 = 201,600 + 3 x 225, slot 5 of it), 7 s into the slot.
const NOW: u64 = GENESIS + 12 * 6_472_805 + 7;

fn chain() -> ChainConfig {
    ChainConfig::new(GENESIS, 12, 32).unwrap()
}

fn mainnet() -> FrameConfig {
    FrameConfig::new(&chain(), 201_600, 225, 100).unwrap()
}

#[test]
fn slot_and_epoch_floor_the_time_since_genesis() {
    let c = chain();
    assert_eq!(NOW, 1_684_497_690);
    assert_eq!(c.slot_at(NOW), 6_472_805);
    assert_eq!(c.epoch_at(NOW), 202_275);
    assert_eq!(c.slot_at(GENESIS + 11), 0);
    assert_eq!(c.slot_at(GENESIS + 12), 1);
    assert_eq!(c.epoch_at(GENESIS + 12 * 32 - 1), 0);
    assert_eq!(c.epoch_at(GENESIS + 12 * 32), 1);
    assert_eq!(c.slot_at(GENESIS - 1), 0, "before genesis reads as slot 0");
    assert_eq!(c.time_of_slot(6_472_805).unwrap(), NOW - 7);
}

#[test]
fn the_frame_at_now_has_its_ref_slot_before_it_and_its_deadline_at_its_last_slot() {
    let (c, f) = (chain(), mainnet());
    assert_eq!(frame_index(&c, &f, NOW).unwrap(), 3);
    let frame = frame_at(&c, &f, NOW).unwrap();
    assert_eq!(
        frame,
        Frame { index: 3, start_epoch: 202_275, ref_slot: 6_472_799, deadline_slot: 6_479_999 }
    );
    // 1606824023 + 6479999 * 12
    assert_eq!(processing_deadline_time(&c, &frame).unwrap(), 1_684_584_011);
    // 1606824023 + (6472799 + 100 + 1) * 12
    assert_eq!(fast_lane_end_time(&c, &f, &frame).unwrap(), 1_684_498_823);
}

#[test]
fn the_deadline_slot_is_the_next_frames_ref_slot() {
    let (c, f) = (chain(), mainnet());
    let deadline = 1_684_584_011;
    // The whole last slot still belongs to frame 3.
    assert_eq!(frame_at(&c, &f, deadline + 11).unwrap().index, 3);
    let next = frame_at(&c, &f, deadline + 12).unwrap();
    assert_eq!(next.index, 4);
    assert_eq!(next.ref_slot, 6_479_999);
    assert_eq!(next.deadline_slot, 6_479_999 + 7_200);
    // The first second of the frame.
    let start = frame_at(&c, &f, GENESIS + 12 * 6_472_800).unwrap();
    assert_eq!((start.index, start.ref_slot), (3, 6_472_799));
    let before = frame_at(&c, &f, GENESIS + 12 * 6_472_800 - 1).unwrap();
    assert_eq!((before.index, before.ref_slot), (2, 6_472_799 - 7_200));
}

#[test]
fn round_times_are_the_frames_fields_narrowed() {
    let (frame, times) = round_times(&chain(), &mainnet(), NOW, 9).unwrap();
    assert_eq!(frame.index, 3);
    assert_eq!(
        times,
        RoundTimes {
            ref_slot: 6_472_799,
            deadline: 1_684_584_011,
            fast_lane_end: 1_684_498_823,
            fast_lane_start: 3,
        }
    );
    // Frame 12 with 9 members starts its fast lane at 12 % 9 = 3; frame 13 at 4.
    let t12 = NOW + 9 * 86_400;
    assert_eq!(round_times(&chain(), &mainnet(), t12, 9).unwrap().1.fast_lane_start, 3);
    assert_eq!(round_times(&chain(), &mainnet(), t12 + 86_400, 9).unwrap().1.fast_lane_start, 4);
    assert_eq!(round_times(&chain(), &mainnet(), NOW, 0).unwrap().1.fast_lane_start, 0);
}

#[test]
fn no_frame_before_the_initial_epoch_or_genesis() {
    let (c, f) = (chain(), mainnet());
    let last_early = GENESIS + 12 * 32 * 201_600 - 1;
    assert_eq!(
        frame_at(&c, &f, last_early),
        Err(Error::InitialEpochIsYetToArrive(InitialEpochIsYetToArrive {
            initialEpoch: U256::from(201_600),
            epoch: U256::from(201_599),
        }))
    );
    let first = frame_at(&c, &f, last_early + 1).unwrap();
    assert_eq!((first.index, first.start_epoch, first.ref_slot), (0, 201_600, 6_451_199));

    let from_genesis = FrameConfig::new(&c, 0, 225, 0).unwrap();
    assert_eq!(
        frame_at(&c, &from_genesis, GENESIS - 1),
        Err(Error::InitialEpochIsYetToArrive(InitialEpochIsYetToArrive {
            initialEpoch: U256::ZERO,
            epoch: U256::ZERO,
        }))
    );
    // Frame 0 starting at slot 0 has no slot before it: ref slot 0, which no vote may name.
    let zero = frame_at(&c, &from_genesis, GENESIS).unwrap();
    assert_eq!((zero.ref_slot, zero.deadline_slot), (0, 7_199));
}

#[test]
fn chain_and_frame_configs_are_validated() {
    let invalid = Err(Error::InvalidChainConfig(InvalidChainConfig {}));
    assert_eq!(ChainConfig::new(GENESIS, 0, 32), invalid);
    assert_eq!(ChainConfig::new(GENESIS, 12, 0), invalid);
    assert_eq!(ChainConfig::new(GENESIS, 1 << 16, 32), invalid);
    assert!(ChainConfig::new(GENESIS, u64::from(u16::MAX), u64::from(u16::MAX)).is_ok());

    let c = chain();
    assert_eq!(
        FrameConfig::new(&c, 0, 0, 0),
        Err(Error::EpochsPerFrameCannotBeZero(EpochsPerFrameCannotBeZero {}))
    );
    assert_eq!(
        FrameConfig::new(&c, 0, 225, 7_201),
        Err(Error::FastLanePeriodCannotBeLongerThanFrame(FastLanePeriodCannotBeLongerThanFrame {
            fastLane: U256::from(7_201),
            frameSlots: U256::from(7_200),
        }))
    );
    let whole = FrameConfig::new(&c, 0, 225, 7_200).unwrap();
    assert_eq!(whole.fast_lane_slots, 7_200, "a fast lane as long as the frame is allowed");
    assert_eq!(whole.frame_slots(&c), 7_200);
    assert!(FrameConfig::new(&c, 0, 1 << 32, 0).is_err(), "epochs per frame beyond u32");
}

#[test]
fn set_frame_config_keeps_the_current_ref_slot() {
    let (c, f) = (chain(), mainnet());
    let before = frame_at(&c, &f, NOW).unwrap();
    let longer = set_frame_config(&c, &f, NOW, 450, 32).unwrap();
    assert_eq!(longer.initial_epoch, 202_275, "the current frame's start epoch");
    let after = frame_at(&c, &longer, NOW).unwrap();
    assert_eq!((after.index, after.ref_slot), (0, before.ref_slot));
    assert_eq!(after.deadline_slot, 6_472_800 + 14_400 - 1);

    let shorter = set_frame_config(&c, &f, NOW, 1, 0).unwrap();
    let after = frame_at(&c, &shorter, NOW).unwrap();
    assert_eq!(after.ref_slot, before.ref_slot, "slot 5 of the frame's first epoch");
    assert_eq!(after.deadline_slot, 6_472_800 + 32 - 1);

    assert_eq!(
        set_frame_config(&c, &f, NOW, 0, 0),
        Err(Error::EpochsPerFrameCannotBeZero(EpochsPerFrameCannotBeZero {}))
    );
    assert!(matches!(
        set_frame_config(&c, &f, NOW, 1, 33),
        Err(Error::FastLanePeriodCannotBeLongerThanFrame(_))
    ));
    assert!(matches!(
        set_frame_config(&c, &f, GENESIS, 225, 0),
        Err(Error::InitialEpochIsYetToArrive(_))
    ));
}
