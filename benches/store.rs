//! `make bench`: import and record benchmarks on real SQLite and PostgreSQL, printed as a table.
//!
//! - Import: 1,000,000 contribution rows (from the demo generator) through `sskiosk import`
//!   (full validation, one transaction), against the database's own bulk loader on the same file
//!   in the same run (`sqlite3 .import` into a plain table; PostgreSQL `\copy`). Peak RSS of the
//!   import process.
//! - Record: the unified record of random citizens in stores of 10,000 and 100,000 citizens.
//!
//! Environment: SSKIOSK_BENCH_POSTGRES_URL (or SSKIOSK_TEST_POSTGRES_URL) adds PostgreSQL;
//! SSKIOSK_BENCH_CITIZENS=N,M overrides the store sizes; SSKIOSK_BENCH_ROWS the import size.

mod support;

use rand::{Rng, SeedableRng};
use sskiosk::demo::{citizen_ids, write_csv, DemoOptions};
use std::io::{BufRead, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::{psql, BIN};

const SEED: u64 = 7;

fn main() {
    let scratch = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-scratch");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).unwrap();
    let pg_server = std::env::var("SSKIOSK_BENCH_POSTGRES_URL")
        .or_else(|_| std::env::var("SSKIOSK_TEST_POSTGRES_URL"))
        .ok();
    let rows: usize = env_num("SSKIOSK_BENCH_ROWS").unwrap_or(1_000_000);
    let sizes: Vec<u32> = std::env::var("SSKIOSK_BENCH_CITIZENS")
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|_| vec![10_000, 100_000]);

    println!("# sskiosk store benchmarks (release build, this machine, same run)\n");
    let input = prepare_import_files(&scratch, rows);
    println!("## Import of {rows} contribution rows\n");
    println!(
        "| backend | sskiosk import | rows/s | bulk loader, plain table | ratio | bulk loader, keyed table | ratio | import peak RSS |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let mut targets = vec![Backend::sqlite(&scratch, "import")];
    if let Some(server) = &pg_server {
        targets.push(Backend::postgres(server, "import"));
    }
    for backend in &targets {
        bench_import(backend, &input, rows);
    }

    println!("\n## Unified record of random citizens\n");
    println!("| backend | citizens | contribution rows | load time | records | p50 | p99 | max | p50 without entitlement + projection | p99 without | p99 ratio with ÷ without |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    for &n in &sizes {
        let mut stores = vec![Backend::sqlite(&scratch, &format!("record{n}"))];
        if let Some(server) = &pg_server {
            stores.push(Backend::postgres(server, &format!("record{n}")));
        }
        let dir = scratch.join(format!("population{n}"));
        let counts = write_csv(
            &dir,
            &DemoOptions {
                citizens: n,
                seed: SEED,
                today: today(),
            },
        )
        .unwrap();
        for backend in &stores {
            bench_record(backend, &dir, n, counts.contributions);
        }
    }
    println!("\n## Audit log appends, 8 concurrent writers\n");
    println!("| backend | appends | time | appends/s |");
    println!("|---|---|---|---|");
    let mut logs = vec![Backend::sqlite(&scratch, "audit")];
    if let Some(server) = &pg_server {
        logs.push(Backend::postgres(server, "audit"));
    }
    for backend in &logs {
        bench_audit(backend);
    }
    let _ = std::fs::remove_dir_all(&scratch);
}

/// Eight threads appending to the hash-chained audit log at once, as eight windows would.
fn bench_audit(backend: &Backend) {
    const WRITERS: usize = 8;
    const EACH: usize = 250;
    let pool = sskiosk::db::open_pool(&backend.url, WRITERS as u32).unwrap();
    let started = Instant::now();
    std::thread::scope(|s| {
        for w in 0..WRITERS {
            let pool = pool.clone();
            s.spawn(move || {
                let mut conn = pool.get().unwrap();
                for i in 0..EACH {
                    let entry = sskiosk::audit::NewEntry {
                        actor: format!("staff:bench{w}"),
                        action: "record.view".into(),
                        subject_ssn: Some(format!("{i}")),
                        purpose: None,
                        result: "ok".into(),
                        detail: None,
                    };
                    sskiosk::audit::append(&mut conn, &entry, chrono::Utc::now().naive_utc())
                        .unwrap();
                }
            });
        }
    });
    let took = started.elapsed();
    let n = WRITERS * EACH;
    println!(
        "| {} | {n} | {} | {:.0} |",
        backend.label,
        secs(took),
        n as f64 / took.as_secs_f64()
    );
}

struct Backend {
    label: &'static str,
    url: String,
    /// For PostgreSQL: server URL and database name, dropped at the end.
    pg: Option<(String, String)>,
}

impl Backend {
    fn sqlite(scratch: &Path, name: &str) -> Backend {
        Backend {
            label: "SQLite",
            url: format!("sqlite://{}", scratch.join(format!("{name}.db")).display()),
            pg: None,
        }
    }

    fn postgres(server: &str, name: &str) -> Backend {
        let db = format!("sskiosk_bench_{name}");
        psql(
            server,
            &format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"),
        );
        psql(server, &format!("CREATE DATABASE {db}"));
        let root = &server[..server.rfind('/').unwrap()];
        Backend {
            label: "PostgreSQL",
            url: format!("{root}/{db}"),
            pg: Some((server.to_string(), db)),
        }
    }

    fn sskiosk(&self, args: &[&str]) -> std::process::Output {
        let out = Command::new(BIN)
            .args(args)
            .env("SSKIOSK__DATABASE__URL", &self.url)
            .env("SSKIOSK__LOG__FILTER", "warn")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "sskiosk {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }
}

impl Backend {
    /// Runs `sskiosk ARGS` and returns its wall time and peak resident set (MiB).
    fn measured(&self, args: &[&str]) -> (Duration, f64) {
        let (took, rss, _) = support::measured(&self.url, args);
        (took, rss)
    }
}

impl Drop for Backend {
    fn drop(&mut self) {
        if let Some((server, db)) = &self.pg {
            psql(
                server,
                &format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"),
            );
        }
    }
}

struct ImportInput {
    persons: PathBuf,
    contributions: PathBuf,
}

/// Demo files with at least `rows` contribution rows; the contributions file is cut to exactly
/// `rows` rows.
fn prepare_import_files(scratch: &Path, rows: usize) -> ImportInput {
    let dir = scratch.join("import-input");
    let mut citizens = (rows / 100).max(100) as u32;
    loop {
        let counts = write_csv(
            &dir,
            &DemoOptions {
                citizens,
                seed: SEED,
                today: today(),
            },
        )
        .unwrap();
        if counts.contributions as usize >= rows {
            break;
        }
        citizens = citizens * 3 / 2;
    }
    let full = dir.join("contributions.csv");
    let cut = dir.join("contributions-cut.csv");
    let reader = std::io::BufReader::new(std::fs::File::open(&full).unwrap());
    let mut writer = BufWriter::new(std::fs::File::create(&cut).unwrap());
    for line in reader.lines().take(rows + 1) {
        writeln!(writer, "{}", line.unwrap()).unwrap();
    }
    writer.flush().unwrap();
    ImportInput {
        persons: dir.join("persons.csv"),
        contributions: cut,
    }
}

fn bench_import(backend: &Backend, input: &ImportInput, rows: usize) {
    backend.sskiosk(&[
        "import",
        "persons",
        input.persons.to_str().unwrap(),
        "--source",
        "bench",
    ]);
    let (ours, peak_rss) = backend.measured(&[
        "import",
        "contributions",
        input.contributions.to_str().unwrap(),
        "--source",
        "bench",
    ]);
    // Two baselines: the (a plain table, no key) and the same loader into a table with
    // our primary key, which shows what maintaining the key costs the database itself.
    let (plain, keyed) = match &backend.pg {
        None => (
            sqlite_bulk_load(backend, &input.contributions, PLAIN_TABLE, "plain"),
            sqlite_bulk_load(backend, &input.contributions, KEYED_TABLE, "keyed"),
        ),
        Some((server, db)) => (
            pg_bulk_load(server, db, &input.contributions, PLAIN_TABLE),
            pg_bulk_load(server, db, &input.contributions, KEYED_TABLE),
        ),
    };
    let rate = |d: Duration| rows as f64 / d.as_secs_f64();
    let ratio = |d: Duration| d.as_secs_f64() / ours.as_secs_f64();
    println!(
        "| {} | {} | {:.0} | {} | {:.2}× | {} | {:.2}× | {:.0} MiB |",
        backend.label,
        secs(ours),
        rate(ours),
        secs(plain),
        ratio(plain),
        secs(keyed),
        ratio(keyed),
        peak_rss
    );
}

const PLAIN_TABLE: &str =
    "CREATE TABLE plain_contributions (ssn TEXT, insurance TEXT, period TEXT, base TEXT, \
     employer_amount TEXT, personal_amount TEXT, paid_on TEXT, employer_code TEXT, status TEXT)";
/// The same columns with the contributions table's primary key (a WITHOUT ROWID table on
/// SQLite, as ours is).
const KEYED_TABLE: &str =
    "CREATE TABLE plain_contributions (ssn TEXT, insurance TEXT, period TEXT, base TEXT, \
     employer_amount TEXT, personal_amount TEXT, paid_on TEXT, employer_code TEXT, status TEXT, \
     PRIMARY KEY (ssn, insurance, period))";

/// `sqlite3 .import` of the same file into `table` in a fresh database file.
fn sqlite_bulk_load(backend: &Backend, file: &Path, table: &str, name: &str) -> Duration {
    let db = backend
        .url
        .trim_start_matches("sqlite://")
        .replace(".db", &format!("-{name}.db"));
    let rowid = if table.contains("PRIMARY KEY") {
        " WITHOUT ROWID"
    } else {
        ""
    };
    let script = format!(
        "{table}{rowid};\n.mode csv\n.import --skip 1 {} plain_contributions\n",
        file.display()
    );
    let started = Instant::now();
    let mut child = Command::new("sqlite3")
        .arg(&db)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sqlite3 (apt-get install sqlite3)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let took = started.elapsed();
    assert!(
        out.status.success(),
        "sqlite3: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    took
}

/// PostgreSQL's COPY (through psql's \copy) of the same file into `table`.
fn pg_bulk_load(server: &str, db: &str, file: &Path, table: &str) -> Duration {
    let root = &server[..server.rfind('/').unwrap()];
    let url = format!("{root}/{db}");
    psql(&url, "DROP TABLE IF EXISTS plain_contributions");
    psql(&url, table);
    let started = Instant::now();
    psql(
        &url,
        &format!(
            "\\copy plain_contributions FROM '{}' WITH (FORMAT csv, HEADER true)",
            file.display()
        ),
    );
    started.elapsed()
}

fn bench_record(backend: &Backend, dir: &Path, citizens: u32, contributions: u64) {
    let started = Instant::now();
    for kind in [
        "persons",
        "cards",
        "enrolments",
        "contributions",
        "benefits",
        "employment",
        "deaths",
    ] {
        let file = dir.join(format!("{kind}.csv"));
        backend.sskiosk(&["import", kind, file.to_str().unwrap(), "--source", "bench"]);
    }
    let load = started.elapsed();

    let pool = sskiosk::db::open_pool(&backend.url, 1).unwrap();
    let mut conn = pool.get().unwrap();
    let ids = citizen_ids(
        &DemoOptions {
            citizens,
            seed: SEED,
            today: today(),
        },
        citizens,
    );
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
    // Warm the cache the way a running server's would be, then measure.
    for _ in 0..200 {
        let id = &ids[rng.gen_range(0..ids.len())];
        sskiosk::record::unified_record(&mut conn, id)
            .unwrap()
            .expect("demo citizen exists");
    }
    // Each citizen is read both ways, the record as every view reads it and the same without
    // the unemployment entitlement and the pension projection (issue 12's target: at most 10 %
    // on the p99), in alternating order so neither always finds the pages the other loaded.
    let samples = 2_000;
    let (mut with, mut without) = (Vec::with_capacity(samples), Vec::with_capacity(samples));
    for i in 0..samples {
        let id = &ids[rng.gen_range(0..ids.len())];
        let mut timed = |assessed: bool| {
            let t = Instant::now();
            let record = if assessed {
                sskiosk::record::unified_record(&mut conn, id)
            } else {
                sskiosk::record::unified_record_unassessed(&mut conn, id)
            };
            let took = t.elapsed();
            assert_eq!(
                record.unwrap().unwrap().pension_projection.is_some(),
                assessed
            );
            took
        };
        let order = if i % 2 == 0 {
            [true, false]
        } else {
            [false, true]
        };
        for assessed in order {
            let took = timed(assessed);
            if assessed { &mut with } else { &mut without }.push(took);
        }
    }
    with.sort();
    without.sort();
    let pct = |v: &[Duration], p: f64| v[((v.len() as f64 * p) as usize).min(v.len() - 1)];
    println!(
        "| {} | {citizens} | {contributions} | {} | {samples} | {} | {} | {} | {} | {} | {:.3} |",
        backend.label,
        secs(load),
        ms(pct(&with, 0.50)),
        ms(pct(&with, 0.99)),
        ms(*with.last().unwrap()),
        ms(pct(&without, 0.50)),
        ms(pct(&without, 0.99)),
        pct(&with, 0.99).as_secs_f64() / pct(&without, 0.99).as_secs_f64()
    );
}

fn today() -> chrono::NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive()
}

fn env_num(name: &str) -> Option<usize> {
    std::env::var(name).ok()?.parse().ok()
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}
