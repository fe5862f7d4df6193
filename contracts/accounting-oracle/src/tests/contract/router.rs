//! The router generated from `abi/IAccountingOracle.sol`: every selector reaches its entry
//! point through raw calldata with alloy's encoding in and out; errors come back as their ABI
//! encoding; ether, undecodable arguments and unknown selectors are refused.

use alloy_sol_types::SolCall;

use super::*;
use crate::abi::IAccountingOracle as I;

/// `call` made by `forwarder` with `value`: its answer decoded, or its revert data.
fn via<C: SolCall>(
    forwarder: &Contract<ForwarderMock>,
    env: &Env,
    value: U256,
    call: &C,
) -> Result<C::Return, Vec<u8>> {
    staking_common::mocks::forward_call(forwarder, env.oracle.address(), value, call)
}

#[motsu::test]
fn every_selector_is_routed(forwarder: Contract<ForwarderMock>) {
    let env = Env::deployed();
    let f = forwarder.address();
    for role in ROLES {
        env.manager.sender(env.admin).grant(role, f);
    }
    let z = U256::ZERO;
    let mut routed = Vec::new();
    let mut check = |sel: [u8; 4]| routed.push(sel);

    // The StylusDeployer's constructor call: the SDK's selector, then the arguments.
    let args = crate::abi::AccountingOracleDeployment::constructorCall {
        accessManager: env.manager.address(),
        extension: EXTENSION,
        genesisTime: u(GENESIS),
        secondsPerSlot: u(SPS),
        slotsPerEpoch: u(SPE),
        initialEpoch: u(INITIAL_EPOCH),
        epochsPerFrame: u(EPF),
        fastLaneLengthSlots: u(0),
        consensusVersion: u(VERSION),
    };
    let ctor = [
        &staking_common::upgrade::CONSTRUCTOR_SELECTOR[..],
        &alloy_sol_types::SolConstructor::abi_encode(&args),
    ]
    .concat();
    let construct =
        || forwarder.sender(env.admin).forward(env.oracle.address(), ctor.clone().into());
    construct().motsu_unwrap();
    assert_eq!(
        construct().motsu_unwrap_err(),
        Vec::<u8>::from(Error::from(crate::errors::AlreadyInitialized {}))
    );
    for i in 0..3 {
        via(&forwarder, &env, z, &I::addMemberCall { addr: member(i), quorum: u(2) }).unwrap();
    }
    check(I::addMemberCall::SELECTOR);
    // The forwarder is a member too, so it can vote through the router.
    via(&forwarder, &env, z, &I::addMemberCall { addr: f, quorum: u(3) }).unwrap();
    let vote =
        I::submitReportCall { slot: u(ref_slot(1)), report: h(1), consensusVersion: u(VERSION) };
    via(&forwarder, &env, z, &vote).unwrap();
    check(I::submitReportCall::SELECTOR);
    env.vote(0, ref_slot(1), h(1)).unwrap();
    env.vote(1, ref_slot(1), h(2)).unwrap();
    // An error comes back as its ABI encoding.
    assert_eq!(
        via(&forwarder, &env, z, &vote).err().expect("refused"),
        Vec::<u8>::from(Error::from(crate::errors::DuplicateReport {}))
    );

    let members = via(&forwarder, &env, z, &I::getMembersCall {}).unwrap().addresses;
    assert_eq!(members, vec![member(0), member(1), member(2), f]);
    check(I::getMembersCall::SELECTOR);
    assert!(via(&forwarder, &env, z, &I::isMemberCall { addr: f }).unwrap()._0);
    check(I::isMemberCall::SELECTOR);
    assert_eq!(via(&forwarder, &env, z, &I::getQuorumCall {}).unwrap()._0, u(3));
    check(I::getQuorumCall::SELECTOR);
    let c = via(&forwarder, &env, z, &I::getChainConfigCall {}).unwrap();
    assert_eq!((c.genesisTime, c.secondsPerSlot, c.slotsPerEpoch), (u(GENESIS), u(SPS), u(SPE)));
    check(I::getChainConfigCall::SELECTOR);
    let c = via(&forwarder, &env, z, &I::getFrameConfigCall {}).unwrap();
    assert_eq!((c.initialEpoch, c.epochsPerFrame, c.fastLaneLengthSlots), (u(10), u(EPF), u(0)));
    check(I::getFrameConfigCall::SELECTOR);
    let c = via(&forwarder, &env, z, &I::getCurrentFrameCall {}).unwrap();
    assert_eq!((c.refSlot, c.reportProcessingDeadlineSlot), (u(ref_slot(1)), u(deadline_slot(1))));
    check(I::getCurrentFrameCall::SELECTOR);
    let c = via(&forwarder, &env, z, &I::getConsensusStateCall {}).unwrap();
    assert_eq!(
        (c.refSlot, c.consensusReport, c.isReportProcessing),
        (u(ref_slot(1)), B256::ZERO, false)
    );
    check(I::getConsensusStateCall::SELECTOR);
    let c = via(&forwarder, &env, z, &I::getMemberVoteCall { member: member(1) }).unwrap();
    assert_eq!((c.refSlot, c.report), (u(ref_slot(1)), h(2)));
    check(I::getMemberVoteCall::SELECTOR);
    let c = via(&forwarder, &env, z, &I::getReportVariantsCall {}).unwrap();
    assert_eq!((c.variants, c.support), (vec![h(1), h(2)], vec![u(2), u(1)]));
    check(I::getReportVariantsCall::SELECTOR);
    assert_eq!(via(&forwarder, &env, z, &I::getConsensusVersionCall {}).unwrap()._0, u(VERSION));
    check(I::getConsensusVersionCall::SELECTOR);
    assert_eq!(
        via(&forwarder, &env, z, &I::accessManagerCall {}).unwrap()._0,
        env.manager.address()
    );
    check(I::accessManagerCall::SELECTOR);
    assert_eq!(via(&forwarder, &env, z, &I::extensionCall {}).unwrap()._0, EXTENSION);
    check(I::extensionCall::SELECTOR);
    // A constructed oracle never answers `extensionId()`: only an extension program, on its own
    // storage, does.
    assert!(via(&forwarder, &env, z, &I::extensionIdCall {}).is_err());
    check(I::extensionIdCall::SELECTOR);
    env.manager.sender(env.admin).grant(staking_common::roles::UPGRADE_ROLE, f);
    let next = Address::repeat_byte(0xe8);
    via(&forwarder, &env, z, &I::upgradeExtensionCall { newExtension: next }).unwrap();
    env.oracle.assert_emitted(&crate::abi::IAccountingOracle::ExtensionUpgraded {
        oldExtension: EXTENSION,
        newExtension: next,
    });
    assert_eq!(via(&forwarder, &env, z, &I::extensionCall {}).unwrap()._0, next);
    check(I::upgradeExtensionCall::SELECTOR);

    via(&forwarder, &env, z, &I::removeMemberCall { addr: member(2), quorum: u(2) }).unwrap();
    check(I::removeMemberCall::SELECTOR);
    assert_eq!(env.consensus().1, h(1));
    via(&forwarder, &env, z, &I::setQuorumCall { quorum: u(3) }).unwrap();
    check(I::setQuorumCall::SELECTOR);
    assert_eq!(env.consensus().1, B256::ZERO);
    via(&forwarder, &env, z, &I::disableConsensusCall {}).unwrap();
    check(I::disableConsensusCall::SELECTOR);
    via(
        &forwarder,
        &env,
        z,
        &I::setFrameConfigCall { epochsPerFrame: u(EPF), fastLaneLengthSlots: u(1) },
    )
    .unwrap();
    check(I::setFrameConfigCall::SELECTOR);
    via(&forwarder, &env, z, &I::setConsensusVersionCall { version: u(7) }).unwrap();
    check(I::setConsensusVersionCall::SELECTOR);

    // Report data, sanity limits, protocol contracts and their views.
    let limits = crate::tests::contract::data::limits_abi(&staking_math::sanity::Limits {
        request_margin: 60,
        ..staking_math::sanity::Limits::LIDO
    });
    via(&forwarder, &env, z, &I::setSanityLimitsCall { limits: limits.clone() }).unwrap();
    check(I::setSanityLimitsCall::SELECTOR);
    let got = via(&forwarder, &env, z, &I::getSanityLimitsCall {}).unwrap()._0;
    assert_eq!(got.requestTimestampMargin, u(60));
    assert_eq!(got.maxPositiveTokenRebase, limits.maxPositiveTokenRebase);
    check(I::getSanityLimitsCall::SELECTOR);
    let (pool, registry) = (Address::repeat_byte(0x90), Address::repeat_byte(0x91));
    via(&forwarder, &env, z, &I::setProtocolContractsCall { pool, registry }).unwrap();
    check(I::setProtocolContractsCall::SELECTOR);
    let c = via(&forwarder, &env, z, &I::getProtocolContractsCall {}).unwrap();
    assert_eq!((c.pool, c.registry), (pool, registry));
    check(I::getProtocolContractsCall::SELECTOR);
    assert_eq!(
        via(&forwarder, &env, z, &I::getLastProcessingRefSlotCall {}).unwrap()._0,
        U256::ZERO
    );
    check(I::getLastProcessingRefSlotCall::SELECTOR);
    let l1 = via(&forwarder, &env, z, &I::getLastL1StateCall {}).unwrap();
    assert_eq!((l1.bridgedToL2, l1.receivedFromL1Vault), (z, z));
    check(I::getLastL1StateCall::SELECTOR);
    assert_eq!(via(&forwarder, &env, z, &I::getContractVersionCall {}).unwrap()._0, u(1));
    check(I::getContractVersionCall::SELECTOR);
    let c = via(&forwarder, &env, z, &I::getProcessingStateCall {}).unwrap();
    assert_eq!(
        (c.currentFrameRefSlot, c.processingDeadlineTime, c.dataHash, c.dataSubmitted),
        (u(ref_slot(1)), u(slot_time(deadline_slot(1))), B256::ZERO, false)
    );
    check(I::getProcessingStateCall::SELECTOR);
    let data = I::ReportData {
        consensusVersion: u(7),
        refSlot: u(ref_slot(1)),
        numValidators: z,
        clBalanceGwei: z,
        withdrawals: z,
        elRewards: z,
        vaultBalance: z,
        bridgedToL2: z,
        sharesRequestedToBurn: z,
        withdrawalFinalizationBatches: vec![],
        simulatedShareRate: z,
        isBunkerMode: false,
        exitedOperatorIds: vec![],
        exitedValidatorsCounts: vec![],
        exitedOrderHints: vec![],
        exitRequestsCount: U256::ZERO,
        exitRequestsHash: B256::ZERO,
    };
    assert_eq!(
        via(&forwarder, &env, z, &I::submitReportDataCall { data, contractVersion: u(1) })
            .err()
            .expect("no consensus"),
        Vec::<u8>::from(Error::from(crate::errors::NoConsensusReportToProcess {}))
    );
    check(I::submitReportDataCall::SELECTOR);
    assert_eq!(
        via(&forwarder, &env, z, &I::submitExitRequestsCall { data: vec![1u8; 64].into() })
            .err()
            .expect("no agreed list"),
        Vec::<u8>::from(Error::from(crate::errors::NoExitRequestsToProcess {}))
    );
    check(I::submitExitRequestsCall::SELECTOR);
    via(&forwarder, &env, z, &I::setExitRequestLimitsCall { maxPerReport: u(10), perDay: u(20) })
        .unwrap();
    check(I::setExitRequestLimitsCall::SELECTOR);
    let st = via(&forwarder, &env, z, &I::getExitRequestsStateCall {}).unwrap();
    assert_eq!(
        (st.count, st.delivered, st.maxPerReport, st.perDay, st.remainingToday),
        (z, false, u(10), u(20), u(20))
    );
    check(I::getExitRequestsStateCall::SELECTOR);

    assert_eq!(env.r().get_members(), vec![member(0), member(1), f]);
    assert_eq!(env.r().get_quorum(), u(255));
    assert_eq!(env.r().get_frame_config().2, u(1));
    assert_eq!(env.r().get_consensus_version(), u(7));

    let mut all = I::IAccountingOracleCalls::SELECTORS.to_vec();
    all.sort_unstable();
    routed.sort_unstable();
    assert_eq!(routed, all, "every function of the interface was called through the router");
}

#[motsu::test]
fn ether_with_any_call_and_calls_that_do_not_decode_are_refused(
    forwarder: Contract<ForwarderMock>,
) {
    let env = Env::committee(3, 2);
    env.manager.sender(env.admin).grant(MANAGE_MEMBERS_AND_QUORUM_ROLE, forwarder.address());
    let before = env.snapshot();
    // The oracle reverts with empty data, which motsu reports as "function not found".
    let empty_revert = |value: U256, data: Vec<u8>| {
        let payer = Address::repeat_byte(0x13);
        payer.fund(value);
        let answer = forwarder
            .sender_and_value(payer, value)
            .forward(env.oracle.address(), Bytes(data))
            .motsu_unwrap_err();
        assert!(answer.starts_with(b"function not found"), "{answer:?}");
    };
    let wei = u(1);
    empty_revert(wei, I::getQuorumCall {}.abi_encode());
    empty_revert(wei, I::setQuorumCall { quorum: u(3) }.abi_encode());
    empty_revert(
        wei,
        I::submitReportCall { slot: u(ref_slot(1)), report: h(1), consensusVersion: u(VERSION) }
            .abi_encode(),
    );
    // Arguments cut short, a dirty address, an unknown selector. (A plain transfer, empty
    // calldata, is left to the end-to-end tests: motsu cannot route it.)
    let mut short = I::addMemberCall { addr: member(5), quorum: u(2) }.abi_encode();
    short.truncate(40);
    empty_revert(U256::ZERO, short);
    let mut dirty = I::addMemberCall { addr: member(5), quorum: u(2) }.abi_encode();
    dirty[4] = 1;
    empty_revert(U256::ZERO, dirty);
    empty_revert(U256::ZERO, vec![0xde, 0xad, 0xbe, 0xef]);
    assert_eq!(env.snapshot(), before);
}
