//! Data at rest (issue 13, review D7/D11): the store, the office key and rejects reports are
//! created for the service's user alone whatever the umask, and a rejects report holds no live
//! formula and no full ID number.

mod common;

use common::*;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

#[test]
fn the_store_its_folder_the_key_and_a_rejects_report_are_private() {
    let db = TestDb::sqlite();
    let store_dir = db.dir.path().join("state");
    let url = format!("sqlite://{}", store_dir.join("s.db").display());
    let file = db.write(
        "persons.csv",
        "ssn,name,gender,ethnicity,birth_date,region_code,phone,address\n\
         11010519491231002X,王秀英,2,01,1949-12-31,110105,13800000001,\n\
         110101198506150010,=cmd|' /C calc'!A0,1,01,1985-06-15,110101,,\n\
         11010519491231002X,+1+1,9,01,1949-12-31,110105,,\n",
    );
    // Under the test's own umask (022 on CI), which would have made them 0644 / 0755.
    let out = db
        .command(&[
            "import",
            "persons",
            file.to_str().unwrap(),
            "--source",
            "hr",
        ])
        .env("SSKIOSK__DATABASE__URL", &url)
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(0), "rows were rejected");
    assert_eq!(mode(&store_dir), 0o700);
    assert_eq!(mode(&store_dir.join("s.db")), 0o600);
    for side in ["s.db-wal", "s.db-shm"] {
        let path = store_dir.join(side);
        if path.exists() {
            assert_eq!(mode(&path), 0o600, "{side}");
        }
    }
    let report = db.dir.path().join("persons.csv.rejects.csv");
    assert_eq!(mode(&report), 0o600);
    let text = std::fs::read_to_string(&report).unwrap();
    assert!(!text.contains("110101198506150010"), "{text}");
    assert!(text.contains("1101**********0010"), "{text}");
    for line in text.lines().skip(1) {
        for cell in csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(line.as_bytes())
            .records()
            .flatten()
            .flat_map(|r| r.iter().map(str::to_string).collect::<Vec<_>>())
        {
            assert!(
                !cell.starts_with(['=', '+', '-', '@']),
                "{cell:?} in {text}"
            );
        }
    }

    let key = db.dir.path().join("keys/office.ed25519");
    let out = db
        .command(&["keygen"])
        .env("SSKIOSK__CERTIFICATE__KEY_PATH", &key)
        .output()
        .unwrap();
    assert_status(&out, 0, "keygen");
    assert_eq!(mode(&key), 0o600);
    assert_eq!(mode(key.parent().unwrap()), 0o700);
}
