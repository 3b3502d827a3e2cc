//! Links the `redliner` executable as a fixed-address (non-PIE) program on
//! Linux: a position-independent executable carries one relocation per
//! pointer in its static tables (27,000 of them, mostly from the HTML
//! parser's and TLS library's tables), which the loader applies at every
//! start by writing to ~140 pages of memory; that doubled the start-up
//! time of every command. A non-PIE executable has them resolved at link
//! time. Only the binary is affected, not the library or the tests.
fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if os == "linux" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
