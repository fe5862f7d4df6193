//! One chain as the CLI sees it: an endpoint, its chain id, and a key that signs locally.
//!
//! Every transaction goes through [`Chain::send`], which makes "nothing sent twice after a
//! restart" hold: the transaction is signed first and written to the manifest as pending
//! (hash, raw bytes, nonce), then sent; a rerun that finds a pending transaction asks the node
//! for its receipt, and sends the same bytes again only when the node does not know them and
//! the nonce is still unused. Each step prints one line: chain, step, transaction hash, gas.

use std::time::{Duration, Instant};

use alloy_eips::eip2718::Encodable2718;
use alloy_network::{EthereumWallet, TransactionBuilder};
use alloy_primitives::{Address, Bytes, TxKind, B256, U256};
use alloy_provider::{Provider, ProviderBuilder, RootProvider};
use alloy_rpc_types_eth::{TransactionReceipt, TransactionRequest};
use alloy_signer_local::PrivateKeySigner;

use crate::{
    manifest::{ManifestFile, Pending, StepRecord},
    CliError,
};

/// How long a receipt is waited for.
pub const RECEIPT_TIMEOUT: Duration = Duration::from_mins(10);

/// A transaction to send.
#[derive(Clone, Debug, Default)]
pub struct Call {
    /// The recipient; `None` creates a contract.
    pub to: Option<Address>,
    /// Wei sent.
    pub value: U256,
    /// Calldata or init code.
    pub data: Vec<u8>,
}

/// A step's outcome.
#[derive(Clone, Debug)]
pub struct Sent {
    /// The record written to the manifest.
    pub record: StepRecord,
    /// The receipt (`None` when the step was done in an earlier run).
    pub receipt: Option<TransactionReceipt>,
}

/// An endpoint with a signing key.
#[derive(Clone, Debug)]
pub struct Chain {
    /// `l1` or `l2`.
    pub label: &'static str,
    /// The client.
    pub provider: RootProvider,
    /// Its chain id (read from the endpoint, checked against the expected one).
    pub chain_id: u64,
    /// The signer's address.
    pub from: Address,
    wallet: EthereumWallet,
}

impl Chain {
    /// Connects to `url`, checks its chain id against `expected` (when given) and builds the
    /// signer from `key`.
    ///
    /// # Errors
    ///
    /// A malformed URL or key, an endpoint that does not answer, a chain id that is not the
    /// one expected.
    pub async fn connect(
        label: &'static str,
        url: &str,
        key: &str,
        expected: Option<u64>,
    ) -> Result<Self, CliError> {
        let parsed = url.parse().map_err(|e| {
            CliError::Usage(format!("--{label} endpoint {url:?} is not a URL: {e}"))
        })?;
        let signer: PrivateKeySigner = key.trim().parse().map_err(|_| {
            CliError::Usage(format!(
                "the {label} key is not a private key (32 bytes of hex, 0x-prefixed or not)"
            ))
        })?;
        let from = signer.address();
        let provider = ProviderBuilder::default().on_http(parsed);
        let chain_id = provider.get_chain_id().await.map_err(|e| {
            CliError::Endpoint(format!("{label} endpoint {url} does not answer eth_chainId: {e}"))
        })?;
        if let Some(expected) = expected {
            if expected != chain_id {
                return Err(CliError::Endpoint(format!(
                    "{label} endpoint {url} is chain {chain_id}, expected chain {expected}"
                )));
            }
        }
        Ok(Self { label, provider, chain_id, from, wallet: EthereumWallet::from(signer) })
    }

    /// The code at `address`.
    ///
    /// # Errors
    ///
    /// When the endpoint fails.
    pub async fn code(&self, address: Address) -> Result<Bytes, CliError> {
        self.provider.get_code_at(address).await.map_err(|e| self.rpc("eth_getCode", &e))
    }

    /// A read-only call's output.
    ///
    /// # Errors
    ///
    /// When the call reverts or the endpoint fails.
    pub async fn view(&self, to: Address, data: Vec<u8>) -> Result<Bytes, CliError> {
        let request = TransactionRequest::default().with_to(to).with_input(data);
        self.provider.call(&request).await.map_err(|e| self.rpc("eth_call", &e))
    }

    fn rpc(&self, method: &str, e: &alloy_transport::TransportError) -> CliError {
        CliError::Endpoint(format!("{} {method}: {e}", self.label))
    }

    /// Sends `call` as step `name` unless the manifest has it done (see the module docs);
    /// fails when the transaction reverts.
    ///
    /// # Errors
    ///
    /// The estimate's revert (with its data), a node refusing the transaction, a receipt with
    /// status 0, a timeout, or the manifest not being writable.
    pub async fn send(
        &self,
        file: &mut ManifestFile,
        name: &str,
        call: Call,
    ) -> Result<Sent, CliError> {
        if let Some(done) = file.done(name) {
            return Ok(Sent { record: done.clone(), receipt: None });
        }
        if let Some(pending) = file.manifest.pending.clone() {
            if pending.name != name || pending.chain != self.label {
                return Err(CliError::Manifest(format!(
                    "the manifest has step {} in flight on {}, not {name}: run the same command again",
                    pending.name, pending.chain
                )));
            }
            return self.finish_pending(file, &pending).await;
        }
        let pending = self.sign_and_send(file, name, call).await?;
        self.finish_pending(file, &pending).await
    }

    /// [`Chain::send`] with a fixed gas limit instead of the estimate's: for calls that use all
    /// the gas they are given (ArbRetryableTx's `redeem` donates what is left to the retry), so
    /// that an estimate says nothing of what they need.
    ///
    /// # Errors
    ///
    /// As [`Chain::send`].
    pub async fn send_with_gas(
        &self,
        file: &mut ManifestFile,
        name: &str,
        call: Call,
        gas: u64,
    ) -> Result<Sent, CliError> {
        if file.done(name).is_some() || file.manifest.pending.is_some() {
            return self.send(file, name, call).await;
        }
        let pending = self.sign(file, name, call, Some(gas)).await?;
        self.finish_pending(file, &pending).await
    }

    /// Signs `call`, writes it to the manifest as pending, and sends it, without waiting for
    /// its receipt (what a run that stops right after sending leaves behind).
    ///
    /// # Errors
    ///
    /// As [`Chain::send`].
    pub async fn sign_and_send(
        &self,
        file: &mut ManifestFile,
        name: &str,
        call: Call,
    ) -> Result<Pending, CliError> {
        self.sign(file, name, call, None).await
    }

    async fn sign(
        &self,
        file: &mut ManifestFile,
        name: &str,
        call: Call,
        gas: Option<u64>,
    ) -> Result<Pending, CliError> {
        let mut request = TransactionRequest::default()
            .with_from(self.from)
            .with_value(call.value)
            .with_input(call.data.clone());
        request.to = Some(call.to.map_or(TxKind::Create, TxKind::Call));
        if let Some(gas) = gas {
            request = request.with_gas_limit(gas);
        }
        let estimate = self.provider.estimate_gas(&request).await.map_err(|e| {
            let reason = e
                .as_error_resp()
                .and_then(alloy_json_rpc::ErrorPayload::as_revert_data)
                .map_or_else(|| e.to_string(), |data| crate::revert::describe(&data));
            CliError::Reverted(format!("{} {name}: would revert: {reason}", self.label))
        })?;
        let nonce = self
            .provider
            .get_transaction_count(self.from)
            .await
            .map_err(|e| self.rpc("eth_getTransactionCount", &e))?;
        let fees = self
            .provider
            .estimate_eip1559_fees(None)
            .await
            .map_err(|e| self.rpc("eth_feeHistory", &e))?;
        let request = request
            .with_nonce(nonce)
            .with_chain_id(self.chain_id)
            .with_gas_limit(gas.unwrap_or(estimate + estimate / 5 + 10_000))
            .with_max_fee_per_gas(fees.max_fee_per_gas)
            .with_max_priority_fee_per_gas(fees.max_priority_fee_per_gas);
        let envelope = request
            .build(&self.wallet)
            .await
            .map_err(|e| CliError::Usage(format!("signing step {name}: {e}")))?;
        let pending = Pending {
            name: name.to_string(),
            chain: self.label.to_string(),
            tx: *envelope.tx_hash(),
            raw: envelope.encoded_2718().into(),
            nonce,
            from: self.from,
        };
        // Written before it is sent: a crash after this line finds it on the rerun.
        file.manifest.pending = Some(pending.clone());
        file.save()?;
        // The receipt is polled below (the same path a rerun takes).
        let _sent = self.provider.send_raw_transaction(&pending.raw).await.map_err(|e| {
            CliError::Refused(format!(
                "{} step {name}: the node refused the transaction: {e}",
                self.label
            ))
        })?;
        Ok(pending)
    }

    /// Finishes the transaction a previous run left in flight on this chain, if any.
    ///
    /// # Errors
    ///
    /// As [`Chain::send`].
    pub async fn resume_pending(&self, file: &mut ManifestFile) -> Result<Option<Sent>, CliError> {
        match file.manifest.pending.clone() {
            Some(pending) if pending.chain == self.label => {
                self.finish_pending(file, &pending).await.map(Some)
            }
            _ => Ok(None),
        }
    }

    /// Waits for `pending`'s receipt (sending its bytes again when the node does not know them
    /// and its nonce is unused), records it and clears it.
    async fn finish_pending(
        &self,
        file: &mut ManifestFile,
        pending: &Pending,
    ) -> Result<Sent, CliError> {
        if !pending.from.is_zero() && pending.from != self.from {
            return Err(CliError::Manifest(format!(
                "{} has step {} in flight from {}, not from this key ({}): run it with that key first",
                file.path.display(),
                pending.name,
                pending.from,
                self.from
            )));
        }
        let mut receipt = self.receipt(pending.tx).await?;
        if receipt.is_none() && !self.known(pending.tx).await? {
            let nonce = self
                .provider
                .get_transaction_count(self.from)
                .await
                .map_err(|e| self.rpc("eth_getTransactionCount", &e))?;
            // Mined between the two questions?
            receipt = self.receipt(pending.tx).await?;
            if receipt.is_none() && nonce > pending.nonce {
                return Err(CliError::Manifest(format!(
                    "step {} ({}) is unknown to the node but nonce {} was used by another transaction: check the account's history, then remove \"pending\" from {} to go on",
                    pending.name,
                    pending.tx,
                    pending.nonce,
                    file.path.display()
                )));
            }
            if receipt.is_none() {
                println!("[{}] {:<40} resending {}", self.label, pending.name, pending.tx);
                if let Err(e) = self.provider.send_raw_transaction(&pending.raw).await {
                    let text = e.to_string();
                    // Known to the node already (or mined meanwhile): wait for it below.
                    if !(text.contains("already known") || text.contains("nonce too low")) {
                        return Err(self.rpc("eth_sendRawTransaction", &e));
                    }
                }
            }
        }
        let started = Instant::now();
        while receipt.is_none() {
            if started.elapsed() > RECEIPT_TIMEOUT {
                return Err(CliError::Endpoint(format!(
                    "{} step {}: no receipt for {} after {} s; run again to keep waiting",
                    self.label,
                    pending.name,
                    pending.tx,
                    RECEIPT_TIMEOUT.as_secs()
                )));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
            receipt = self.receipt(pending.tx).await?;
        }
        let receipt = receipt.expect("loop ends with a receipt");
        file.manifest.pending = None;
        if !receipt.status() {
            file.save()?;
            return Err(CliError::Reverted(format!(
                "{} step {}: transaction {} reverted (gas {})",
                self.label, pending.name, pending.tx, receipt.gas_used
            )));
        }
        let record = StepRecord {
            name: pending.name.clone(),
            chain: self.label.to_string(),
            tx: pending.tx,
            gas_used: receipt.gas_used,
            block: receipt.block_number.unwrap_or_default(),
        };
        println!("[{}] {:<40} tx {} gas {}", self.label, record.name, record.tx, record.gas_used);
        file.manifest.steps.push(record.clone());
        file.save()?;
        Ok(Sent { record, receipt: Some(receipt) })
    }

    /// A step's receipt: the one this run saw, or, for a step done in an earlier run, the
    /// node's receipt of its recorded transaction.
    ///
    /// # Errors
    ///
    /// When the node has no receipt for it.
    pub async fn receipt_of(&self, sent: &Sent) -> Result<TransactionReceipt, CliError> {
        if let Some(receipt) = &sent.receipt {
            return Ok(receipt.clone());
        }
        self.receipt(sent.record.tx).await?.ok_or_else(|| {
            CliError::Manifest(format!(
                "step {} is recorded with transaction {}, which the node does not know",
                sent.record.name, sent.record.tx
            ))
        })
    }

    /// Whether the node knows the transaction (mined or in its pool).
    async fn known(&self, hash: B256) -> Result<bool, CliError> {
        self.provider
            .get_transaction_by_hash(hash)
            .await
            .map(|t| t.is_some())
            .map_err(|e| self.rpc("eth_getTransactionByHash", &e))
    }

    async fn receipt(&self, hash: B256) -> Result<Option<TransactionReceipt>, CliError> {
        self.provider
            .get_transaction_receipt(hash)
            .await
            .map_err(|e| self.rpc("eth_getTransactionReceipt", &e))
    }

    /// Records step `name` as done without a transaction: its effect is already on chain (a
    /// program at its CREATE2 address).
    ///
    /// # Errors
    ///
    /// When the manifest cannot be written.
    pub fn found(&self, file: &mut ManifestFile, name: &str) -> Result<(), CliError> {
        let record = StepRecord {
            name: name.to_string(),
            chain: self.label.to_string(),
            tx: B256::ZERO,
            gas_used: 0,
            block: 0,
        };
        println!("[{}] {:<40} already on chain", self.label, name);
        file.manifest.steps.push(record);
        // A transaction of this step left in flight (its effect is what was found).
        if file.manifest.pending.as_ref().is_some_and(|p| p.name == name) {
            file.manifest.pending = None;
        }
        file.save()
    }
}
