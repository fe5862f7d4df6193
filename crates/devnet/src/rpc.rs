//! JSON-RPC 2.0's envelope: single and batch requests, notifications, and the error codes
//! clients act on (geth's where geth has one).

use serde_json::{json, Value};

/// Invalid JSON.
pub const PARSE_ERROR: i64 = -32700;
/// Not a request object.
pub const INVALID_REQUEST: i64 = -32600;
/// A method the devnet does not serve.
pub const METHOD_NOT_FOUND: i64 = -32601;
/// Parameters of the wrong shape.
pub const INVALID_PARAMS: i64 = -32602;
/// A server fault.
pub const INTERNAL_ERROR: i64 = -32603;
/// geth's code for a transaction refused by the pool or a failed call that did not revert
/// (nonce, funds, fee, gas).
pub const SERVER_ERROR: i64 = -32000;
/// geth's code for `execution reverted`: `data` holds the revert bytes (alloy's
/// `as_revert_data`, viem's and ethers' decoders read them there).
pub const EXECUTION_REVERTED: i64 = 3;

/// An error answer.
#[derive(Clone, Debug, PartialEq)]
pub struct RpcError {
    /// The code.
    pub code: i64,
    /// The message.
    pub message: String,
    /// Extra data (revert bytes as hex).
    pub data: Option<Value>,
}

impl RpcError {
    /// An error without data.
    pub fn new(code: i64, message: impl Into<String>) -> Self {
        Self { code, message: message.into(), data: None }
    }

    /// Parameters of the wrong shape.
    pub fn params(message: impl Into<String>) -> Self {
        Self::new(INVALID_PARAMS, message)
    }

    /// A refused transaction or call (`-32000`).
    pub fn server(message: impl Into<String>) -> Self {
        Self::new(SERVER_ERROR, message)
    }

    /// A revert with its data, as geth answers it.
    pub fn reverted(data: &[u8]) -> Self {
        let message = match revert_reason(data) {
            Some(reason) => format!("execution reverted: {reason}"),
            None => "execution reverted".to_string(),
        };
        Self {
            code: EXECUTION_REVERTED,
            message,
            data: Some(Value::String(alloy_primitives::hex::encode_prefixed(data))),
        }
    }

    fn to_json(&self) -> Value {
        let mut e = json!({ "code": self.code, "message": self.message });
        if let Some(data) = &self.data {
            e["data"] = data.clone();
        }
        e
    }
}

/// Solidity's `Error(string)` reason, when the revert data is one.
fn revert_reason(data: &[u8]) -> Option<String> {
    if data.len() < 68 || data[..4] != [0x08, 0xc3, 0x79, 0xa0] {
        return None;
    }
    let len = usize::try_from(alloy_primitives::U256::from_be_slice(&data[36..68])).ok()?;
    let text = data.get(68..68usize.checked_add(len)?)?;
    String::from_utf8(text.to_vec()).ok()
}

/// Answers a request body: one request, or a batch answered in order; `None` when nothing
/// is to be sent back (notifications only).
pub fn handle(
    body: &[u8],
    dispatch: &dyn Fn(&str, Value) -> Result<Value, RpcError>,
) -> Option<Vec<u8>> {
    let Ok(request) = serde_json::from_slice::<Value>(body) else {
        return Some(encode(&error_reply(
            &Value::Null,
            &RpcError::new(PARSE_ERROR, "parse error"),
        )));
    };
    let answer = match request {
        Value::Array(batch) if batch.is_empty() => {
            error_reply(&Value::Null, &RpcError::new(INVALID_REQUEST, "empty batch"))
        }
        Value::Array(batch) => {
            let answers: Vec<Value> = batch.into_iter().filter_map(|r| one(r, dispatch)).collect();
            if answers.is_empty() {
                return None;
            }
            Value::Array(answers)
        }
        single => one(single, dispatch)?,
    };
    Some(encode(&answer))
}

fn one(request: Value, dispatch: &dyn Fn(&str, Value) -> Result<Value, RpcError>) -> Option<Value> {
    let Value::Object(mut object) = request else {
        return Some(error_reply(&Value::Null, &RpcError::new(INVALID_REQUEST, "not an object")));
    };
    let id = object.remove("id");
    let Some(Value::String(method)) = object.remove("method") else {
        let id = id.unwrap_or(Value::Null);
        return Some(error_reply(&id, &RpcError::new(INVALID_REQUEST, "no method")));
    };
    let params = object.remove("params").unwrap_or(Value::Array(Vec::new()));
    let result = dispatch(&method, params);
    // A request without an id is a notification: it runs and gets no answer.
    let id = id?;
    Some(match result {
        Ok(result) => json!({ "jsonrpc": "2.0", "id": id, "result": result }),
        Err(e) => error_reply(&id, &e),
    })
}

fn error_reply(id: &Value, e: &RpcError) -> Value {
    json!({ "jsonrpc": "2.0", "id": id, "error": e.to_json() })
}

fn encode(v: &Value) -> Vec<u8> {
    serde_json::to_vec(v).unwrap_or_default()
}
