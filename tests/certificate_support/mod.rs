//! Helpers of the certificate and print tests: the real tools (poppler, zbar, ippeveprinter),
//! fixtures loaded through the binary, a served instance, a real IPP printer on a free port.
#![allow(dead_code)]

use crate::common::*;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

pub const LI: &str = "440305198503150016";

/// Panics with the Debian package to install when `tool` is missing.
pub fn require(tool: &str, package: &str) {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
        || Path::new("/usr/sbin").join(tool).exists();
    assert!(
        found,
        "this test needs `{tool}`: install the Debian package {package} (scripts/setup.sh does)"
    );
}

/// Issues a certificate through the binary; returns (serial, QR URL, PDF path).
pub fn issue(db: &TestDb, ssn: &str, extra: &[&str], name: &str) -> (String, String, PathBuf) {
    let pdf = db.dir.path().join(name);
    let mut args = vec!["certificate", "issue", ssn, "--out", pdf.to_str().unwrap()];
    args.extend_from_slice(extra);
    let out = db.sskiosk(&args);
    assert_status(&out, 0, "certificate issue");
    let line = stdout(&out);
    let (serial, url) = line.trim().split_once('\t').expect("serial<TAB>url");
    (serial.to_string(), url.to_string(), pdf)
}

/// Runs a tool and returns its stdout, failing with its stderr.
pub fn run(cmd: &mut Command) -> String {
    let out = cmd.output().expect("run tool");
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Renders every page to PNG at 200 dpi (pdftoppm), returning the files in page order.
pub fn render_pages(pdf: &Path) -> Vec<PathBuf> {
    require("pdftoppm", "poppler-utils");
    let prefix = pdf.with_extension("page");
    run(Command::new("pdftoppm")
        .args(["-png", "-r", "200"])
        .arg(pdf)
        .arg(&prefix));
    let dir = pdf.parent().unwrap();
    let stem = prefix.file_name().unwrap().to_string_lossy().into_owned();
    let mut pages: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with(&format!("{stem}-")) && name.ends_with(".png")
        })
        .collect();
    pages.sort();
    pages
}

/// The QR code of a page image, read by zbarimg (zbar-tools).
pub fn zbar(png: &Path) -> String {
    require("zbarimg", "zbar-tools");
    run(Command::new("zbarimg").args(["-q", "--raw"]).arg(png))
        .trim()
        .to_string()
}

/// The QR code of a page image, read by the rqrr crate.
pub fn rqrr_decode(png: &Path) -> String {
    let img = image::open(png).expect("open page image").to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(img);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code on {}", png.display());
    grids[0].decode().expect("rqrr decodes the QR code").1
}

/// The path and query of a verification URL (the host in it is the configured public one).
pub fn path_of(url: &str) -> String {
    let at = url.find("/verify/").expect("verification URL");
    url[at..].to_string()
}

/// ippeveprinter needs DNS-SD (avahi over the system D-Bus). scripts/test.sh starts both when
/// the machine does not run them (and stops them afterwards); a bare `cargo test` says so.
fn ensure_dns_sd() {
    require("avahi-daemon", "avahi-daemon");
    let running = Command::new("avahi-daemon")
        .arg("--check")
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    assert!(
        running,
        "ippeveprinter needs avahi-daemon running on the system D-Bus: run the tests through \
         scripts/test.sh, which starts it, or start it yourself (apt-get install avahi-daemon dbus)"
    );
}

/// A free TCP port on the loopback interface.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A real IPP Everywhere printer (ippeveprinter, cups-ipp-utils) keeping every job it receives
/// as a file in its spool folder. Stopped by its own PID on drop.
pub struct IppEve {
    child: Child,
    pub spool: PathBuf,
    pub uri: String,
}

impl IppEve {
    pub fn start(port: u16, spool: &Path) -> IppEve {
        require("ippeveprinter", "cups-ipp-utils");
        ensure_dns_sd();
        std::fs::create_dir_all(spool).unwrap();
        let child = Command::new("ippeveprinter")
            .args(["-k", "-f", "application/pdf", "-p", &port.to_string(), "-d"])
            .arg(spool)
            .arg(format!("sskiosk-test-{port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start ippeveprinter");
        let printer = IppEve {
            child,
            spool: spool.to_path_buf(),
            uri: format!("ipp://127.0.0.1:{port}/ipp/print"),
        };
        // Ready when it accepts connections; give up if it died.
        let mut printer = printer;
        loop {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return printer;
            }
            if let Ok(Some(status)) = printer.child.try_wait() {
                panic!("ippeveprinter exited ({status}) before listening on {port}");
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }

    /// Documents the printer received whose name contains `serial` (job names are lowercased).
    pub fn jobs_for(&self, serial: &str) -> usize {
        let needle = serial.to_lowercase();
        std::fs::read_dir(&self.spool)
            .map(|dir| {
                dir.filter_map(|e| e.ok())
                    .filter(|e| {
                        e.file_name()
                            .to_string_lossy()
                            .to_lowercase()
                            .contains(&needle)
                    })
                    .count()
            })
            .unwrap_or(0)
    }
}

impl Drop for IppEve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// State, attempts and last error of a print job, through the library's pool.
pub fn job_state(db: &TestDb, id: i64) -> (String, i32, Option<String>) {
    use diesel::prelude::*;
    use sskiosk::db::schema::print_jobs;
    let mut conn = db.pool().get().unwrap();
    print_jobs::table
        .find(id)
        .select((
            print_jobs::state,
            print_jobs::attempts,
            print_jobs::last_error,
        ))
        .first(&mut *conn)
        .unwrap()
}
