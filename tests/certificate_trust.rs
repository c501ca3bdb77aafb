//! Keys are trusted because the configuration pins them, not because the store lists them
//! (issue 13, review D2): a certificate signed by a key someone put into the store verifies as
//! invalid, online and offline, until an operator pins that key.

mod certificate_support;
mod common;
use common::*;

fn api_path(url: &str) -> String {
    let rest = url.split_once("://").unwrap().1;
    format!("/api{}", &rest[rest.find('/').unwrap()..])
}

#[test]
fn a_key_that_is_only_in_the_store_is_not_trusted_until_pinned() {
    for db in TestDb::all() {
        load_fixtures(&db);
        assert_status(&db.sskiosk(&["keygen"]), 0, "the office key");
        // Someone with write access to the store signs with a key of their own: `certificate
        // issue` with another key file writes the key row and the certificate, as a forger would.
        let forger_key = db.dir.path().join("forger.ed25519");
        let with_forger = |args: &[&str]| {
            db.command(args)
                .env("SSKIOSK__CERTIFICATE__KEY_PATH", &forger_key)
                .output()
                .unwrap()
        };
        let made = with_forger(&["keygen"]);
        assert_status(&made, 0, "the forger's key");
        let published: serde_json::Value = serde_json::from_str(&stdout(&made)).unwrap();
        let public_key = published["public_key"].as_str().unwrap().to_string();
        let pdf = db.dir.path().join("forged.pdf");
        let out = with_forger(&[
            "certificate",
            "issue",
            certificate_support::LI,
            "--out",
            pdf.to_str().unwrap(),
        ]);
        assert_status(&out, 0, "issue with the forger's key");
        let url = stdout(&out).trim().split_once('\t').unwrap().1.to_string();

        let server = Served::start(&db);
        let (_, v) = server.json(&api_path(&url));
        assert_eq!(
            v["verdict"]["status"], "invalid_signature",
            "{}: {v}",
            db.label
        );
        assert!(v["content"].is_null());
        let (_, keys) = server.json("/api/verify/keys");
        assert_eq!(
            keys["keys"].as_array().unwrap().len(),
            1,
            "the office key: {keys}"
        );
        let offline = db.sskiosk(&["verify", pdf.to_str().unwrap()]);
        assert_ne!(
            offline.status.code(),
            Some(0),
            "offline, with the trusted keys"
        );
        drop(server);

        // An operator pins it (say, another office's key): then it verifies, and is published.
        let pinned = format!("[\"{public_key}\"]");
        let env = [("SSKIOSK__CERTIFICATE__TRUSTED_KEYS", pinned.as_str())];
        let server = Served::start_with(&db, &env);
        let (_, v) = server.json(&api_path(&url));
        assert_eq!(v["verdict"]["status"], "valid", "{}: {v}", db.label);
        let (_, keys) = server.json("/api/verify/keys");
        assert_eq!(keys["keys"].as_array().unwrap().len(), 2, "{keys}");
        let offline = db
            .command(&["verify", pdf.to_str().unwrap()])
            .env(env[0].0, env[0].1)
            .output()
            .unwrap();
        assert_status(&offline, 0, "offline with the pinned key");
    }
}
