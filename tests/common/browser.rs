//! Browser tests: a node script under tests/browser/ drives Debian's chromium through
//! playwright-core against a running server. The Rust test owns the real parts (server, pcscd,
//! printer) and passes their addresses in the environment; the script exits non-zero with a
//! message on the first failed expectation.

use std::path::{Path, PathBuf};
use std::process::Command;

/// tests/browser, where the scripts and their node_modules live.
pub fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

/// Where screenshots go, for people to look at: target/screenshots/<suite>/.
pub fn screenshot_dir(suite: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/screenshots")
        .join(suite);
    std::fs::create_dir_all(&dir).expect("create screenshot folder");
    dir
}

/// Fails with what to install when node, chromium or the npm packages are missing.
pub fn require_browser() {
    let node = Command::new("node").arg("--version").output();
    assert!(
        node.is_ok_and(|o| o.status.success()),
        "node is missing: run scripts/setup.sh (Debian packages nodejs and npm)"
    );
    assert!(
        Path::new("/usr/bin/chromium").exists(),
        "/usr/bin/chromium is missing: run scripts/setup.sh (Debian package chromium)"
    );
    assert!(
        browser_dir().join("node_modules/playwright-core").exists()
            && browser_dir().join("node_modules/axe-core").exists(),
        "playwright-core/axe-core are missing: run scripts/setup.sh (npm ci in tests/browser)"
    );
}

/// Runs `node tests/browser/<script>` with `env`, streaming its output into the test's output,
/// and panics with its exit status when it fails.
pub fn run_script(script: &str, env: &[(&str, String)]) {
    require_browser();
    let mut command = Command::new("node");
    command
        .arg(browser_dir().join(script))
        .current_dir(browser_dir())
        .env("CHROMIUM", "/usr/bin/chromium");
    for (key, value) in env {
        command.env(key, value);
    }
    let status = command.status().expect("start node");
    assert!(
        status.success(),
        "{script} failed ({status}); see its output above"
    );
}
