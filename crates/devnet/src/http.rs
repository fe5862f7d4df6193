//! A small HTTP/1.1 server for JSON-RPC and JSON `GET` APIs (the beacon API, `lsctl`'s keys
//! service): requests in, JSON out, keep-alive, CORS (a stake page served from another origin
//! calls it), a thread per connection. The standard library is enough for loopback; nothing
//! here parses more HTTP than JSON clients send.

use std::{
    io::{self, Read, Write},
    net::{Shutdown, SocketAddr, TcpListener, TcpStream},
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc, Mutex,
    },
    thread::JoinHandle,
    time::Duration,
};

/// The largest body accepted (a deployment's init code is about 100 KB of hex).
const MAX_BODY: usize = 32 << 20;
/// The largest request head accepted.
const MAX_HEAD: usize = 64 << 10;
/// How long an answer may take to be written before the connection is dropped.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// How often a waiting connection looks at the stop flag.
const POLL: Duration = Duration::from_millis(200);

/// A request: its method, its target (path and query) and its body.
#[derive(Clone, Debug)]
pub struct Request {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The request target, e.g. `/eth/v1/beacon/genesis?x=1`.
    pub target: String,
    /// The body.
    pub body: Vec<u8>,
}

impl Request {
    /// The path without the query.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }

    /// The query's value of `name` (the first one), percent-decoding nothing.
    pub fn query(&self, name: &str) -> Option<&str> {
        let (_, query) = self.target.split_once('?')?;
        query.split('&').find_map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (k == name).then_some(v)
        })
    }
}

/// An answer: a status and a JSON body (204 sends no body).
#[derive(Clone, Debug)]
pub struct Response {
    /// The HTTP status.
    pub status: u16,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    /// A JSON answer.
    pub fn json(status: u16, value: &serde_json::Value) -> Self {
        Self { status, body: value.to_string().into_bytes() }
    }

    /// An error in the beacon API's shape: `{"code": status, "message": ...}`.
    pub fn error(status: u16, message: &str) -> Self {
        Self::json(status, &serde_json::json!({ "code": status, "message": message }))
    }
}

/// What answers a request (`OPTIONS`, a browser's CORS preflight, is answered before).
pub type Handler = Arc<dyn Fn(&Request) -> Response + Send + Sync>;

/// A JSON-RPC endpoint's handler: `POST` bodies go to `rpc` (`None`, a body of notifications
/// only, is `204 No Content`); `GET` says where to post.
pub fn json_rpc(rpc: impl Fn(&[u8]) -> Option<Vec<u8>> + Send + Sync + 'static) -> Handler {
    Arc::new(move |request: &Request| match request.method.as_str() {
        "POST" => match rpc(&request.body) {
            Some(body) => Response { status: 200, body },
            None => Response { status: 204, body: Vec::new() },
        },
        "GET" => Response::json(200, &serde_json::json!("JSON-RPC: POST here")),
        _ => Response::error(405, "method not allowed"),
    })
}

/// A listening server; [`Server::stop`] (or dropping it) closes it and its connections.
pub struct Server {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
    connections: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl Server {
    /// Listens on `addr` (port 0 picks a free one) and serves `handler`.
    ///
    /// # Errors
    ///
    /// When `addr` cannot be bound.
    pub fn bind(addr: SocketAddr, handler: Handler) -> io::Result<Self> {
        let listener = TcpListener::bind(addr)?;
        let addr = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let connections: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::default();
        let accept = {
            let stop = Arc::clone(&stop);
            let connections = Arc::clone(&connections);
            std::thread::Builder::new().name(format!("rpc-accept-{}", addr.port())).spawn(
                move || {
                    for stream in listener.incoming() {
                        if stop.load(Ordering::SeqCst) {
                            break;
                        }
                        let Ok(stream) = stream else { continue };
                        let handler = Arc::clone(&handler);
                        let stop = Arc::clone(&stop);
                        let spawned = std::thread::Builder::new()
                            .name(format!("rpc-conn-{}", addr.port()))
                            .spawn(move || serve(stream, &handler, &stop));
                        if let Ok(handle) = spawned {
                            let mut list = connections
                                .lock()
                                .unwrap_or_else(std::sync::PoisonError::into_inner);
                            list.retain(|h| !h.is_finished());
                            list.push(handle);
                        }
                    }
                },
            )?
        };
        Ok(Self { addr, stop, accept: Some(accept), connections })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting, lets each connection finish the request it is answering, and waits
    /// for every thread.
    pub fn stop(&mut self) {
        if self.stop.swap(true, Ordering::SeqCst) {
            return;
        }
        // Wakes the accept loop, which then sees the flag.
        let _ = TcpStream::connect(self.addr);
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
        let handles: Vec<_> = std::mem::take(
            &mut *self.connections.lock().unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        for handle in handles {
            let _ = handle.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// One request's head.
struct Head {
    method: String,
    target: String,
    content_length: usize,
    close: bool,
}

/// Serves one connection until the client closes it, asks to, or the server stops.
fn serve(mut stream: TcpStream, handler: &Handler, stop: &AtomicBool) {
    let _ = stream.set_read_timeout(Some(POLL));
    // A client that never reads its answer must not hold the server's stop.
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let _ = stream.set_nodelay(true);
    let mut buf: Vec<u8> = Vec::with_capacity(8192);
    loop {
        // The head.
        let head_end = loop {
            if let Some(end) = find(&buf, b"\r\n\r\n") {
                break end;
            }
            if buf.len() > MAX_HEAD || !fill(&mut stream, &mut buf, stop) {
                return;
            }
        };
        let Some(head) = parse_head(&buf[..head_end]) else {
            let _ = respond(&mut stream, 400, b"bad request", true);
            return;
        };
        if head.content_length > MAX_BODY {
            let _ = respond(&mut stream, 413, b"body too large", true);
            return;
        }
        let body_start = head_end + 4;
        while buf.len() < body_start + head.content_length {
            if !fill(&mut stream, &mut buf, stop) {
                return;
            }
        }
        let body = buf[body_start..body_start + head.content_length].to_vec();
        buf.drain(..body_start + head.content_length);
        let written = if head.method == "OPTIONS" {
            // CORS preflight of a browser page.
            respond(&mut stream, 204, b"", head.close)
        } else {
            let request = Request { method: head.method, target: head.target, body };
            let answer = handler(&request);
            respond(&mut stream, answer.status, &answer.body, head.close)
        };
        if written.is_err() || head.close || stop.load(Ordering::SeqCst) {
            let _ = stream.shutdown(Shutdown::Both);
            return;
        }
    }
}

/// Reads more bytes into `buf`; false when the peer closed, an error happened, or the server
/// is stopping while the connection waits.
fn fill(stream: &mut TcpStream, buf: &mut Vec<u8>, stop: &AtomicBool) -> bool {
    let mut chunk = [0u8; 16 * 1024];
    loop {
        match stream.read(&mut chunk) {
            Ok(0) => return false,
            Ok(n) => {
                buf.extend_from_slice(&chunk[..n]);
                return true;
            }
            Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => {
                if stop.load(Ordering::SeqCst) {
                    return false;
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return false,
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn parse_head(head: &[u8]) -> Option<Head> {
    let text = std::str::from_utf8(head).ok()?;
    let mut lines = text.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_string();
    let target = request_line.next()?.to_string();
    let version = request_line.next().unwrap_or("HTTP/1.1");
    let mut content_length = 0;
    // HTTP/1.0 closes unless asked to keep alive; 1.1 keeps alive unless asked to close.
    let mut close = version == "HTTP/1.0";
    for line in lines {
        let (name, value) = line.split_once(':')?;
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "content-length" => content_length = value.parse().ok()?,
            "connection" => close = value.eq_ignore_ascii_case("close"),
            // Chunked bodies are not something JSON-RPC clients send.
            "transfer-encoding" if !value.eq_ignore_ascii_case("identity") => return None,
            _ => {}
        }
    }
    Some(Head { method, target, content_length, close })
}

fn respond(stream: &mut TcpStream, code: u16, body: &[u8], close: bool) -> io::Result<()> {
    let reason = match code {
        200 => "OK",
        204 => "No Content",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Payload Too Large",
        _ => "Error",
    };
    let head = format!(
        "HTTP/1.1 {code} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         Access-Control-Allow-Origin: *\r\nAccess-Control-Allow-Methods: POST, GET, OPTIONS\r\n\
         Access-Control-Allow-Headers: content-type\r\nConnection: {}\r\n\r\n",
        body.len(),
        if close { "close" } else { "keep-alive" },
    );
    let mut out = Vec::with_capacity(head.len() + body.len());
    out.extend_from_slice(head.as_bytes());
    out.extend_from_slice(body);
    stream.write_all(&out)?;
    stream.flush()
}
