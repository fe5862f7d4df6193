//! The contracts' `export-abi` binaries (`cargo run --features export-abi --bin NAME-abi`):
//! each prints its interface file, and with the argument `constructor` only the
//! constructor's signature, read from that same file. That is what `cargo stylus deploy`
//! runs (`cargo run --features export-abi -- constructor`) to encode `--constructor-args`,
//! so the signature cannot drift from the interface the router is built from.

use alloc::string::String;

/// The constructor's signature in `sol` (`constructor(address admin)`, with `payable` when
/// it is), its parameters on one line; `None` when the file declares none.
pub fn constructor_signature(sol: &str) -> Option<String> {
    let mut code = String::new();
    for line in sol.lines() {
        let line = line.trim();
        if line.starts_with("//") || line.starts_with('*') || line.starts_with("/*") {
            continue;
        }
        code.push_str(line);
        code.push(' ');
    }
    let start = code.find("constructor(")?;
    let rest = &code[start..];
    let end = rest.find('{').unwrap_or(rest.len());
    let words: alloc::vec::Vec<&str> = rest[..end].split_whitespace().collect();
    let joined = words.join(" ");
    Some(joined.replace("( ", "(").replace(" )", ")").replace(",)", ")"))
}

/// The binary's `main`: the interface file, or with `constructor` its constructor's
/// signature.
#[cfg(feature = "export-abi")]
pub fn main(sol: &str) {
    if std::env::args().nth(1).as_deref() == Some("constructor") {
        if let Some(signature) = constructor_signature(sol) {
            std::println!("{signature}");
        }
        return;
    }
    std::print!("{sol}");
}

#[cfg(test)]
mod tests {
    use super::constructor_signature;

    #[test]
    fn one_line_and_multi_line_constructors_and_none() {
        let one = "/// doc with constructor(fake)\ncontract D {\n    constructor(address pool) payable {}\n}";
        assert_eq!(
            constructor_signature(one).as_deref(),
            Some("constructor(address pool) payable")
        );
        let multi =
            "contract D {\n    constructor(\n        address a,\n        uint256 b\n    ) {}\n}";
        assert_eq!(
            constructor_signature(multi).as_deref(),
            Some("constructor(address a, uint256 b)")
        );
        assert_eq!(constructor_signature("interface I { function f() external; }"), None);
    }
}
