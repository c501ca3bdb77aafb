//! `cargo bench --bench checks`: the fund-safety checks on demo stores, printed as tables.
//!
//! - `sskiosk checks run` over the whole store (wall time, fact rows per second, peak RSS of the
//!   process), against the same rules written as plain SQL joins run by the database itself in
//!   the same run (hit citizens are counted both ways).
//! - `sskiosk checks run --since last` after a 1,000-citizen import.
//! - What the entitlement and the projection add to a record: the record's p50/p99 as the window
//!   reads it, and the p99 of computing the two alone from the same citizen's facts.
//!
//! Environment: SSKIOSK_BENCH_POSTGRES_URL (or SSKIOSK_TEST_POSTGRES_URL) adds PostgreSQL;
//! SSKIOSK_BENCH_CITIZENS=N,M sets the store sizes (default 10000,100000).

mod support;

use clap::ValueEnum;
use rand::{Rng, SeedableRng};
use sskiosk::demo::{citizen_ids, write_csv, DemoOptions};
use sskiosk::import::ImportKind;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use support::psql;

const SEED: u64 = 7;

fn main() {
    let scratch = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-checks");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).unwrap();
    let server = std::env::var("SSKIOSK_BENCH_POSTGRES_URL")
        .or_else(|_| std::env::var("SSKIOSK_TEST_POSTGRES_URL"))
        .ok();
    let sizes: Vec<u32> = std::env::var("SSKIOSK_BENCH_CITIZENS")
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|_| vec![10_000, 100_000]);
    let today = sskiosk::record::bureau_today();

    println!("# sskiosk fund-safety checks (release build, this machine, same run)\n");
    println!("| backend | citizens | fact rows | load | checks run | rows/s | peak RSS | hits (citizens) | plain SQL joins | SQL hits (citizens) | ratio SQL/ours | incremental, 1,000 citizens |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    let mut records = Vec::new();
    for &n in &sizes {
        let opts = DemoOptions {
            citizens: n,
            seed: SEED,
            today,
        };
        let dir = scratch.join(format!("population{n}"));
        let counts = write_csv(&dir, &opts).unwrap();
        let rows = counts.persons
            + counts.cards
            + counts.enrolments
            + counts.contributions
            + counts.benefits
            + counts.employment
            + counts.deaths;
        let subset = first_persons(&dir, 1_000);
        let mut stores = vec![Store::sqlite(&scratch, n)];
        if let Some(server) = &server {
            stores.push(Store::postgres(server, n));
        }
        for store in &stores {
            bench_store(store, &dir, &subset, n, rows);
            if n == *sizes.last().unwrap() {
                records.push(bench_record(store, &opts));
            }
        }
    }
    println!("\n## Record with the entitlement and the projection (2,000 random citizens)\n");
    println!("| backend | record p50 | record p99 | entitlement + projection alone p99 | share of the record's p99 |");
    println!("|---|---|---|---|---|");
    for line in records {
        println!("{line}");
    }
    let _ = std::fs::remove_dir_all(&scratch);
}

struct Store {
    label: &'static str,
    url: String,
    /// PostgreSQL: the server and the database dropped at the end.
    pg: Option<(String, String)>,
}

impl Store {
    fn sqlite(scratch: &Path, n: u32) -> Store {
        Store {
            label: "SQLite",
            url: format!(
                "sqlite://{}",
                scratch.join(format!("checks{n}.db")).display()
            ),
            pg: None,
        }
    }

    fn postgres(server: &str, n: u32) -> Store {
        let name = format!("sskiosk_bench_checks{n}");
        psql(
            server,
            &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        );
        psql(server, &format!("CREATE DATABASE {name}"));
        let root = &server[..server.rfind('/').unwrap()];
        Store {
            label: "PostgreSQL",
            url: format!("{root}/{name}"),
            pg: Some((server.to_string(), name)),
        }
    }

    fn run(&self, args: &[&str]) -> (Duration, f64, String) {
        support::measured(&self.url, args)
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        if let Some((server, name)) = &self.pg {
            psql(
                server,
                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            );
        }
    }
}

/// A persons file of the first `n` citizens: re-importing it is a "1,000-citizen import".
fn first_persons(dir: &Path, n: usize) -> PathBuf {
    let text = std::fs::read_to_string(dir.join("persons.csv")).unwrap();
    let path = dir.join("persons-subset.csv");
    let lines: Vec<&str> = text.lines().take(n + 1).collect();
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

/// The number in "…, N hits, …" of the checks' summary line.
fn hits_in(summary: &str) -> u64 {
    summary
        .split(", ")
        .find_map(|part| part.strip_suffix(" hits")?.parse().ok())
        .unwrap_or(0)
}

fn bench_store(store: &Store, dir: &Path, subset: &Path, citizens: u32, rows: u64) {
    let started = Instant::now();
    // In the importer's order: persons first.
    for kind in ImportKind::value_variants().iter().map(|k| k.name()) {
        let file = dir.join(format!("{kind}.csv"));
        store.run(&["import", kind, file.to_str().unwrap(), "--source", "bench"]);
    }
    let load = started.elapsed();
    let (took, rss, summary) = store.run(&["checks", "run"]);
    let ours = distinct_hit_citizens(store);
    let (sql, sql_hits) = plain_sql(store);
    store.run(&[
        "import",
        "persons",
        subset.to_str().unwrap(),
        "--source",
        "bench2",
    ]);
    let (incremental, _, _) = store.run(&["checks", "run", "--since", "last"]);
    println!(
        "| {} | {citizens} | {rows} | {} | {} | {:.0} | {rss:.0} MiB | {} ({ours}) | {} | {sql_hits} | {:.2}× | {} |",
        store.label,
        secs(load),
        secs(took),
        rows as f64 / took.as_secs_f64(),
        hits_in(&summary),
        secs(sql),
        sql.as_secs_f64() / took.as_secs_f64(),
        secs(incremental),
    );
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

fn count(conn: &mut sskiosk::db::DbConn, sql: &str) -> i64 {
    use diesel::RunQueryDsl;
    diesel::sql_query(sql).get_result::<Count>(conn).unwrap().n
}

/// (rule, citizen) pairs with a case, counted the way the SQL below counts.
fn distinct_hit_citizens(store: &Store) -> i64 {
    let pool = sskiosk::db::open_pool(&store.url, 1).unwrap();
    let mut conn = pool.get().unwrap();
    count(
        &mut conn,
        "SELECT COUNT(*) AS n FROM (SELECT DISTINCT rule, ssn FROM fund_cases) t",
    )
}

/// The rules as plain SQL, one query per rule, each counting the citizens it hits; the top-up
/// half of injury_overlap (which needs the allowance before the pension) is left out.
fn plain_sql(store: &Store) -> (Duration, i64) {
    let month = |col: &str| match store.pg {
        None => format!("CAST(substr({col}, 1, 4) || substr({col}, 6, 2) AS INTEGER)"),
        Some(_) => format!("CAST(to_char({col}, 'YYYYMM') AS INTEGER)"),
    };
    let rules = [
        "SELECT COUNT(*) AS n FROM (SELECT DISTINCT ssn FROM (SELECT ssn, period FROM benefits \
         WHERE benefit = 'basic_pension' AND insurance <> '' GROUP BY ssn, period \
         HAVING COUNT(DISTINCT insurance) > 1) t) u"
            .to_string(),
        format!(
            "SELECT COUNT(*) AS n FROM (SELECT ssn, MIN({}) AS m FROM deaths GROUP BY ssn) d \
             WHERE EXISTS (SELECT 1 FROM benefits b WHERE b.ssn = d.ssn AND b.period > d.m \
                           AND b.benefit <> 'funeral_grant') \
                OR EXISTS (SELECT 1 FROM contributions c WHERE c.ssn = d.ssn AND c.period > d.m \
                           AND c.status <> 'arrears') \
                OR EXISTS (SELECT 1 FROM cards k WHERE k.ssn = d.ssn AND k.status = 'active')",
            month("death_date")
        ),
        format!(
            "SELECT COUNT(DISTINCT u.ssn) AS n FROM benefits u \
             WHERE u.benefit = 'unemployment_benefit' \
             AND EXISTS (SELECT 1 FROM employment_registrations r WHERE r.ssn = u.ssn \
                         AND r.kind = 'unemployment' AND {reg} <= u.period) \
             AND NOT EXISTS (SELECT 1 FROM employment_registrations r WHERE r.ssn = u.ssn \
                         AND r.kind = 'employment' AND r.ended_on IS NOT NULL AND {end} = u.period) \
             AND (EXISTS (SELECT 1 FROM contributions c WHERE c.ssn = u.ssn \
                          AND c.period = u.period AND c.employer_amount > 0) \
               OR EXISTS (SELECT 1 FROM employment_registrations r WHERE r.ssn = u.ssn \
                          AND r.kind = 'employment' AND {reg} <= u.period \
                          AND (r.ended_on IS NULL OR {end} >= u.period)))",
            reg = month("r.registered_on"),
            end = month("r.ended_on"),
        ),
        "SELECT COUNT(DISTINCT u.ssn) AS n FROM benefits u JOIN benefits p ON p.ssn = u.ssn \
         AND p.period = u.period AND p.benefit = 'basic_pension' \
         WHERE u.benefit = 'unemployment_benefit'"
            .to_string(),
        "SELECT COUNT(*) AS n FROM (SELECT ssn FROM benefits WHERE benefit = 'funeral_grant' \
         GROUP BY ssn HAVING COUNT(*) > 1) t"
            .to_string(),
        "SELECT COUNT(DISTINCT i.ssn) AS n FROM benefits i JOIN benefits u ON u.ssn = i.ssn \
         AND u.period = i.period AND u.benefit = 'unemployment_benefit' \
         WHERE i.benefit IN ('injury_allowance', 'injury_pension')"
            .to_string(),
    ];
    let pool = sskiosk::db::open_pool(&store.url, 1).unwrap();
    let mut conn = pool.get().unwrap();
    let started = Instant::now();
    let hits: i64 = rules.iter().map(|sql| count(&mut conn, sql)).sum();
    (started.elapsed(), hits)
}

/// The record as the window reads it, and the entitlement and projection computed alone from
/// the same citizen's facts (what the issue added to each record).
fn bench_record(store: &Store, opts: &DemoOptions) -> String {
    use sskiosk::domain::{pension_projection, unemployment};
    let pool = sskiosk::db::open_pool(&store.url, 1).unwrap();
    let mut conn = pool.get().unwrap();
    let ids = citizen_ids(opts, opts.citizens);
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
    let rules = unemployment::UnemploymentRules::default();
    for _ in 0..200 {
        let id = &ids[rng.gen_range(0..ids.len())];
        sskiosk::record::unified_record(&mut conn, id).unwrap();
    }
    let (mut whole, mut added) = (Vec::new(), Vec::new());
    for _ in 0..2_000 {
        let id = &ids[rng.gen_range(0..ids.len())];
        let t = Instant::now();
        let record = sskiosk::record::unified_record(&mut conn, id)
            .unwrap()
            .expect("demo citizen");
        whole.push(t.elapsed());
        let contributions =
            sskiosk::record::contributions::contributions(&mut conn, id, &[], None, None).unwrap();
        let benefits: Vec<_> = record
            .benefits
            .iter()
            .flat_map(|b| b.payments.iter().cloned())
            .collect();
        let t = Instant::now();
        let e = unemployment::assess(
            &record.person,
            &contributions,
            &benefits,
            &record.employment,
            opts.today,
            &rules,
        );
        let p = pension_projection::project(&record.person, &contributions, opts.today);
        added.push(t.elapsed());
        std::hint::black_box((e, p));
    }
    whole.sort();
    added.sort();
    let p = |v: &[Duration], q: f64| v[((v.len() as f64 * q) as usize).min(v.len() - 1)];
    format!(
        "| {} | {} | {} | {} | {:.1} % |",
        store.label,
        ms(p(&whole, 0.5)),
        ms(p(&whole, 0.99)),
        ms(p(&added, 0.99)),
        100.0 * p(&added, 0.99).as_secs_f64() / p(&whole, 0.99).as_secs_f64()
    )
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}
