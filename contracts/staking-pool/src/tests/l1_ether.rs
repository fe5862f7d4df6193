//! Ether returned from L1 ([`crate::l1_ether`]): `setL1Vault` (the role, the refusals, once, the
//! event with the alias), and `receive` telling the vault's alias (returned ether, counted,
//! minting nothing) from every other sender (a deposit, the vault's own L1 address included).

use alloy_primitives::address;
use staking_common::{aliasing::l1_to_l2_alias, roles::DEFAULT_ADMIN_ROLE};

use super::report_config::setup_admin;
use super::*;
use crate::{
    math_overflow,
    storage::{Beacon, L1_RECEIVED_MAX},
};

/// An L1 vault address whose alias wraps around 2^160 (0xeeef… + 0x1111… carries out).
const HIGH_VAULT: Address = address!("eeeeffffffffffffffffffffffffffffffffffff");

/// `setup_admin` plus the L1 vault set to `vault`; the vault's alias.
fn setup_vault(
    pool: &Contract<StakingPool>,
    manager: &Contract<AccessManagerMock>,
    admin: Address,
    vault: Address,
) -> Address {
    setup_admin(pool, manager, admin);
    pool.sender(admin).set_l1_vault(vault).motsu_expect("setL1Vault");
    l1_to_l2_alias(vault)
}

/// Sends `amount` from `from` to the pool as a plain transfer (`receive`).
fn send(pool: &Contract<StakingPool>, from: Address, amount: U256) -> Result<(), Error> {
    from.fund(amount);
    pool.sender_and_value(from, amount).receive()
}

#[motsu::test]
fn set_l1_vault_needs_the_admin_role(
    pool: Contract<StakingPool>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    vault: Address,
    mallory: Address,
) {
    setup_admin(&pool, &manager, admin);
    assert_eq!(
        pool.sender(mallory).set_l1_vault(vault).motsu_unwrap_err(),
        denied(mallory, DEFAULT_ADMIN_ROLE)
    );
    assert_eq!(pool.sender(admin).l1_vault(), Address::ZERO);
}

#[motsu::test]
fn set_l1_vault_refuses_the_zero_address(
    pool: Contract<StakingPool>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
) {
    setup_admin(&pool, &manager, admin);
    assert_eq!(
        pool.sender(admin).set_l1_vault(Address::ZERO).motsu_unwrap_err(),
        Error::InvalidAddress(InvalidAddress {})
    );
    assert_eq!(pool.sender(admin).l1_vault(), Address::ZERO);
}

#[motsu::test]
fn set_l1_vault_stores_the_vault_and_emits_it_with_its_alias(
    pool: Contract<StakingPool>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
) {
    setup_admin(&pool, &manager, admin);
    pool.sender(admin).set_l1_vault(HIGH_VAULT).motsu_unwrap();
    assert_eq!(pool.sender(admin).l1_vault(), HIGH_VAULT);
    assert_eq!(pool.sender(admin).received_from_l1_vault(), U256::ZERO);
    pool.assert_emitted(&L1VaultSet {
        vault: HIGH_VAULT,
        l2Alias: address!("0000000000000000000000000000000000001110"),
    });
}

#[motsu::test]
fn the_l1_vault_is_set_once(
    pool: Contract<StakingPool>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    vault: Address,
    other: Address,
) {
    setup_vault(&pool, &manager, admin, vault);
    for again in [other, vault] {
        assert_eq!(
            pool.sender(admin).set_l1_vault(again).motsu_unwrap_err(),
            Error::L1VaultAlreadySet(L1VaultAlreadySet { vault })
        );
    }
    assert_eq!(pool.sender(admin).l1_vault(), vault);
}

/// Sets the L1 figure (`cl_balance`, slot 1) as a report would have, the rest of the word kept.
fn set_l1_figure(pool: &Contract<StakingPool>, admin: Address, figure: U256) {
    let mut p = pool.sender(admin);
    let mut beacon = Beacon::unpack(p.beacon.get());
    beacon.cl_balance = figure.to();
    p.beacon.set(beacon.pack());
}

/// `(bufferedEther, clBalance, totalPooledEther)`.
fn figures(pool: &Contract<StakingPool>, admin: Address) -> (U256, U256, U256) {
    let p = pool.sender(admin);
    (p.get_buffered_ether(), p.get_beacon_stat().2, p.get_total_pooled_ether().motsu_unwrap())
}

#[motsu::test]
fn ether_from_the_vaults_alias_moves_from_the_l1_figure_into_the_buffer_and_mints_nothing(
    pool: Contract<StakingPool>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
    vault: Address,
) {
    let alias = setup_vault(&pool, &manager, admin, vault);
    deposit(&pool, alice, ether(10));
    // A report counted 40 ether on L1 (CL, vault and in flight).
    set_l1_figure(&pool, admin, ether(40));
    let shares = pool.sender(alice).total_shares();
    let (buffered, l1, pooled) = figures(&pool, admin);
    assert_eq!(l1, ether(40));
    assert_eq!(pooled, buffered + ether(40));
    let balance = pool.balance();

    send(&pool, alias, ether(3)).motsu_unwrap();
    pool.assert_emitted(&L1EtherReceived { amount: ether(3), total: ether(3) });
    assert_eq!(figures(&pool, admin), (buffered + ether(3), ether(37), pooled));
    send(&pool, alias, ether(2)).motsu_unwrap();
    pool.assert_emitted(&L1EtherReceived { amount: ether(2), total: ether(5) });

    let p = pool.sender(alice);
    assert_eq!(p.received_from_l1_vault(), ether(5));
    assert_eq!(p.total_shares(), shares);
    assert_eq!(p.shares_of(alias), U256::ZERO);
    // Total pooled ether does not move: the ether left the L1 figure for the buffer.
    assert_eq!(figures(&pool, admin), (buffered + ether(5), ether(35), pooled));
    // The pool holds exactly its buffer: nothing unaccounted for a report to claim.
    assert_eq!(pool.balance(), balance + ether(5));
    assert_eq!(pool.balance(), buffered + ether(5));
    assert!(!pool.emitted(&Submitted { sender: alias, amount: ether(3), referral: Address::ZERO }));
}

#[motsu::test]
fn ether_from_the_vault_beyond_the_l1_figure_buffers_what_it_held_and_leaves_the_rest_unaccounted(
    pool: Contract<StakingPool>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    vault: Address,
) {
    // L1 ether the figure does not hold (a cancelled first batch, still counted as
    // deposited-not-seen): only what it held is buffered, the rest waits for a report's claim,
    // and the total does not move.
    let alias = setup_vault(&pool, &manager, admin, vault);
    set_l1_figure(&pool, admin, ether(1));
    let (buffered, _, pooled) = figures(&pool, admin);
    send(&pool, alias, ether(32)).motsu_unwrap();
    pool.assert_emitted(&L1EtherReceived { amount: ether(32), total: ether(32) });
    assert_eq!(figures(&pool, admin), (buffered + ether(1), U256::ZERO, pooled));
    // The rest of slot 1 is untouched.
    let p = pool.sender(admin);
    assert!(p.is_initialized());
    assert_eq!(
        Beacon::unpack(p.beacon.get()).alias_tag(),
        crate::storage::alias_tag(alias),
        "the tag is kept"
    );
}

#[motsu::test]
fn the_vaults_ether_is_accepted_while_paused_and_beyond_the_stake_limit(
    pool: Contract<StakingPool>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    vault: Address,
) {
    let alias = setup_vault(&pool, &manager, admin, vault);
    set_l1_figure(&pool, admin, ether(6));
    pool.sender(admin).set_staking_limit(ether(1), U256::ZERO).motsu_unwrap();
    send(&pool, alias, ether(4)).motsu_unwrap();
    assert_eq!(pool.sender(admin).get_current_stake_limit(), ether(1), "the limit is not used");
    pool.sender(admin).pause_staking().motsu_unwrap();
    send(&pool, alias, ether(1)).motsu_unwrap();
    pool.sender(admin).pause_token().motsu_unwrap();
    send(&pool, alias, ether(1)).motsu_unwrap();
    assert_eq!(pool.sender(admin).received_from_l1_vault(), ether(6));
    assert_eq!(pool.sender(admin).total_shares(), BOOTSTRAP);
    assert_eq!(pool.sender(admin).get_buffered_ether(), BOOTSTRAP + ether(6));
}

#[motsu::test]
fn the_counter_refuses_to_pass_its_96_bits(
    pool: Contract<StakingPool>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    vault: Address,
) {
    let alias = setup_vault(&pool, &manager, admin, vault);
    let max = U256::from(L1_RECEIVED_MAX);
    set_l1_figure(&pool, admin, max + U256::from(1));
    send(&pool, alias, max).motsu_unwrap();
    assert_eq!(pool.sender(admin).received_from_l1_vault(), max);
    assert_eq!(send(&pool, alias, U256::from(1)).motsu_unwrap_err(), math_overflow());
    assert_eq!(pool.sender(admin).received_from_l1_vault(), max);
    assert_eq!(
        pool.sender(admin).get_buffered_ether(),
        BOOTSTRAP + max,
        "the refusal moved nothing"
    );
    // The vault's address is untouched by a full counter (they share the word).
    assert_eq!(pool.sender(admin).l1_vault(), vault);
}

#[motsu::test]
fn an_amount_beyond_128_bits_from_the_alias_is_refused(
    pool: Contract<StakingPool>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    vault: Address,
) {
    let alias = setup_vault(&pool, &manager, admin, vault);
    let huge = U256::from(u128::MAX) + U256::from(1);
    assert_eq!(send(&pool, alias, huge).motsu_unwrap_err(), math_overflow());
    assert_eq!(pool.sender(admin).received_from_l1_vault(), U256::ZERO);
}

#[motsu::test]
fn a_plain_transfer_from_anyone_else_is_still_a_deposit(
    pool: Contract<StakingPool>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
    vault: Address,
) {
    let alias = setup_vault(&pool, &manager, admin, vault);
    // The vault's L1 address itself (no alias), an address one bit from the alias and an ordinary
    // account: each a deposit, the counter untouched.
    let mut next = alias;
    next.0[19] ^= 1;
    let neighbours = [vault, next, alice];
    for (i, sender) in neighbours.into_iter().enumerate() {
        send(&pool, sender, ether(1)).motsu_unwrap();
        assert_eq!(pool.sender(sender).shares_of(sender), ether(1), "sender {i}");
        pool.assert_emitted(&Submitted { sender, amount: ether(1), referral: Address::ZERO });
    }
    assert_eq!(pool.sender(admin).received_from_l1_vault(), U256::ZERO);
    assert_eq!(pool.sender(admin).total_shares(), BOOTSTRAP + ether(3));
}

#[motsu::test]
fn before_the_vault_is_set_every_plain_transfer_is_a_deposit(
    pool: Contract<StakingPool>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
) {
    setup_admin(&pool, &manager, admin);
    // The alias an unset (zero) vault would have is an ordinary sender.
    let zero_alias = l1_to_l2_alias(Address::ZERO);
    send(&pool, zero_alias, ether(1)).motsu_unwrap();
    assert_eq!(pool.sender(admin).shares_of(zero_alias), ether(1));
    assert_eq!(pool.sender(admin).received_from_l1_vault(), U256::ZERO);
}

#[motsu::test]
fn a_vault_whose_alias_wraps_around_is_recognised(
    pool: Contract<StakingPool>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
) {
    let alias = setup_vault(&pool, &manager, admin, HIGH_VAULT);
    assert_eq!(alias, address!("0000000000000000000000000000000000001110"));
    send(&pool, alias, ether(2)).motsu_unwrap();
    assert_eq!(pool.sender(admin).received_from_l1_vault(), ether(2));
    assert_eq!(pool.sender(admin).shares_of(alias), U256::ZERO);
}

#[motsu::test]
fn a_deposit_by_the_alias_through_deposit_still_mints(
    pool: Contract<StakingPool>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    vault: Address,
) {
    // Only plain transfers are returned ether: `deposit` is a deposit whoever calls it.
    let alias = setup_vault(&pool, &manager, admin, vault);
    assert_eq!(deposit(&pool, alias, ether(1)), ether(1));
    assert_eq!(pool.sender(admin).received_from_l1_vault(), U256::ZERO);
}

#[motsu::test]
fn a_sender_sharing_the_aliases_tag_but_not_the_alias_is_a_deposit(
    pool: Contract<StakingPool>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    vault: Address,
) {
    let alias = setup_vault(&pool, &manager, admin, vault);
    // The same low 24 bits (slot 1's tag matches), another address: slot 19 decides.
    let mut twin = alias;
    twin.0[0] ^= 0xff;
    assert_eq!(crate::storage::alias_tag(twin), crate::storage::alias_tag(alias));
    send(&pool, twin, ether(1)).motsu_unwrap();
    assert_eq!(pool.sender(admin).shares_of(twin), ether(1));
    assert_eq!(pool.sender(admin).received_from_l1_vault(), U256::ZERO);
}

#[motsu::test]
fn setting_the_vault_keeps_the_pause_flags_beside_its_tag(
    pool: Contract<StakingPool>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    vault: Address,
) {
    setup_admin(&pool, &manager, admin);
    pool.sender(admin).pause_staking().motsu_unwrap();
    pool.sender(admin).set_l1_vault(vault).motsu_unwrap();
    let p = pool.sender(admin);
    assert!(p.is_staking_paused());
    assert!(!p.is_token_paused());
    assert!(p.is_initialized());
    let beacon = crate::storage::Beacon::unpack(pool.sender(admin).beacon.get());
    assert_eq!(beacon.alias_tag(), crate::storage::alias_tag(l1_to_l2_alias(vault)));
    pool.sender(admin).resume_staking().motsu_unwrap();
    assert_eq!(
        crate::storage::Beacon::unpack(pool.sender(admin).beacon.get()).alias_tag(),
        crate::storage::alias_tag(l1_to_l2_alias(vault)),
        "switching a flag keeps the tag"
    );
}
