//! A beacon API client: the few standard endpoints (`/eth/v1/...`) the committee reads. Any
//! beacon node serves them (Lighthouse, Teku, Prysm, Nimbus, Lodestar); the devnet serves
//! them over its L1 world's validators.

use alloy_primitives::B256;
use serde_json::Value;

use crate::CliError;

/// A beacon node's endpoint.
#[derive(Clone, Debug)]
pub struct Beacon {
    url: String,
    client: reqwest::Client,
}

/// A validator at a state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Validator {
    /// Its index.
    pub index: u64,
    /// Its balance, gwei.
    pub balance_gwei: u64,
    /// Its status (`pending_queued`, `active_ongoing`, `exited_unslashed`, ...).
    pub status: String,
    /// Its public key.
    pub pubkey: Vec<u8>,
    /// Its withdrawal credentials.
    pub credentials: B256,
}

fn number(v: &Value, what: &str) -> Result<u64, CliError> {
    v.as_str()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| CliError::Endpoint(format!("beacon API: {what} is not a decimal string")))
}

impl Beacon {
    /// The node at `url`.
    pub fn new(url: &str) -> Self {
        Self { url: url.trim_end_matches('/').to_string(), client: reqwest::Client::new() }
    }

    /// `GET path`'s JSON (`None` on 404).
    async fn get(&self, path: &str) -> Result<Option<Value>, CliError> {
        let url = format!("{}{path}", self.url);
        let response = self
            .client
            .get(&url)
            .send()
            .await
            .map_err(|e| CliError::Endpoint(format!("beacon API {url}: {e}")))?;
        let status = response.status();
        let body = response
            .bytes()
            .await
            .map_err(|e| CliError::Endpoint(format!("beacon API {url}: {e}")))?;
        if status.as_u16() == 404 {
            return Ok(None);
        }
        if !status.is_success() {
            return Err(CliError::Endpoint(format!(
                "beacon API {url}: {status}: {}",
                String::from_utf8_lossy(&body)
            )));
        }
        serde_json::from_slice(&body)
            .map(Some)
            .map_err(|e| CliError::Endpoint(format!("beacon API {url}: not JSON: {e}")))
    }

    /// The genesis time.
    ///
    /// # Errors
    ///
    /// The node failing or answering out of shape.
    pub async fn genesis_time(&self) -> Result<u64, CliError> {
        let v = self.get("/eth/v1/beacon/genesis").await?.unwrap_or_default();
        number(&v["data"]["genesis_time"], "genesis_time")
    }

    /// The slot of a block id (`head`, `finalized`).
    ///
    /// # Errors
    ///
    /// The node failing or answering out of shape.
    pub async fn slot(&self, id: &str) -> Result<u64, CliError> {
        let v = self
            .get(&format!("/eth/v1/beacon/headers/{id}"))
            .await?
            .ok_or_else(|| CliError::Endpoint(format!("beacon API: no {id} header")))?;
        number(&v["data"]["header"]["message"]["slot"], "slot")
    }

    /// The execution block number of the block at `slot`, or of the last slot before it that
    /// has one (a missed slot has none), looking back at most an epoch.
    ///
    /// # Errors
    ///
    /// The node failing, or no block in the epoch before.
    pub async fn execution_block(&self, slot: u64) -> Result<u64, CliError> {
        for s in (slot.saturating_sub(32)..=slot).rev() {
            if let Some(v) = self.get(&format!("/eth/v2/beacon/blocks/{s}")).await? {
                return number(
                    &v["data"]["message"]["body"]["execution_payload"]["block_number"],
                    "block_number",
                );
            }
        }
        Err(CliError::Endpoint(format!("beacon API: no block in the 32 slots up to {slot}")))
    }

    /// The validators at `slot` whose withdrawal credentials are `credentials`.
    ///
    /// # Errors
    ///
    /// The node failing or answering out of shape.
    pub async fn validators(
        &self,
        slot: u64,
        credentials: B256,
    ) -> Result<Vec<Validator>, CliError> {
        let v = self
            .get(&format!("/eth/v1/beacon/states/{slot}/validators"))
            .await?
            .ok_or_else(|| CliError::Endpoint(format!("beacon API: no state at slot {slot}")))?;
        let list = v["data"]
            .as_array()
            .ok_or_else(|| CliError::Endpoint("beacon API: validators is not a list".into()))?;
        let mut out = Vec::new();
        for item in list {
            let hex = |field: &str| {
                item["validator"][field]
                    .as_str()
                    .and_then(|s| alloy_primitives::hex::decode(s).ok())
                    .ok_or_else(|| CliError::Endpoint(format!("beacon API: {field} is not hex")))
            };
            let c = hex("withdrawal_credentials")?;
            if c.len() != 32 || B256::from_slice(&c) != credentials {
                continue;
            }
            out.push(Validator {
                index: number(&item["index"], "index")?,
                balance_gwei: number(&item["balance"], "balance")?,
                status: item["status"].as_str().unwrap_or_default().to_string(),
                pubkey: hex("pubkey")?,
                credentials,
            });
        }
        Ok(out)
    }
}
