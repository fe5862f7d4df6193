//! Finalization: locking the ether owed to a FIFO batch of requests.
//!
//! A request of `e` ether and `s` shares finalized at the report's `maxShareRate` `r` is owed
//! `min(e, floor(s * r / 1e27))`: its own rate if that is lower (a gain since the request
//! stays with the pool), the report's otherwise (a loss is shared). `finalize` locks exactly
//! the sum over the batch and requires `msg.value` to equal it.
//!
//! **Fast path, O(1).** The queue keeps `max_rate`, an upper bound of the share rate of every
//! request since the bound was last reset (millionths, rounded up). If `max_rate * 1e21 <= r`
//! (and the bound is not saturated at 2^24 - 1, where it no longer bounds anything),
//! every request in the batch is at or below `r`, so each is owed its `e` and the batch its
//! cumulative ether difference: two request reads, whatever the batch size. Such batches need
//! no rate of their own: they extend the latest checkpoint if it is a nominal one
//! ([`NOMINAL_RATE`]), so a run of ordinary reports writes no checkpoint slot at all.
//!
//! **Slow path, O(n).** Otherwise (a loss, or a rate within a millionth of the report's) the
//! batch is walked request by request and a checkpoint with `r` is recorded; if that finalizes
//! every request, the bound is reset. In bunker mode a request above `r` stops the batch
//! (`BunkerModeRateAboveReport`): it waits until the loss is known.
//!
//! Checkpoints are 1-based (`hint` 0 means "not found"); checkpoint `k` covers the ids from its
//! `first_id` to the next checkpoint's (or the last finalized id).

use alloy_primitives::U256;
use staking_common::host;
use staking_math::{to_u128, RATE_PRECISION};

use crate::{
    errors::{
        BunkerModeRateAboveReport, Error, InvalidFinalizationId, InvalidHint, NotInitialized,
        QueuePaused, RequestNotFinalized, RequestTooRecent, WrongFinalizationAmount,
    },
    events,
    requests::COARSE_RATE_MAX,
    storage::{
        Checkpoint, Final, Queue, Request, FLAG_BUNKER, FLAG_INITIALIZED, FLAG_PAUSED, NOMINAL_RATE,
    },
    WithdrawalQueue,
};

/// `1e27 / 1e6`: converts [`Queue::max_rate`] to the 1e27 rate precision.
const COARSE_TO_RATE: u128 = 1_000_000_000_000_000_000_000;

/// What a batch is owed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Batch {
    /// Ether to lock.
    pub(crate) ether: u128,
    /// Shares the requests hold (for the pool to burn).
    pub(crate) shares: u128,
    /// Whether it was walked request by request (its checkpoint carries the rate).
    pub(crate) walked: bool,
}

/// `min(e, floor(s * rate / 1e27))`, or `e` for a nominal checkpoint.
pub(crate) fn payout(ether: u128, shares: u128, rate: u128) -> Result<u128, Error> {
    if rate == NOMINAL_RATE {
        return Ok(ether);
    }
    // shares, rate < 2^96: the product fits.
    let at_rate = to_u128(U256::from(shares) * U256::from(rate) / RATE_PRECISION)?;
    Ok(ether.min(at_rate))
}

impl WithdrawalQueue {
    /// Checks that `last` can be finalized now and returns it as u32.
    pub(crate) fn check_finalizable(queue: &Queue, fin: &Final, last: U256) -> Result<u32, Error> {
        let invalid = || {
            Error::InvalidFinalizationId(InvalidFinalizationId {
                requested: last,
                lastFinalized: U256::from(fin.last_finalized),
                lastRequest: U256::from(queue.last_request_id),
            })
        };
        let id = u32::try_from(last).map_err(|_| invalid())?;
        if id <= fin.last_finalized || id > queue.last_request_id {
            return Err(invalid());
        }
        Ok(id)
    }

    /// What finalizing `(fin.last_finalized, last]` at `rate` locks (see the module doc).
    pub(crate) fn batch(
        &self,
        queue: &Queue,
        fin: &Final,
        last: u32,
        rate: u128,
    ) -> Result<Batch, Error> {
        let start = self.request_at(fin.last_finalized);
        let end = self.request_at(last);
        let shares = end.cum_shares - start.cum_shares;
        // A saturated bound (a request above 16.77 ether per share) bounds nothing: walk.
        if queue.max_rate < COARSE_RATE_MAX && u128::from(queue.max_rate) * COARSE_TO_RATE <= rate {
            return Ok(Batch { ether: end.cum_ether - start.cum_ether, shares, walked: false });
        }
        let bunker = queue.has(FLAG_BUNKER);
        let mut prev = start;
        let mut ether = 0u128;
        for id in fin.last_finalized + 1..=last {
            let request = if id == last { end } else { self.request_at(id) };
            let (e, s) = (request.cum_ether - prev.cum_ether, request.cum_shares - prev.cum_shares);
            let owed = payout(e, s, rate)?;
            if owed < e && bunker {
                return Err(Error::BunkerModeRateAboveReport(BunkerModeRateAboveReport {
                    requestId: U256::from(id),
                    maxShareRate: U256::from(rate),
                }));
            }
            ether += owed; // <= cumulative ether, which fits u96
            prev = request;
        }
        Ok(Batch { ether, shares, walked: true })
    }

    /// `finalize`, once the caller is authorized.
    pub(crate) fn finalize_batch(&mut self, last: U256, rate: U256) -> Result<(), Error> {
        let mut queue = Queue::unpack(self.queue.get());
        if !queue.has(FLAG_INITIALIZED) {
            return Err(Error::NotInitialized(NotInitialized {}));
        }
        if queue.has(FLAG_PAUSED) {
            return Err(Error::QueuePaused(QueuePaused {}));
        }
        let r = crate::views::rate_arg(rate)?;
        let mut fin = Final::unpack(self.fin.get());
        let last_id = Self::check_finalizable(&queue, &fin, last)?;
        let newest = self.request_at(last_id);
        let ready_at = u64::from(newest.timestamp) + u64::from(fin.min_delay);
        let now = host::timestamp();
        if now < ready_at {
            return Err(Error::RequestTooRecent(RequestTooRecent {
                requestId: last,
                finalizableAt: U256::from(ready_at),
            }));
        }
        let batch = self.batch(&queue, &fin, last_id, r)?;
        let sent = host::value();
        if sent != U256::from(batch.ether) {
            return Err(Error::WrongFinalizationAmount(WrongFinalizationAmount {
                sent,
                owed: U256::from(batch.ether),
            }));
        }
        let first = fin.last_finalized + 1;
        let extends = !batch.walked && fin.checkpoint_count > 0 && fin.latest_nominal;
        if !extends {
            fin.checkpoint_count =
                fin.checkpoint_count.checked_add(1).ok_or_else(crate::overflow)?;
            let checkpoint =
                Checkpoint { first_id: first, rate: if batch.walked { r } else { NOMINAL_RATE } };
            self.checkpoints.setter(U256::from(fin.checkpoint_count)).set(checkpoint.pack()?);
            fin.latest_first = first;
            fin.latest_nominal = !batch.walked;
        }
        fin.last_finalized = last_id;
        fin.locked = fin.locked.checked_add(batch.ether).ok_or_else(crate::overflow)?;
        self.fin.set(fin.pack()?);
        if batch.walked && last_id == queue.last_request_id {
            queue.max_rate = 0;
            self.queue.set(queue.pack()?);
        }
        events::finalized(
            U256::from(first),
            last,
            U256::from(batch.ether),
            U256::from(batch.shares),
            rate,
            U256::from(now),
        );
        Ok(())
    }

    /// The request `id` (the zero request, all totals 0, for id 0).
    pub(crate) fn request_at(&self, id: u32) -> Request {
        if id == 0 {
            return Request::default();
        }
        Request::unpack(self.requests.get(U256::from(id)))
    }

    /// Checkpoint `index` (1-based).
    pub(crate) fn checkpoint_at(&self, index: u32) -> Checkpoint {
        Checkpoint::unpack(self.checkpoints.get(U256::from(index)))
    }

    /// The newest checkpoint, from the copy in `fin` when it is nominal.
    pub(crate) fn latest_checkpoint(&self, fin: &Final) -> Checkpoint {
        if fin.latest_nominal {
            Checkpoint { first_id: fin.latest_first, rate: NOMINAL_RATE }
        } else {
            self.checkpoint_at(fin.checkpoint_count)
        }
    }

    /// Whether checkpoint `hint` covers finalized request `id`.
    pub(crate) fn hint_covers(&self, fin: &Final, id: u32, hint: U256) -> Option<Checkpoint> {
        let index = u32::try_from(hint).ok()?;
        if index == 0 || index > fin.checkpoint_count {
            return None;
        }
        if index == fin.checkpoint_count {
            return (fin.latest_first <= id).then(|| self.latest_checkpoint(fin));
        }
        let checkpoint = self.checkpoint_at(index);
        let next_first = if index + 1 == fin.checkpoint_count {
            fin.latest_first
        } else {
            self.checkpoint_at(index + 1).first_id
        };
        (checkpoint.first_id <= id && id < next_first).then_some(checkpoint)
    }

    /// The checkpoint covering finalized request `id` within checkpoints `first..=last`
    /// (binary search, newest first), or 0.
    pub(crate) fn find_checkpoint(&self, fin: &Final, id: u32, first: u32, last: u32) -> u32 {
        if id == 0 || id > fin.last_finalized || first == 0 || first > last {
            return 0;
        }
        let last = last.min(fin.checkpoint_count);
        if first > last {
            return 0;
        }
        if last == fin.checkpoint_count && fin.latest_first <= id {
            return last;
        }
        if self.checkpoint_at(last).first_id <= id {
            // Covers `id` only if it is the newest checkpoint or the next one starts later.
            if last == fin.checkpoint_count || self.checkpoint_at(last + 1).first_id > id {
                return last;
            }
            return 0;
        }
        let (mut lo, mut hi) = (first, last - 1);
        if self.checkpoint_at(lo).first_id > id {
            return 0;
        }
        // Invariant: checkpoint `lo` starts at or before `id`, checkpoint `hi + 1` after it.
        while lo < hi {
            let mid = lo + (hi - lo).div_ceil(2);
            if self.checkpoint_at(mid).first_id <= id {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        lo
    }

    /// The checkpoint for a finalized request, from a hint or by search.
    pub(crate) fn checkpoint_for(
        &self,
        fin: &Final,
        id: u32,
        hint: Option<U256>,
    ) -> Result<Checkpoint, Error> {
        if id > fin.last_finalized {
            return Err(Error::RequestNotFinalized(RequestNotFinalized {
                requestId: U256::from(id),
            }));
        }
        let hint = hint
            .unwrap_or_else(|| U256::from(self.find_checkpoint(fin, id, 1, fin.checkpoint_count)));
        self.hint_covers(fin, id, hint)
            .ok_or(Error::InvalidHint(InvalidHint { requestId: U256::from(id), hint }))
    }
}
