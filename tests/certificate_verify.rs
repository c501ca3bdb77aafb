//! Online verification through a served instance: valid, invalid signature, unknown serial,
//! revoked (with reason and time), superseded by a reissue; the public page; the published keys;
//! the verification log. Both backends.

mod certificate_support;
mod common;
use certificate_support::*;
use common::*;

#[test]
fn verification_answers_valid_revoked_superseded_unknown_and_tampered() {
    for db in TestDb::all() {
        load_fixtures(&db);
        let (serial, url, _) = issue(&db, LI, &[], "a.pdf");
        let (second, second_url, _) = issue(&db, LI, &[], "b.pdf");
        let server = Served::start(&db);
        let api = |p: &str| server.json(&format!("/api{p}"));

        let (status, v) = api(&path_of(&url));
        assert_eq!(status, 200);
        assert_eq!(v["verdict"]["status"], "valid", "{}: {v}", db.label);
        assert_eq!(v["content"]["id_masked"], "4403**********0016");
        assert_eq!(v["content"]["name"], "李建国");
        assert!(
            !v.to_string().contains(LI),
            "the full ID number never leaves the store"
        );

        // The serial alone says whether the certificate holds, not what it certifies (D12).
        let alone = api(&format!("/verify/{serial}")).1;
        assert_eq!(alone["verdict"]["status"], "valid");
        assert!(alone["content"].is_null(), "{alone}");

        let mut tampered = path_of(&url);
        tampered.replace_range(tampered.len() - 3.., "AAA");
        let refused = api(&tampered).1;
        assert_eq!(refused["verdict"]["status"], "invalid_signature");
        assert!(refused["content"].is_null(), "{refused}");
        assert_eq!(
            api("/verify/20261126-ZZZZZZZZ").1["verdict"]["status"],
            "unknown_serial"
        );
        assert_eq!(
            api("/verify/not-a-serial").1["verdict"]["status"],
            "unknown_serial"
        );

        let out = db.sskiosk(&["certificate", "revoke", &serial, "--reason", "信息有误"]);
        assert_status(&out, 0, "revoke");
        let v = api(&path_of(&url)).1;
        assert_eq!(v["verdict"]["status"], "revoked");
        assert_eq!(v["verdict"]["reason"], "信息有误");
        assert!(v["verdict"]["revoked_at"].is_string());

        let reissued_pdf = db.dir.path().join("c.pdf");
        let out = db.sskiosk(&[
            "certificate",
            "reissue",
            &second,
            "--out",
            reissued_pdf.to_str().unwrap(),
        ]);
        assert_status(&out, 0, "reissue");
        let third = stdout(&out).split('\t').next().unwrap().to_string();
        let v = api(&path_of(&second_url)).1;
        assert_eq!(v["verdict"]["status"], "superseded");
        assert_eq!(v["verdict"]["superseded_by"], third);
        let v = api(&format!("/verify/{third}")).1;
        assert_eq!(v["verdict"]["status"], "valid");
        assert_eq!(v["supersedes"], second);
        let out = db.sskiosk(&[
            "certificate",
            "reissue",
            &serial,
            "--out",
            reissued_pdf.to_str().unwrap(),
        ]);
        assert_status(&out, 1, "a revoked certificate is not reissued");

        let (status, page) = server.get(&path_of(&second_url));
        assert_eq!(status, 200);
        assert!(page.contains("data-status=\"superseded\""), "{page}");
        // Verdict first, then the summary (name, last four digits of the ID number).
        assert!(
            page.contains("李建国") && page.contains("<dd>0016</dd>"),
            "{page}"
        );
        assert!(page.find("id=\"verdict\"") < page.find("id=\"summary\""));
        assert!(!page.contains("4403**********0016") || page.contains("<details"));

        let (_, doc) = server.json("/api/openapi.json");
        for path in [
            "/api/verify/keys",
            "/api/verify/{serial}",
            "/verify/{serial}",
        ] {
            assert!(
                doc["paths"].get(path).is_some(),
                "{path} in the OpenAPI document"
            );
        }

        let (status, keys) = server.json("/api/verify/keys");
        assert_eq!(status, 200);
        assert_eq!(keys["keys"][0]["algorithm"], "Ed25519");
        // The published key verifies offline, with no database.
        let keys_file = db.write("keys.json", &keys.to_string());
        let out = db
            .command(&["verify", &second_url, "--keys", keys_file.to_str().unwrap()])
            .env(
                "SSKIOSK__DATABASE__URL",
                "sqlite:///nonexistent/dir/never.db",
            )
            .output()
            .unwrap();
        assert_status(&out, 0, "offline verify with the published keys");

        // Every verification with a well-formed serial is logged, without visitor identity.
        // valid, serial alone, tampered, unknown, revoked, superseded, reissued, page: 8 (junk
        // not logged).
        assert_eq!(count(&db, "certificate_verifications"), 8, "{}", db.label);

        // The citizen's audit trail has each look at their certificates and each act on them:
        // the verifications of known serials (7: not the unknown one), and the command-line
        // issues, revocation and reissue.
        let mut conn = db.pool().get().unwrap();
        let trail = sskiosk::audit::search(
            &mut conn,
            &sskiosk::audit::Filter {
                subject_ssn: Some(LI.into()),
                limit: 100,
                ..Default::default()
            },
        )
        .unwrap();
        let actions = |name: &str| trail.iter().filter(|e| e.action == name).count();
        assert_eq!(actions("certificate.verify"), 7, "{}: {trail:?}", db.label);
        assert_eq!(actions("certificate.issue"), 2, "{}", db.label);
        assert_eq!(actions("certificate.revoke"), 1, "{}", db.label);
        assert!(trail
            .iter()
            .filter(|e| e.action == "certificate.verify")
            .all(|e| e.actor == "public"));
        assert!(trail
            .iter()
            .filter(|e| e.action == "certificate.issue")
            .all(|e| e.actor.starts_with("cli:")));
        let imports = sskiosk::audit::search(
            &mut conn,
            &sskiosk::audit::Filter {
                action: Some("import.".into()),
                limit: 100,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(imports.len(), 6, "one entry per fixture import");
        drop(conn);
        let out = db.sskiosk(&["record", LI]);
        assert_status(&out, 0, "record");
        let mut conn = db.pool().get().unwrap();
        let views = sskiosk::audit::search(
            &mut conn,
            &sskiosk::audit::Filter {
                subject_ssn: Some(LI.into()),
                action: Some("record.view".into()),
                limit: 10,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(views.len(), 1, "`sskiosk record` is a look at the record");
        assert_eq!(views[0].purpose.as_deref(), Some("command_line"));
        assert_eq!(
            sskiosk::audit::verify_chain(&mut conn).unwrap(),
            sskiosk::audit::ChainReport::Intact {
                entries: views[0].seq
            }
        );
    }
}
