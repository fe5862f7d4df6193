//! Every view against hand-computed values.

use super::*;
use crate::errors::NotInitialized;

#[motsu::test]
fn config_views_return_what_the_constructor_stored() {
    let env = Env::committee(3, 2);
    assert_eq!(env.r().get_chain_config(), (u(GENESIS), u(SPS), u(SPE)));
    assert_eq!(env.r().get_frame_config(), (u(INITIAL_EPOCH), u(EPF), u(0)));
    assert_eq!(env.r().get_consensus_version(), u(VERSION));
    assert_eq!(env.r().access_manager(), env.manager.address());
    assert_eq!(env.r().get_quorum(), u(2));
    assert_eq!(env.r().get_members(), vec![member(0), member(1), member(2)]);
    assert!(env.r().is_member(member(0)));
    assert!(!env.r().is_member(Address::ZERO));
}

#[motsu::test]
fn the_current_frame_follows_the_clock() {
    let env = Env::new();
    // Frame 1 runs from slot (10 + 225) * 32 = 7,520 to 14,719.
    assert_eq!(ref_slot(1), 7_519);
    assert_eq!(deadline_slot(1), 14_719);
    for slot in [7_520, 10_000, 14_719] {
        at_slot(slot);
        assert_eq!(env.r().get_current_frame().unwrap(), (u(7_519), u(14_719)), "slot {slot}");
    }
    clock::set(slot_time(14_719) + SPS - 1);
    assert_eq!(env.r().get_current_frame().unwrap(), (u(7_519), u(14_719)));
    clock::advance(1);
    assert_eq!(env.r().get_current_frame().unwrap(), (u(14_719), u(21_919)));
}

#[motsu::test]
fn vote_views_show_the_frames_votes() {
    let env = Env::committee(5, 3);
    let slot = ref_slot(1);
    assert_eq!(env.consensus(), (u(slot), B256::ZERO, false));
    assert_eq!(env.r().get_report_variants(), (vec![], vec![]));
    env.vote(0, slot, h(1)).unwrap();
    env.vote(1, slot, h(2)).unwrap();
    env.vote(2, slot, h(2)).unwrap();
    env.vote(3, slot, h(3)).unwrap();
    assert_eq!(env.r().get_report_variants(), (vec![h(1), h(2), h(3)], vec![u(1), u(2), u(1)]));
    assert_eq!(env.r().get_member_vote(member(2)), (u(slot), h(2)));
    assert_eq!(env.r().get_member_vote(member(4)), (u(0), B256::ZERO), "no vote");
    assert_eq!(env.r().get_member_vote(Address::ZERO), (u(0), B256::ZERO), "no member");
    env.vote(4, slot, h(2)).unwrap();
    assert_eq!(env.consensus(), (u(slot), h(2), false));
}

#[motsu::test]
fn frame_views_need_the_constructor() {
    let env = Env::deployed();
    assert_eq!(env.r().get_current_frame().unwrap_err(), NotInitialized {}.into());
    assert_eq!(env.r().get_frame_config(), (u(0), u(0), u(0)));
    assert_eq!(env.r().get_members(), Vec::<Address>::new());
    assert_eq!(env.r().get_quorum(), u(0));
    assert_eq!(env.r().access_manager(), Address::ZERO);
}
