//! The ERC-721 surface over the requests: metadata, ownership, approvals, transfers (plain and
//! safe), ERC-165, with OpenZeppelin's checks and EIP-6093 errors.

use super::*;
use crate::{
    abi::IWithdrawalQueue as I,
    errors::*,
    events::{Approval, ApprovalForAll, Transfer},
};

fn nonexistent(n: U256) -> Error {
    Error::ERC721NonexistentToken(ERC721NonexistentToken { tokenId: n })
}

#[motsu::test]
fn the_collection_has_its_name_and_symbol(queue: Contract<WithdrawalQueue>, alice: Address) {
    assert_eq!(queue.sender(alice).name(), "sETH Withdrawal NFT");
    assert_eq!(queue.sender(alice).symbol(), "unsETH");
}

#[motsu::test]
fn the_token_uri_is_empty_until_a_base_is_set_then_the_base_and_the_decimal_id(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    request(&queue, alice, &[MIN; 10]);
    assert_eq!(queue.sender(alice).token_uri(id(1)).motsu_unwrap(), "");
    queue.sender(admin).set_base_uri("https://queue.example/nft/").motsu_unwrap();
    assert_eq!(queue.sender(alice).token_uri(id(1)).motsu_unwrap(), "https://queue.example/nft/1");
    assert_eq!(
        queue.sender(alice).token_uri(id(10)).motsu_unwrap(),
        "https://queue.example/nft/10"
    );
    for bad in [U256::ZERO, id(11), U256::MAX] {
        assert_eq!(queue.sender(alice).token_uri(bad).motsu_unwrap_err(), nonexistent(bad));
    }
}

#[test]
fn decimal_ids_are_written_in_full() {
    use alloc::string::String;
    assert_eq!(crate::views::with_decimal(String::from("x/"), 0), "x/0");
    assert_eq!(crate::views::with_decimal(String::new(), 1_000_000_007), "1000000007");
    assert_eq!(crate::views::with_decimal(String::new(), u32::MAX), "4294967295");
}

#[motsu::test]
fn the_zero_address_owns_nothing_and_a_stranger_owns_none(
    queue: Contract<WithdrawalQueue>,
    alice: Address,
) {
    assert_eq!(
        queue.sender(alice).balance_of(Address::ZERO).motsu_unwrap_err(),
        Error::ERC721InvalidOwner(ERC721InvalidOwner { owner: Address::ZERO })
    );
    assert_eq!(queue.sender(alice).balance_of(alice).motsu_unwrap(), U256::ZERO);
}

#[motsu::test]
fn ids_never_minted_or_claimed_have_no_owner_and_no_approval(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    receiver: Contract<ReceiverMock>,
    admin: Address,
) {
    setup(&queue, &pool, &manager, admin);
    let r = receiver.address();
    queue.sender(r).request_withdrawals(&[ether(1), ether(1)], Address::ZERO).motsu_unwrap();
    finalize(&queue, &pool, 1, PAR);
    queue.sender(r).claim_withdrawal(id(1)).motsu_unwrap();
    for bad in [U256::ZERO, id(1), id(3), U256::from(u64::from(u32::MAX) + 1), U256::MAX] {
        assert_eq!(queue.sender(r).owner_of(bad).motsu_unwrap_err(), nonexistent(bad));
        assert_eq!(queue.sender(r).get_approved(bad).motsu_unwrap_err(), nonexistent(bad));
    }
    assert_eq!(queue.sender(r).owner_of(id(2)).motsu_unwrap(), r);
    assert_eq!(queue.sender(r).get_approved(id(2)).motsu_unwrap(), Address::ZERO);
}

#[motsu::test]
fn the_owner_transfers_an_nft_and_with_it_the_request(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
    bob: Address,
) {
    setup(&queue, &pool, &manager, admin);
    request(&queue, alice, &[ether(1), ether(2)]);
    queue.sender(alice).transfer_from(alice, bob, id(1)).motsu_unwrap();

    let q = queue.sender(alice);
    assert_eq!(q.owner_of(id(1)).motsu_unwrap(), bob);
    assert_eq!(q.balance_of(alice).motsu_unwrap(), id(1));
    assert_eq!(q.balance_of(bob).motsu_unwrap(), id(1));
    assert_eq!(q.get_withdrawal_requests(alice), ids(&[2]));
    assert_eq!(q.get_withdrawal_requests(bob), ids(&[1]));
    assert_eq!(status(&queue, 1), (ether(1), ether(1), bob, now(), false, false));
    queue.assert_emitted(&Transfer { from: alice, to: bob, tokenId: id(1) });

    // And back: bob's entry is kept, alice's too.
    queue.sender(bob).transfer_from(bob, alice, id(1)).motsu_unwrap();
    assert_eq!(queue.sender(bob).get_withdrawal_requests(alice), ids(&[1, 2]));
    assert_eq!(queue.sender(bob).balance_of(bob).motsu_unwrap(), U256::ZERO);
}

#[motsu::test]
fn a_transfer_to_oneself_keeps_the_balance(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
    carol: Address,
) {
    setup(&queue, &pool, &manager, admin);
    request(&queue, alice, &[ether(1)]);
    queue.sender(alice).approve(carol, id(1)).motsu_unwrap();
    queue.sender(alice).transfer_from(alice, alice, id(1)).motsu_unwrap();
    assert_eq!(queue.sender(alice).owner_of(id(1)).motsu_unwrap(), alice);
    assert_eq!(queue.sender(alice).balance_of(alice).motsu_unwrap(), id(1));
    assert_eq!(queue.sender(alice).get_approved(id(1)).motsu_unwrap(), Address::ZERO);
    queue.assert_emitted(&Transfer { from: alice, to: alice, tokenId: id(1) });
}

#[motsu::test]
fn an_approved_address_transfers_the_nft_once_and_the_approval_is_cleared(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
    bob: Address,
    carol: Address,
) {
    setup(&queue, &pool, &manager, admin);
    request(&queue, alice, &[ether(1), ether(1)]);
    queue.sender(alice).approve(carol, id(1)).motsu_unwrap();
    queue.assert_emitted(&Approval { owner: alice, approved: carol, tokenId: id(1) });
    assert_eq!(queue.sender(alice).get_approved(id(1)).motsu_unwrap(), carol);

    // Approved for 1, not for 2.
    assert_eq!(
        queue.sender(carol).transfer_from(alice, bob, id(2)).motsu_unwrap_err(),
        Error::ERC721InsufficientApproval(ERC721InsufficientApproval {
            operator: carol,
            tokenId: id(2)
        })
    );
    queue.sender(carol).transfer_from(alice, bob, id(1)).motsu_unwrap();
    assert_eq!(queue.sender(alice).owner_of(id(1)).motsu_unwrap(), bob);
    assert_eq!(queue.sender(alice).get_approved(id(1)).motsu_unwrap(), Address::ZERO);
    assert_eq!(
        queue.sender(carol).transfer_from(bob, carol, id(1)).motsu_unwrap_err(),
        Error::ERC721InsufficientApproval(ERC721InsufficientApproval {
            operator: carol,
            tokenId: id(1)
        })
    );
}

#[motsu::test]
fn an_operator_moves_and_approves_any_of_the_owners_nfts_until_revoked(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
    bob: Address,
    carol: Address,
) {
    setup(&queue, &pool, &manager, admin);
    request(&queue, alice, &[ether(1), ether(1), ether(1)]);
    queue.sender(alice).set_approval_for_all(carol, true).motsu_unwrap();
    queue.assert_emitted(&ApprovalForAll { owner: alice, operator: carol, approved: true });
    assert!(queue.sender(alice).is_approved_for_all(alice, carol));
    assert!(!queue.sender(alice).is_approved_for_all(carol, alice));

    queue.sender(carol).transfer_from(alice, bob, id(1)).motsu_unwrap();
    queue.sender(carol).approve(bob, id(2)).motsu_unwrap();
    // The event names the owner, not the operator.
    queue.assert_emitted(&Approval { owner: alice, approved: bob, tokenId: id(2) });
    queue.sender(bob).transfer_from(alice, bob, id(2)).motsu_unwrap();
    assert_eq!(queue.sender(alice).get_withdrawal_requests(bob), ids(&[1, 2]));

    queue.sender(alice).set_approval_for_all(carol, false).motsu_unwrap();
    queue.assert_emitted(&ApprovalForAll { owner: alice, operator: carol, approved: false });
    assert!(!queue.sender(alice).is_approved_for_all(alice, carol));
    assert_eq!(
        queue.sender(carol).transfer_from(alice, carol, id(3)).motsu_unwrap_err(),
        Error::ERC721InsufficientApproval(ERC721InsufficientApproval {
            operator: carol,
            tokenId: id(3)
        })
    );
    assert_eq!(
        queue.sender(carol).approve(carol, id(3)).motsu_unwrap_err(),
        Error::ERC721InvalidApprover(ERC721InvalidApprover { approver: carol })
    );
}

#[motsu::test]
fn refused_transfers_name_the_first_failed_check_and_change_nothing(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
    bob: Address,
) {
    setup(&queue, &pool, &manager, admin);
    request(&queue, alice, &[ether(1)]);
    let before = snapshot(&queue, &[alice, bob]);
    let q = || queue.sender(alice);
    // OpenZeppelin's order: receiver, existence, authorization, owner.
    assert_eq!(
        q().transfer_from(alice, Address::ZERO, id(1)).motsu_unwrap_err(),
        Error::ERC721InvalidReceiver(ERC721InvalidReceiver { receiver: Address::ZERO })
    );
    assert_eq!(
        q().transfer_from(alice, Address::ZERO, id(9)).motsu_unwrap_err(),
        Error::ERC721InvalidReceiver(ERC721InvalidReceiver { receiver: Address::ZERO })
    );
    assert_eq!(q().transfer_from(alice, bob, id(9)).motsu_unwrap_err(), nonexistent(id(9)));
    assert_eq!(
        q().transfer_from(alice, bob, U256::ZERO).motsu_unwrap_err(),
        nonexistent(U256::ZERO)
    );
    assert_eq!(
        queue.sender(bob).transfer_from(alice, bob, id(1)).motsu_unwrap_err(),
        Error::ERC721InsufficientApproval(ERC721InsufficientApproval {
            operator: bob,
            tokenId: id(1)
        })
    );
    assert_eq!(
        q().transfer_from(bob, alice, id(1)).motsu_unwrap_err(),
        Error::ERC721IncorrectOwner(ERC721IncorrectOwner {
            sender: bob,
            tokenId: id(1),
            owner: alice
        })
    );
    assert_eq!(
        q().safe_transfer_from(alice, Address::ZERO, id(1)).motsu_unwrap_err(),
        Error::ERC721InvalidReceiver(ERC721InvalidReceiver { receiver: Address::ZERO })
    );
    assert_eq!(snapshot(&queue, &[alice, bob]), before);
}

#[motsu::test]
fn a_claimed_nft_cannot_be_moved_or_approved(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    receiver: Contract<ReceiverMock>,
    admin: Address,
    bob: Address,
) {
    setup(&queue, &pool, &manager, admin);
    let r = receiver.address();
    queue.sender(r).request_withdrawals(&[ether(1)], Address::ZERO).motsu_unwrap();
    queue.sender(r).approve(bob, id(1)).motsu_unwrap();
    finalize(&queue, &pool, 1, PAR);
    queue.sender(r).claim_withdrawal(id(1)).motsu_unwrap();
    assert_eq!(queue.sender(r).transfer_from(r, bob, id(1)).motsu_unwrap_err(), nonexistent(id(1)));
    // The approval left in place on the burn cannot be used either.
    assert_eq!(
        queue.sender(bob).transfer_from(r, bob, id(1)).motsu_unwrap_err(),
        nonexistent(id(1))
    );
    assert_eq!(queue.sender(r).approve(bob, id(1)).motsu_unwrap_err(), nonexistent(id(1)));
}

#[motsu::test]
fn approvals_need_the_owner_or_an_operator_and_zero_clears_them(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
    bob: Address,
) {
    setup(&queue, &pool, &manager, admin);
    request(&queue, alice, &[ether(1)]);
    assert_eq!(
        queue.sender(bob).approve(bob, id(1)).motsu_unwrap_err(),
        Error::ERC721InvalidApprover(ERC721InvalidApprover { approver: bob })
    );
    assert_eq!(queue.sender(alice).approve(bob, id(2)).motsu_unwrap_err(), nonexistent(id(2)));
    queue.sender(alice).approve(bob, id(1)).motsu_unwrap();
    // Being approved for a token does not let one approve others for it.
    assert_eq!(
        queue.sender(bob).approve(bob, id(1)).motsu_unwrap_err(),
        Error::ERC721InvalidApprover(ERC721InvalidApprover { approver: bob })
    );
    queue.sender(alice).approve(Address::ZERO, id(1)).motsu_unwrap();
    queue.assert_emitted(&Approval { owner: alice, approved: Address::ZERO, tokenId: id(1) });
    assert_eq!(queue.sender(alice).get_approved(id(1)).motsu_unwrap(), Address::ZERO);
    assert_eq!(
        queue.sender(alice).set_approval_for_all(Address::ZERO, true).motsu_unwrap_err(),
        Error::ERC721InvalidOperator(ERC721InvalidOperator { operator: Address::ZERO })
    );
}

#[motsu::test]
fn a_safe_transfer_to_a_contract_calls_its_receiver_hook_with_the_data(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    receiver: Contract<ReceiverMock>,
    admin: Address,
    alice: Address,
    carol: Address,
) {
    setup(&queue, &pool, &manager, admin);
    request(&queue, alice, &[ether(1), ether(1)]);
    let r = receiver.address();
    queue.sender(alice).safe_transfer_from(alice, r, id(1)).motsu_unwrap();
    assert_eq!(queue.sender(alice).owner_of(id(1)).motsu_unwrap(), r);
    assert_eq!(receiver.sender(alice).nft_received(), (alice, alice, id(1), Bytes(Vec::new())));
    queue.assert_emitted(&Transfer { from: alice, to: r, tokenId: id(1) });

    // Through an operator, with 40 bytes of data (more than one word).
    queue.sender(alice).set_approval_for_all(carol, true).motsu_unwrap();
    let data: Vec<u8> = (1..=40).collect();
    queue.sender(carol).safe_transfer_from_with_data(alice, r, id(2), &data).motsu_unwrap();
    assert_eq!(receiver.sender(alice).nft_received(), (carol, alice, id(2), Bytes(data)));
    assert_eq!(queue.sender(alice).balance_of(r).motsu_unwrap(), id(2));
}

#[motsu::test]
fn a_safe_transfer_to_a_contract_that_does_not_accept_is_refused(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    receiver: Contract<ReceiverMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    request(&queue, alice, &[ether(1)]);
    let before = snapshot(&queue, &[alice, receiver.address()]);
    for mode in [NFT_WRONG_ANSWER, NFT_REVERT] {
        receiver.sender(admin).set_nft_mode(mode);
        let r = receiver.address();
        let refused = Error::ERC721InvalidReceiver(ERC721InvalidReceiver { receiver: r });
        assert_eq!(
            queue.sender(alice).safe_transfer_from(alice, r, id(1)).motsu_unwrap_err(),
            refused
        );
        assert_eq!(
            queue
                .sender(alice)
                .safe_transfer_from_with_data(alice, r, id(1), b"hi")
                .motsu_unwrap_err(),
            refused
        );
    }
    // A contract without the hook at all.
    let p = pool.address();
    assert_eq!(
        queue.sender(alice).safe_transfer_from(alice, p, id(1)).motsu_unwrap_err(),
        Error::ERC721InvalidReceiver(ERC721InvalidReceiver { receiver: p })
    );
    assert_eq!(snapshot(&queue, &[alice, receiver.address()]), before);
    // Accepting again, it goes through.
    receiver.sender(admin).set_nft_mode(NFT_ACCEPT);
    queue.sender(alice).safe_transfer_from(alice, receiver.address(), id(1)).motsu_unwrap();
}

#[motsu::test]
fn a_safe_transfer_to_an_account_without_code_is_a_transfer(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
    bob: Address,
) {
    setup(&queue, &pool, &manager, admin);
    request(&queue, alice, &[ether(1), ether(1)]);
    queue.sender(alice).safe_transfer_from(alice, bob, id(1)).motsu_unwrap();
    queue.sender(alice).safe_transfer_from_with_data(alice, bob, id(2), b"data").motsu_unwrap();
    assert_eq!(queue.sender(alice).get_withdrawal_requests(bob), ids(&[1, 2]));
    queue.assert_emitted(&Transfer { from: alice, to: bob, tokenId: id(2) });
}

#[motsu::test]
fn it_supports_erc165_erc721_metadata_and_erc4906_only(
    queue: Contract<WithdrawalQueue>,
    alice: Address,
) {
    let erc721 = [
        I::balanceOfCall::SELECTOR,
        I::ownerOfCall::SELECTOR,
        I::safeTransferFrom_0Call::SELECTOR,
        I::safeTransferFrom_1Call::SELECTOR,
        I::transferFromCall::SELECTOR,
        I::approveCall::SELECTOR,
        I::setApprovalForAllCall::SELECTOR,
        I::getApprovedCall::SELECTOR,
        I::isApprovedForAllCall::SELECTOR,
    ];
    let metadata = [I::nameCall::SELECTOR, I::symbolCall::SELECTOR, I::tokenURICall::SELECTOR];
    let xor = |sels: &[[u8; 4]]| {
        sels.iter().fold([0u8; 4], |acc, s| core::array::from_fn(|i| acc[i] ^ s[i]))
    };
    assert_eq!(xor(&erc721), [0x80, 0xac, 0x58, 0xcd]);
    assert_eq!(xor(&metadata), [0x5b, 0x5e, 0x13, 0x9f]);
    let q = queue.sender(alice);
    for supported in
        [I::supportsInterfaceCall::SELECTOR, xor(&erc721), xor(&metadata), [0x49, 0x06, 0x49, 0x06]]
    {
        assert!(q.supports_interface(supported), "{supported:02x?}");
    }
    for unsupported in [[0xff; 4], [0; 4], [0x36, 0x37, 0x2b, 0x07]] {
        assert!(!q.supports_interface(unsupported), "{unsupported:02x?}");
    }
}
