//! The report configuration: `setProtocolContracts` (which never sets the extension),
//! `setOracle`, `setFeeConfig`, their roles, refusals, events and views, and the generated
//! router serving the configuration and the extension's selectors (natively both programs'
//! selectors are routed directly; on chain the core forwards the extension's by DELEGATECALL).

use alloy_sol_types::{SolCall, SolValue};
use staking_common::{
    mocks::ForwarderMock,
    roles::{DEFAULT_ADMIN_ROLE, PROTOCOL_FEE_ROLE},
};

use super::*;
use crate::abi::IStakingPool as I;

/// The extension program's address in these tests (natively nothing is delegated to it).
pub(super) const EXTENSION: Address = Address::repeat_byte(0xe7);

/// `setup` plus the admin and fee roles for `admin`.
pub(super) fn setup_admin(
    pool: &Contract<StakingPool>,
    manager: &Contract<AccessManagerMock>,
    admin: Address,
) {
    setup(pool, manager, admin);
    manager.sender(admin).grant(DEFAULT_ADMIN_ROLE, admin);
    manager.sender(admin).grant(PROTOCOL_FEE_ROLE, admin);
}

fn bp(n: u64) -> U256 {
    U256::from(n)
}

#[motsu::test]
fn set_protocol_contracts_sets_the_queue_and_registry_but_never_the_extension(
    pool: Contract<StakingPool>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    queue: Address,
    registry: Address,
    mallory: Address,
) {
    setup_admin(&pool, &manager, admin);
    assert_eq!(
        pool.sender(mallory).set_protocol_contracts(queue, registry).motsu_unwrap_err(),
        denied(mallory, DEFAULT_ADMIN_ROLE)
    );
    pool.sender(admin).set_protocol_contracts(queue, registry).motsu_unwrap();
    pool.assert_emitted(&ProtocolContractsSet {
        withdrawalQueue: queue,
        nodeOperatorRegistry: registry,
    });
    // The extension stays the constructor's: only `upgradeExtension` replaces it.
    assert_eq!(pool.sender(admin).get_extension(), EXTENSION);
}

#[motsu::test]
fn set_oracle_needs_the_admin_role_refuses_zero_and_emits_oracle_set(
    pool: Contract<StakingPool>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    oracle: Address,
    mallory: Address,
) {
    setup_admin(&pool, &manager, admin);
    assert_eq!(
        pool.sender(mallory).set_oracle(oracle).motsu_unwrap_err(),
        denied(mallory, DEFAULT_ADMIN_ROLE)
    );
    assert_eq!(
        pool.sender(admin).set_oracle(Address::ZERO).motsu_unwrap_err(),
        Error::InvalidAddress(InvalidAddress {})
    );
    assert_eq!(pool.sender(admin).get_oracle(), Address::ZERO);
    pool.sender(admin).set_oracle(oracle).motsu_unwrap();
    pool.assert_emitted(&OracleSet { oracle });
    assert_eq!(pool.sender(admin).get_oracle(), oracle);
}

#[motsu::test]
fn set_fee_config_needs_the_fee_role_and_emits_fee_config_set(
    pool: Contract<StakingPool>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    treasury: Address,
    mallory: Address,
) {
    setup_admin(&pool, &manager, admin);
    assert_eq!(
        pool.sender(mallory).set_fee_config(treasury, bp(1_000), bp(500)).motsu_unwrap_err(),
        denied(mallory, PROTOCOL_FEE_ROLE)
    );
    assert_eq!(pool.sender(admin).get_fee_config(), (Address::ZERO, U256::ZERO, U256::ZERO));
    pool.sender(admin).set_fee_config(treasury, bp(1_000), bp(500)).motsu_unwrap();
    pool.assert_emitted(&FeeConfigSet { treasury, totalFeeBP: bp(1_000), operatorsFeeBP: bp(500) });
    assert_eq!(pool.sender(admin).get_fee_config(), (treasury, bp(1_000), bp(500)));
    // The bounds themselves are valid: all to the operators, or 100%.
    pool.sender(admin).set_fee_config(treasury, bp(10_000), bp(10_000)).motsu_unwrap();
    assert_eq!(pool.sender(admin).get_fee_config(), (treasury, bp(10_000), bp(10_000)));
    // No fee needs no treasury.
    pool.sender(admin).set_fee_config(Address::ZERO, U256::ZERO, U256::ZERO).motsu_unwrap();
    assert_eq!(pool.sender(admin).get_fee_config(), (Address::ZERO, U256::ZERO, U256::ZERO));
}

#[motsu::test]
fn invalid_fee_configs_are_refused_and_change_nothing(
    pool: Contract<StakingPool>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    treasury: Address,
) {
    setup_admin(&pool, &manager, admin);
    pool.sender(admin).set_fee_config(treasury, bp(1_000), bp(500)).motsu_unwrap();
    for (total, operators) in [
        (bp(10_001), U256::ZERO),
        (bp(1_000), bp(1_001)),
        (U256::from(u16::MAX) + U256::from(1), U256::ZERO),
        (U256::MAX, U256::MAX),
    ] {
        assert_eq!(
            pool.sender(admin).set_fee_config(treasury, total, operators).motsu_unwrap_err(),
            Error::InvalidFeeConfig(InvalidFeeConfig {
                totalFeeBP: total,
                operatorsFeeBP: operators
            })
        );
    }
    assert_eq!(
        pool.sender(admin).set_fee_config(Address::ZERO, bp(1), U256::ZERO).motsu_unwrap_err(),
        Error::InvalidAddress(InvalidAddress {})
    );
    assert_eq!(pool.sender(admin).get_fee_config(), (treasury, bp(1_000), bp(500)));
}

#[motsu::test]
fn the_router_serves_the_configuration_and_the_extension_interface(
    pool: Contract<StakingPool>,
    manager: Contract<AccessManagerMock>,
    forwarder: Contract<ForwarderMock>,
    admin: Address,
    oracle: Address,
    treasury: Address,
) {
    setup_admin(&pool, &manager, admin);
    pool.sender(admin).set_oracle(oracle).motsu_unwrap();
    pool.sender(admin).set_fee_config(treasury, bp(1_000), bp(250)).motsu_unwrap();
    pool.sender(admin).set_protocol_contracts(admin, admin).motsu_unwrap();
    let call = |data: Vec<u8>| forwarder.sender(admin).forward(pool.address(), data.into());
    let out = call(I::getOracleCall {}.abi_encode()).motsu_unwrap();
    assert_eq!(out.0.clone(), oracle.abi_encode());
    let out = call(I::getFeeConfigCall {}.abi_encode()).motsu_unwrap();
    assert_eq!(out.0.clone(), (treasury, bp(1_000), bp(250)).abi_encode_params());
    let out = call(I::isBunkerModeCall {}.abi_encode()).motsu_unwrap();
    assert_eq!(out.0.clone(), false.abi_encode());
    let out = call(I::getExtensionCall {}.abi_encode()).motsu_unwrap();
    assert_eq!(out.0.clone(), EXTENSION.abi_encode());
    // A report from anyone but the oracle: the extension's typed error comes back.
    let report = I::handleOracleReportCall {
        reportTimestamp: U256::from(1),
        timeElapsed: U256::ZERO,
        clValidators: U256::ZERO,
        clBalance: U256::ZERO,
        withdrawals: U256::ZERO,
        elRewards: U256::ZERO,
        sharesToBurn: U256::ZERO,
        simulatedShareRate: U256::ZERO,
        isBunkerMode: false,
        limits: B256::ZERO,
        withdrawalFinalizationBatches: vec![],
    };
    let err = call(report.abi_encode()).motsu_unwrap_err();
    assert_eq!(
        err,
        alloy_sol_types::SolError::abi_encode(&NotOracle { caller: forwarder.address() })
    );
    // Unknown selectors still revert (motsu reports the empty revert as "function not found").
    assert!(call(vec![1, 2, 3, 4]).is_err());
}
