//! The rate feeds: Balancer's getRate, Chainlink's latestRoundData and getRoundData, the feed's
//! description and version.

use super::*;
use crate::errors::*;

#[motsu::test]
fn get_rate_is_the_ether_value_of_one_unit(
    token: Contract<WrappedToken>,
    pool: Contract<PoolMock>,
    alice: Address,
) {
    setup(&token, &pool, ether(3), ether(2), alice, U256::ZERO);
    assert_eq!(token.sender(alice).get_rate().motsu_unwrap(), u(1_500_000_000_000_000_000));
    pool.sender(alice).set_rate(u(1_000_000_000_000_000_007), ether(1));
    assert_eq!(token.sender(alice).get_rate().motsu_unwrap(), u(1_000_000_000_000_000_007));
}

#[motsu::test]
fn latest_round_data_follows_the_pools_reports(
    token: Contract<WrappedToken>,
    pool: Contract<PoolMock>,
    alice: Address,
) {
    setup(&token, &pool, ether(3), ether(2), alice, U256::ZERO);
    let rate = u(1_500_000_000_000_000_000);
    assert_eq!(
        token.sender(alice).latest_round_data().motsu_unwrap(),
        (U256::ZERO, rate, U256::ZERO, U256::ZERO, U256::ZERO)
    );
    pool.sender(alice).set_last_report(u(12), u(1_700_000_000));
    assert_eq!(
        token.sender(alice).latest_round_data().motsu_unwrap(),
        (u(12), rate, u(1_700_000_000), u(1_700_000_000), u(12))
    );
}

#[motsu::test]
fn get_round_data_serves_the_latest_round_only(
    token: Contract<WrappedToken>,
    pool: Contract<PoolMock>,
    alice: Address,
) {
    use staking_common::interface::Returns;
    setup(&token, &pool, ether(3), ether(2), alice, U256::ZERO);
    pool.sender(alice).set_last_report(u(12), u(1_700_000_000));
    let latest = token.sender(alice).latest_round_data().motsu_unwrap();
    let word = |n: u128| u(n).to_be_bytes::<32>().to_vec();
    let answer = token.sender(alice).get_round_data(&word(12)).expect("served");
    assert_eq!(answer, Ok(latest.returns()));
    let answer = token.sender(alice).get_round_data(&word(11)).expect("served");
    assert_eq!(
        answer,
        Err(data(Error::NoDataPresent(NoDataPresent { roundId: u(11), latestRoundId: u(12) })))
    );
    // Not a uint80: not served (an empty revert, as any malformed argument).
    assert!(token.sender(alice).get_round_data(&word(1 << 80)).is_none());
    assert!(token.sender(alice).get_round_data(&[0u8; 31]).is_none());
}

#[motsu::test]
fn the_feed_describes_itself(
    token: Contract<WrappedToken>,
    pool: Contract<PoolMock>,
    alice: Address,
) {
    setup(&token, &pool, ether(1), ether(1), alice, U256::ZERO);
    assert_eq!(token.sender(alice).description(), "wsETH / ETH exchange rate");
    assert_eq!(token.sender(alice).version(), u(1));
    assert_eq!(token.sender(alice).decimals(), 18);
}
