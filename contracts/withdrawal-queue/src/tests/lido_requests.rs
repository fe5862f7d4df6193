//! Lido's request variants: `requestWithdrawalsWithPermit`, `requestWithdrawalsWstETH` and
//! `requestWithdrawalsWstETHWithPermit`, against a pool and a wrapped token that keep
//! allowances and take (or refuse) permits.

use alloy_primitives::uint;
use stylus_sdk::storage::StorageMap;

use super::*;
use crate::{
    abi::IWithdrawalQueue::{
        requestWithdrawalsWithPermitCall, requestWithdrawalsWstETHWithPermitCall, PermitInput,
    },
    errors::*,
    events::*,
    lido_requests::mul_div,
    requests::coarse_rate,
};

sol! {
    /// The permit error the stand-ins refuse with (as OpenZeppelin's, and the pool's).
    #[derive(Debug, PartialEq)]
    error ERC2612InvalidSigner(address signer, address owner);
}

/// What a stand-in token records of the last `permit` it was asked.
type PermitCall = (Address, Address, U256, U256, u8, B256, B256);

/// Allowances, an optional failing `permit` and the last permit asked: what both stand-ins
/// share.
#[storage]
pub struct Permits {
    allowances: StorageMap<Address, StorageMap<Address, StorageU256>>,
    refuse: StorageBool,
    calls: StorageU256,
    owner: StorageAddress,
    spender: StorageAddress,
    value: StorageU256,
    deadline: StorageU256,
    v: StorageU256,
    r: StorageU256,
    s: StorageU256,
}

impl Permits {
    #[allow(clippy::too_many_arguments, reason = "ERC-2612's permit has seven arguments")]
    fn permit(
        &mut self,
        owner: Address,
        spender: Address,
        value: U256,
        deadline: U256,
        v: u8,
        r: B256,
        s: B256,
    ) -> Result<(), Vec<u8>> {
        self.calls.set(self.calls.get() + U256::from(1));
        self.owner.set(owner);
        self.spender.set(spender);
        self.value.set(value);
        self.deadline.set(deadline);
        self.v.set(U256::from(v));
        self.r.set(r.into());
        self.s.set(s.into());
        if self.refuse.get() {
            return Err(ERC2612InvalidSigner { signer: Address::ZERO, owner }.abi_encode());
        }
        self.allowances.setter(owner).setter(spender).set(value);
        Ok(())
    }

    /// Spends `amount` of `owner`'s allowance for the caller, as the real tokens do.
    fn spend(&mut self, owner: Address, amount: U256) -> Result<(), Vec<u8>> {
        let spender = staking_common::host::sender();
        let allowance = self.allowances.getter(owner).get(spender);
        if allowance < amount {
            return Err(
                ERC20InsufficientAllowance { spender, allowance, needed: amount }.abi_encode()
            );
        }
        self.allowances.setter(owner).setter(spender).set(allowance - amount);
        Ok(())
    }

    fn last(&self) -> (U256, PermitCall) {
        let v = u8::try_from(self.v.get()).unwrap_or(0);
        let words = (self.r.get().into(), self.s.get().into());
        let last = (self.owner.get(), self.spender.get(), self.value.get(), self.deadline.get(), v);
        (self.calls.get(), (last.0, last.1, last.2, last.3, last.4, words.0, words.1))
    }
}

/// Stand-in for the pool: `transferFromWithShares` spends the allowance and moves one share
/// per wei; `permit` sets the allowance (or refuses); `wrappedToken()` names the wrapped token.
#[storage]
pub struct PermitPoolMock {
    permits: Permits,
    wrapped: StorageAddress,
    pulls: StorageU256,
}

unsafe impl TopLevelStorage for PermitPoolMock {}

#[public]
impl PermitPoolMock {
    fn set_wrapped_token(&mut self, token: Address) {
        self.wrapped.set(token);
    }

    fn wrapped_token(&self) -> Address {
        self.wrapped.get()
    }

    fn set_allowance(&mut self, owner: Address, spender: Address, amount: U256) {
        self.permits.allowances.setter(owner).setter(spender).set(amount);
    }

    fn allowance(&self, owner: Address, spender: Address) -> U256 {
        self.permits.allowances.getter(owner).get(spender)
    }

    fn refuse_permits(&mut self, refuse: bool) {
        self.permits.refuse.set(refuse);
    }

    #[allow(clippy::too_many_arguments, reason = "ERC-2612's permit has seven arguments")]
    fn permit(
        &mut self,
        owner: Address,
        spender: Address,
        value: U256,
        deadline: U256,
        v: u8,
        r: B256,
        s: B256,
    ) -> Result<(), Vec<u8>> {
        self.permits.permit(owner, spender, value, deadline, v, r, s)
    }

    fn last_permit(&self) -> (U256, PermitCall) {
        self.permits.last()
    }

    fn transfer_from_with_shares(
        &mut self,
        from: Address,
        _to: Address,
        amount: U256,
    ) -> Result<U256, Vec<u8>> {
        self.permits.spend(from, amount)?;
        self.pulls.set(self.pulls.get() + U256::from(1));
        Ok(amount)
    }

    fn pulls(&self) -> U256 {
        self.pulls.get()
    }
}

/// Stand-in for the wrapped token: `transferFrom` spends the allowance, `unwrap` returns
/// `floor(amount * num / den)` (the shares' ether at the pool's rate), `permit` as the pool's.
/// It can re-enter the queue from `unwrap`.
#[storage]
pub struct WrapperMock {
    permits: Permits,
    num: StorageU256,
    den: StorageU256,
    pulled: StorageU256,
    last_from: StorageAddress,
    last_to: StorageAddress,
    unwrapped: StorageU256,
    unwraps: StorageU256,
    reenter: StorageAddress,
    reentry_answer: StorageBytes,
}

unsafe impl TopLevelStorage for WrapperMock {}

#[public]
impl WrapperMock {
    fn set_rate(&mut self, num: U256, den: U256) {
        self.num.set(num);
        self.den.set(den);
    }

    fn set_allowance(&mut self, owner: Address, spender: Address, amount: U256) {
        self.permits.allowances.setter(owner).setter(spender).set(amount);
    }

    fn allowance(&self, owner: Address, spender: Address) -> U256 {
        self.permits.allowances.getter(owner).get(spender)
    }

    fn refuse_permits(&mut self, refuse: bool) {
        self.permits.refuse.set(refuse);
    }

    fn set_reentry(&mut self, queue: Address) {
        self.reenter.set(queue);
    }

    #[allow(clippy::too_many_arguments, reason = "ERC-2612's permit has seven arguments")]
    fn permit(
        &mut self,
        owner: Address,
        spender: Address,
        value: U256,
        deadline: U256,
        v: u8,
        r: B256,
        s: B256,
    ) -> Result<(), Vec<u8>> {
        self.permits.permit(owner, spender, value, deadline, v, r, s)
    }

    fn last_permit(&self) -> (U256, PermitCall) {
        self.permits.last()
    }

    fn transfer_from(&mut self, from: Address, to: Address, amount: U256) -> Result<bool, Vec<u8>> {
        self.permits.spend(from, amount)?;
        self.pulled.set(self.pulled.get() + amount);
        self.last_from.set(from);
        self.last_to.set(to);
        Ok(true)
    }

    fn unwrap(&mut self, amount: U256) -> U256 {
        let queue = self.reenter.get();
        if !queue.is_zero() {
            let data = crate::abi::IWithdrawalQueue::requestWithdrawalsWstETHCall {
                amounts: vec![amount],
                owner: Address::ZERO,
            }
            .abi_encode();
            // SAFETY: no storage reference is held across the call.
            let answer = unsafe { stylus_sdk::call::RawCall::new().call(queue, &data) };
            self.reentry_answer.set_bytes(answer.unwrap_or_else(|e| e));
        }
        self.unwraps.set(self.unwraps.get() + U256::from(1));
        self.unwrapped.set(self.unwrapped.get() + amount);
        amount * self.num.get() / self.den.get()
    }

    /// `(pulled, last from, last to, unwrapped, unwraps)`.
    fn moves(&self) -> (U256, Address, Address, U256, U256) {
        (
            self.pulled.get(),
            self.last_from.get(),
            self.last_to.get(),
            self.unwrapped.get(),
            self.unwraps.get(),
        )
    }

    fn reentry_answer(&self) -> Bytes {
        Bytes(self.reentry_answer.get_bytes())
    }
}

// ------------------------------------------------------------------ helpers

const DEADLINE: U256 = uint!(4_000_000_000_U256);
const R: B256 = B256::repeat_byte(0x11);
const S: B256 = B256::repeat_byte(0x22);

fn permit_input(value: U256) -> PermitInput {
    PermitInput { value, deadline: DEADLINE, v: 27, r: R, s: S }
}

/// An initialized queue over the stand-in pool, whose wrapped token is `wrapper` at a rate of
/// `num / den` ether per share.
fn deploy(
    queue: &Contract<WithdrawalQueue>,
    pool: &Contract<PermitPoolMock>,
    wrapper: &Contract<WrapperMock>,
    manager: &Contract<AccessManagerMock>,
    admin: Address,
    (num, den): (u64, u64),
) {
    for role in [PAUSE_ROLE, RESUME_ROLE, WITHDRAWAL_CONFIG_ROLE] {
        manager.sender(admin).grant(role, admin);
    }
    queue
        .sender(admin)
        .constructor(pool.address(), manager.address(), EXTENSION)
        .motsu_expect("constructor");
    pool.sender(admin).set_wrapped_token(wrapper.address());
    wrapper.sender(admin).set_rate(U256::from(num), U256::from(den));
}

/// `requestWithdrawalsWithPermit(amounts, owner, permit)` as the router hands it over: the
/// arguments as sent.
fn with_permit(
    queue: &Contract<WithdrawalQueue>,
    who: Address,
    amounts: &[U256],
    owner: Address,
    permit: PermitInput,
) -> Result<Vec<U256>, Vec<u8>> {
    let call = requestWithdrawalsWithPermitCall { amounts: amounts.to_vec(), owner, permit };
    let answer = queue.sender(who).request_withdrawals_with_permit(&call.abi_encode()[4..]);
    decode_ids(answer)
}

/// `requestWithdrawalsWstETHWithPermit`, as [`with_permit`].
fn wst_with_permit(
    queue: &Contract<WithdrawalQueue>,
    who: Address,
    amounts: &[U256],
    owner: Address,
    permit: PermitInput,
) -> Result<Vec<U256>, Vec<u8>> {
    let call = requestWithdrawalsWstETHWithPermitCall { amounts: amounts.to_vec(), owner, permit };
    let answer = queue.sender(who).request_withdrawals_wst_eth_with_permit(&call.abi_encode()[4..]);
    decode_ids(answer)
}

fn decode_ids(answer: Option<ArbResult>) -> Result<Vec<U256>, Vec<u8>> {
    let output = answer.expect("served")?;
    let ids = <alloy_sol_types::sol_data::Array<alloy_sol_types::sol_data::Uint<256>> as alloy_sol_types::SolType>::abi_decode(&output, true);
    Ok(ids.expect("the ids decode"))
}

fn wst(
    queue: &Contract<WithdrawalQueue>,
    who: Address,
    amounts: &[U256],
) -> Result<Vec<U256>, Error> {
    queue.sender(who).request_withdrawals_wst_eth(amounts, Address::ZERO)
}

fn insufficient(spender: Address, allowance: U256, needed: U256) -> Vec<u8> {
    ERC20InsufficientAllowance { spender, allowance, needed }.abi_encode()
}

// ------------------------------------------------------------------ with permit

#[motsu::test]
fn a_request_with_permit_hands_the_callers_permit_to_the_pool_then_requests(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PermitPoolMock>,
    wrapper: Contract<WrapperMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
    bob: Address,
) {
    deploy(&queue, &pool, &wrapper, &manager, admin, (1, 1));
    let got = with_permit(&queue, alice, &[ether(1), ether(2)], bob, permit_input(ether(3)));
    assert_eq!(got, Ok(ids(&[1, 2])));

    // The permit: signed by the caller, for the queue, its words as sent.
    let (calls, last) = pool.sender(admin).last_permit();
    assert_eq!(calls, U256::from(1));
    assert_eq!(last, (alice, queue.address(), ether(3), DEADLINE, 27, R, S));
    // The request spent it: one pull of the total.
    assert_eq!(pool.sender(admin).pulls(), U256::from(1));
    assert_eq!(pool.sender(admin).allowance(alice, queue.address()), U256::ZERO);
    assert_eq!(status(&queue, 1), (ether(1), ether(1), bob, now(), false, false));
    assert_eq!(status(&queue, 2), (ether(2), ether(2), bob, now(), false, false));
    assert_eq!(queue.sender(alice).balance_of(bob).motsu_unwrap(), id(2));
    for (n, amount) in [(1, ether(1)), (2, ether(2))] {
        queue.assert_emitted(&WithdrawalRequested {
            requestId: id(n),
            requestor: alice,
            owner: bob,
            amountOfStETH: amount,
            amountOfShares: amount,
        });
        queue.assert_emitted(&Transfer { from: Address::ZERO, to: bob, tokenId: id(n) });
    }
}

#[motsu::test]
fn a_failed_permit_is_ignored_when_the_allowance_covers_the_request(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PermitPoolMock>,
    wrapper: Contract<WrapperMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    deploy(&queue, &pool, &wrapper, &manager, admin, (1, 1));
    // A front-runner submitted the permit first: the allowance is there, the permit is spent.
    pool.sender(admin).set_allowance(alice, queue.address(), ether(5));
    pool.sender(admin).refuse_permits(true);

    let got = with_permit(&queue, alice, &[ether(2)], Address::ZERO, permit_input(ether(7)));

    assert_eq!(got, Ok(ids(&[1])));
    // The allowance that was there, less the request (a permit that took would have left 5).
    assert_eq!(pool.sender(admin).allowance(alice, queue.address()), ether(3));
    assert_eq!(status(&queue, 1), (ether(2), ether(2), alice, now(), false, false));
    queue.assert_emitted(&WithdrawalRequested {
        requestId: id(1),
        requestor: alice,
        owner: alice,
        amountOfStETH: ether(2),
        amountOfShares: ether(2),
    });
}

#[motsu::test]
fn a_failed_permit_without_allowance_reverts_with_the_pools_allowance_error(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PermitPoolMock>,
    wrapper: Contract<WrapperMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    deploy(&queue, &pool, &wrapper, &manager, admin, (1, 1));
    pool.sender(admin).set_allowance(alice, queue.address(), ether(1));
    pool.sender(admin).refuse_permits(true);
    let before = snapshot(&queue, &[alice]);

    let got = with_permit(&queue, alice, &[ether(2)], Address::ZERO, permit_input(ether(2)));

    assert_eq!(got, Err(insufficient(queue.address(), ether(1), ether(2))));
    assert_eq!(pool.sender(admin).pulls(), U256::ZERO);
    assert_eq!(snapshot(&queue, &[alice]), before);
}

#[motsu::test]
fn a_request_with_permit_keeps_the_requests_own_checks(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PermitPoolMock>,
    wrapper: Contract<WrapperMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    deploy(&queue, &pool, &wrapper, &manager, admin, (1, 1));
    let small = with_permit(&queue, alice, &[U256::from(99)], Address::ZERO, permit_input(MIN));
    let refused = RequestAmountTooSmall { amount: U256::from(99), min: MIN };
    assert_eq!(small, Err(Error::RequestAmountTooSmall(refused).into()));
    let empty = with_permit(&queue, alice, &[], Address::ZERO, permit_input(MIN));
    assert_eq!(empty, Err(Error::EmptyRequest(EmptyRequest {}).into()));
    queue.sender(admin).pause().motsu_unwrap();
    let paused = with_permit(&queue, alice, &[ether(1)], Address::ZERO, permit_input(ether(1)));
    assert_eq!(paused, Err(Error::QueuePaused(QueuePaused {}).into()));
    assert_eq!(queue.sender(alice).get_last_request_id(), U256::ZERO);
}

#[motsu::test]
fn permit_arguments_that_do_not_decode_revert_with_empty_data(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PermitPoolMock>,
    wrapper: Contract<WrapperMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    deploy(&queue, &pool, &wrapper, &manager, admin, (1, 1));
    let call = requestWithdrawalsWithPermitCall {
        amounts: vec![ether(1)],
        owner: alice,
        permit: permit_input(ether(1)),
    };
    let args = call.abi_encode()[4..].to_vec();
    // A head cut short, an owner with dirty upper bytes, an offset past the data.
    let mut dirty = args.clone();
    dirty[32] = 1;
    let mut far = args.clone();
    far[29] = 1;
    for bad in [&args[..200], &dirty[..], &far[..]] {
        let mut q = queue.sender(alice);
        assert_eq!(q.request_withdrawals_with_permit(bad), Some(Err(Vec::new())));
        assert_eq!(q.request_withdrawals_wst_eth_with_permit(bad), Some(Err(Vec::new())));
    }
    assert_eq!(pool.sender(admin).last_permit().0, U256::ZERO, "no permit was tried");
    assert_eq!(queue.sender(alice).get_last_request_id(), U256::ZERO);
}

// ------------------------------------------------------------------ in the wrapped token

#[motsu::test]
fn a_wrapped_request_pulls_and_unwraps_the_total_and_records_its_ether_and_shares(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PermitPoolMock>,
    wrapper: Contract<WrapperMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
    bob: Address,
) {
    // 1.1 ether per share.
    deploy(&queue, &pool, &wrapper, &manager, admin, (11, 10));
    wrapper.sender(admin).set_allowance(alice, queue.address(), ether(10));

    let got = queue.sender(alice).request_withdrawals_wst_eth(&[ether(2)], bob).motsu_unwrap();

    assert_eq!(got, ids(&[1]));
    // One transferFrom of the caller's wrapped tokens into the queue, one unwrap.
    let moves = wrapper.sender(admin).moves();
    assert_eq!(moves, (ether(2), alice, queue.address(), ether(2), U256::from(1)));
    assert_eq!(wrapper.sender(admin).allowance(alice, queue.address()), ether(8));
    // Receipt-token units: the unwrapped ether, and the shares exactly.
    let value = ether(22) / U256::from(10);
    assert_eq!(status(&queue, 1), (value, ether(2), bob, now(), false, false));
    assert_eq!(queue.sender(alice).unfinalized_st_eth(), value);
    assert_eq!(queue.sender(alice).owner_of(id(1)).motsu_unwrap(), bob);
    queue.assert_emitted(&WithdrawalRequested {
        requestId: id(1),
        requestor: alice,
        owner: bob,
        amountOfStETH: value,
        amountOfShares: ether(2),
    });
    queue.assert_emitted(&Transfer { from: Address::ZERO, to: bob, tokenId: id(1) });
}

#[motsu::test]
fn wrapped_requests_split_the_unwrapped_ether_exactly_by_the_running_total(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PermitPoolMock>,
    wrapper: Contract<WrapperMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    // 7/3 ether per share: no amount is a whole number of wei.
    deploy(&queue, &pool, &wrapper, &manager, admin, (7, 3));
    wrapper.sender(admin).set_allowance(alice, queue.address(), U256::MAX);
    let amounts = [U256::from(1_000), U256::from(1_000), U256::from(1_001)];

    assert_eq!(wst(&queue, alice, &amounts), Ok(ids(&[1, 2, 3])));

    // unwrap(3,001) = floor(3,001 * 7 / 3) = 7,002; the running totals 2,333.3 -> 2,333,
    // 4,666.4 -> 4,666 and 7,002: parts 2,333, 2,333, 2,336, within a wei of their exact
    // values (2,333.3, 2,333.3, 2,335.7) and adding up to the 7,002 unwrapped. Lido's per-request
    // rounding would record 2,333 + 2,333 + 2,335 = 7,001.
    let ether: Vec<U256> = (1..=3).map(|n| status(&queue, n).0).collect();
    assert_eq!(ether, [U256::from(2_333), U256::from(2_333), U256::from(2_336)]);
    assert_eq!(ether.iter().copied().sum::<U256>(), U256::from(7_002));
    assert_eq!(queue.sender(alice).unfinalized_st_eth(), U256::from(7_002));
    for (n, shares) in (1..=3).zip(amounts) {
        assert_eq!(status(&queue, n).1, shares, "each request holds its own shares");
    }
    assert_eq!(wrapper.sender(admin).moves().4, U256::from(1), "one unwrap for all three");
    for (n, e) in (1..=3).zip(&ether) {
        queue.assert_emitted(&WithdrawalRequested {
            requestId: id(n),
            requestor: alice,
            owner: alice,
            amountOfStETH: *e,
            amountOfShares: amounts[usize::try_from(n - 1).unwrap()],
        });
    }
}

#[motsu::test]
fn wrapped_requests_are_paid_their_ether_at_finalization(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PermitPoolMock>,
    wrapper: Contract<WrapperMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    deploy(&queue, &pool, &wrapper, &manager, admin, (7, 3));
    queue.sender(admin).set_min_finalization_delay(U256::ZERO).motsu_unwrap();
    wrapper.sender(admin).set_allowance(alice, queue.address(), U256::MAX);
    let amounts = [U256::from(1_000), U256::from(1_000), U256::from(1_001)];
    wst(&queue, alice, &amounts).motsu_unwrap();

    // A report at a higher rate pays every request its recorded ether: 7,002 in all.
    let rate = super::rate(8, 3);
    let (owed, shares) = queue.sender(pool.address()).prefinalize(&[id(3)], rate).motsu_unwrap();
    assert_eq!((owed, shares), (U256::from(7_002), U256::from(3_001)));
}

#[motsu::test]
fn wrapped_request_bounds_apply_to_the_ether_after_the_unwrap(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PermitPoolMock>,
    wrapper: Contract<WrapperMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    // Half an ether per share: 199 shares are 99 wei, below the minimum of 100.
    deploy(&queue, &pool, &wrapper, &manager, admin, (1, 2));
    wrapper.sender(admin).set_allowance(alice, queue.address(), U256::MAX);
    let small = wst(&queue, alice, &[U256::from(199)]);
    let refused = RequestAmountTooSmall { amount: U256::from(99), min: MIN };
    assert_eq!(small, Err(Error::RequestAmountTooSmall(refused)));
    // 2,000 ether of shares are 1,000 ether: the maximum; a wei more of ether is above it.
    assert_eq!(wst(&queue, alice, &[ether(2_000)]), Ok(ids(&[1])));
    let large = wst(&queue, alice, &[ether(2_000) + U256::from(2)]);
    let refused = RequestAmountTooLarge { amount: MAX + U256::from(1), max: MAX };
    assert_eq!(large, Err(Error::RequestAmountTooLarge(refused)));
    // Zero shares, no amounts, an amount beyond u128.
    let zero = RequestAmountTooSmall { amount: U256::ZERO, min: MIN };
    assert_eq!(wst(&queue, alice, &[U256::ZERO]), Err(Error::RequestAmountTooSmall(zero)));
    assert_eq!(wst(&queue, alice, &[]), Err(Error::EmptyRequest(EmptyRequest {})));
    let huge = U256::from(u128::MAX) + U256::from(1);
    let refused = RequestAmountTooLarge { amount: huge, max: MAX };
    assert_eq!(wst(&queue, alice, &[huge]), Err(Error::RequestAmountTooLarge(refused)));
    assert_eq!(queue.sender(alice).get_last_request_id(), id(1));
}

#[motsu::test]
fn wrapped_requests_stop_while_paused_and_without_a_wrapped_token(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PermitPoolMock>,
    wrapper: Contract<WrapperMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    deploy(&queue, &pool, &wrapper, &manager, admin, (1, 1));
    wrapper.sender(admin).set_allowance(alice, queue.address(), U256::MAX);
    pool.sender(admin).set_wrapped_token(Address::ZERO);
    let unset = Error::InvalidAddress(InvalidAddress {});
    assert_eq!(wst(&queue, alice, &[ether(1)]), Err(unset.clone()));
    let with = wst_with_permit(&queue, alice, &[ether(1)], Address::ZERO, permit_input(ether(1)));
    assert_eq!(with, Err(unset.into()));
    assert_eq!(wrapper.sender(admin).last_permit().0, U256::ZERO, "no permit without a token");

    pool.sender(admin).set_wrapped_token(wrapper.address());
    queue.sender(admin).pause().motsu_unwrap();
    assert_eq!(wst(&queue, alice, &[ether(1)]), Err(Error::QueuePaused(QueuePaused {})));
    assert_eq!(wrapper.sender(admin).moves().0, U256::ZERO, "nothing pulled");
}

#[motsu::test]
fn a_wrapped_request_without_allowance_reverts_with_the_tokens_error(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PermitPoolMock>,
    wrapper: Contract<WrapperMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    deploy(&queue, &pool, &wrapper, &manager, admin, (1, 1));
    let before = snapshot(&queue, &[alice]);
    let err = wst(&queue, alice, &[ether(1)]).motsu_unwrap_err();
    assert_eq!(err, Error::Callee(insufficient(queue.address(), U256::ZERO, ether(1))));
    assert_eq!(snapshot(&queue, &[alice]), before);
}

#[motsu::test]
fn a_wrapped_request_with_permit_hands_the_permit_to_the_wrapped_token(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PermitPoolMock>,
    wrapper: Contract<WrapperMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    deploy(&queue, &pool, &wrapper, &manager, admin, (1, 1));
    let got = wst_with_permit(&queue, alice, &[ether(1)], Address::ZERO, permit_input(ether(1)));
    assert_eq!(got, Ok(ids(&[1])));
    let (calls, last) = wrapper.sender(admin).last_permit();
    assert_eq!(calls, U256::from(1));
    assert_eq!(last, (alice, queue.address(), ether(1), DEADLINE, 27, R, S));
    assert_eq!(pool.sender(admin).last_permit().0, U256::ZERO, "not the pool's permit");
    assert_eq!(wrapper.sender(admin).allowance(alice, queue.address()), U256::ZERO);
    assert_eq!(status(&queue, 1), (ether(1), ether(1), alice, now(), false, false));
    queue.assert_emitted(&WithdrawalRequested {
        requestId: id(1),
        requestor: alice,
        owner: alice,
        amountOfStETH: ether(1),
        amountOfShares: ether(1),
    });
}

#[motsu::test]
fn a_failed_wrapped_permit_goes_on_with_the_allowance_or_reverts_without_it(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PermitPoolMock>,
    wrapper: Contract<WrapperMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    deploy(&queue, &pool, &wrapper, &manager, admin, (1, 1));
    wrapper.sender(admin).refuse_permits(true);
    wrapper.sender(admin).set_allowance(alice, queue.address(), ether(1));

    let got = wst_with_permit(&queue, alice, &[ether(1)], Address::ZERO, permit_input(ether(9)));
    assert_eq!(got, Ok(ids(&[1])));
    // The allowance that was there, spent (a permit that took would have left 8).
    assert_eq!(wrapper.sender(admin).allowance(alice, queue.address()), U256::ZERO);

    let got = wst_with_permit(&queue, alice, &[ether(1)], Address::ZERO, permit_input(ether(9)));
    assert_eq!(got, Err(Error::Callee(insufficient(queue.address(), U256::ZERO, ether(1))).into()));
    assert_eq!(queue.sender(alice).get_last_request_id(), id(1));
}

#[motsu::test]
fn a_wrapped_token_cannot_reenter_the_queue_while_it_unwraps(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PermitPoolMock>,
    wrapper: Contract<WrapperMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    deploy(&queue, &pool, &wrapper, &manager, admin, (1, 1));
    wrapper.sender(admin).set_allowance(alice, queue.address(), U256::MAX);
    wrapper.sender(admin).set_reentry(queue.address());

    assert_eq!(wst(&queue, alice, &[ether(1)]), Ok(ids(&[1])));

    let answer = wrapper.sender(admin).reentry_answer();
    assert_eq!(answer.0, Vec::<u8>::from(Error::ReentrantCall(ReentrantCall {})));
    assert_eq!(queue.sender(alice).get_last_request_id(), id(1));
}

#[test]
fn the_wrapped_paths_rate_bound_is_the_plain_paths() {
    let cases = [
        (1u128, 1u128),
        (100, 3),
        (7_002, 3_001),
        (2_333, 1_000),
        (1 << 95, 1),
        ((1 << 96) - 1, (1 << 96) - 3),
        (1_000_000_000_000_000_000, 999_999_999_999_999_999),
        (123_456_789_012_345_678_901, 98_765_432_109_876_543),
    ];
    for (ether, shares) in cases {
        let coarse = mul_div(ether, 1_000_000, shares, true).unwrap();
        let coarse = u32::try_from(coarse).map_or((1 << 24) - 1, |c| c.min((1 << 24) - 1));
        assert_eq!(coarse, coarse_rate(ether, shares), "{ether} / {shares}");
    }
    assert_eq!(mul_div(7_002, 2_000, 3_001, false).unwrap(), 4_666);
    assert_eq!(mul_div(7_002, 2_000, 3_001, true).unwrap(), 4_667);
    assert_eq!(mul_div(u128::MAX, u128::MAX, u128::MAX, false).unwrap(), u128::MAX);
    assert_eq!(mul_div(u128::MAX, 2, 1, false), Err(Error::MathOverflow(MathOverflow {})));
}

mod callees {
    #![allow(missing_docs, clippy::pedantic)]
    alloy_sol_types::sol!("../wrapped-token/abi/IWrappedToken.sol");
}

#[test]
fn the_calls_the_queue_sends_are_the_pools_and_the_wrapped_tokens() {
    use crate::access::{i_staking_pool::abi::IStakingPool as Pool, permitCall, transferFromCall};
    use callees::IWrappedToken as Wrapped;
    assert_eq!(permitCall::SELECTOR, Pool::permit_0Call::SELECTOR);
    assert_eq!(permitCall::SELECTOR, Wrapped::permit_0Call::SELECTOR);
    assert_eq!(transferFromCall::SELECTOR, Wrapped::transferFromCall::SELECTOR);
    assert_eq!(crate::access::unwrapCall::SELECTOR, Wrapped::unwrapCall::SELECTOR);
    assert_eq!(crate::access::wrapped_token_data(), Pool::wrappedTokenCall::SELECTOR.to_vec());
}
