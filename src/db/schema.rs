//! Diesel's view of the tables in migrations/{sqlite,postgres}. Written by hand to match both
//! dialects (a test runs the migrations on both backends and queries every table through this).

diesel::table! {
    import_batches (id) {
        id -> BigInt,
        kind -> Text,
        source -> Text,
        file_name -> Text,
        sha256 -> Text,
        rows_total -> BigInt,
        rows_taken -> BigInt,
        rows_rejected -> BigInt,
        imported_at -> Timestamp,
    }
}

diesel::table! {
    persons (ssn) {
        ssn -> Text,
        name -> Text,
        gender -> Text,
        ethnicity -> Text,
        birth_date -> Date,
        region_code -> Text,
        phone -> Nullable<Text>,
        address -> Nullable<Text>,
        batch_id -> BigInt,
        /// migrations/*/2026-12-01-000009_cross_checks: male, female_55, female_50 or NULL.
        retirement_category -> Nullable<Text>,
    }
}

diesel::table! {
    cards (card_no) {
        card_no -> Text,
        ssn -> Text,
        card_id_code -> Text,
        region_code -> Text,
        spec_version -> Text,
        issued_on -> Date,
        expires_on -> Date,
        status -> Text,
        batch_id -> BigInt,
    }
}

diesel::table! {
    enrolments (ssn, insurance, employer_code, started_on) {
        ssn -> Text,
        insurance -> Text,
        employer_code -> Text,
        started_on -> Date,
        employer_name -> Text,
        region_code -> Text,
        ended_on -> Nullable<Date>,
        status -> Text,
        batch_id -> BigInt,
    }
}

diesel::table! {
    contributions (ssn, insurance, period) {
        ssn -> Text,
        insurance -> Text,
        period -> Integer,
        base -> BigInt,
        employer_amount -> BigInt,
        personal_amount -> BigInt,
        paid_on -> Nullable<Date>,
        employer_code -> Text,
        status -> Text,
        batch_id -> BigInt,
    }
}

diesel::table! {
    benefits (ssn, benefit, insurance, period) {
        ssn -> Text,
        benefit -> Text,
        /// migrations/*/2026-12-01-000009_cross_checks: the paying scheme, '' when not stated.
        insurance -> Text,
        period -> Integer,
        amount -> BigInt,
        paid_on -> Nullable<Date>,
        batch_id -> BigInt,
    }
}

diesel::table! {
    employment_registrations (ssn, kind, employer_code, registered_on) {
        ssn -> Text,
        kind -> Text,
        employer_code -> Text,
        registered_on -> Date,
        employer_name -> Text,
        ended_on -> Nullable<Date>,
        batch_id -> BigInt,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    import_batches,
    persons,
    cards,
    enrolments,
    contributions,
    benefits,
    employment_registrations,
);

// Certificates and printing (issue 4): migrations/*/2026-11-26-000002_certificates.

diesel::table! {
    certificate_keys (key_id) {
        key_id -> Text,
        public_key -> Text,
        first_used_at -> Timestamp,
    }
}

diesel::table! {
    certificates (serial) {
        serial -> Text,
        ssn -> Text,
        key_id -> Text,
        issued_at -> Timestamp,
        content -> Text,
        digest -> Text,
        signature -> Text,
        revoked_at -> Nullable<Timestamp>,
        revoke_reason -> Nullable<Text>,
        supersedes -> Nullable<Text>,
        superseded_by -> Nullable<Text>,
        /// migrations/*/2026-11-26-000003_certificate_kind: `contribution` or `benefit`.
        kind -> Text,
    }
}

diesel::table! {
    certificate_verifications (id) {
        id -> BigInt,
        serial -> Text,
        verified_at -> Timestamp,
        result -> Text,
    }
}

diesel::table! {
    print_jobs (id) {
        id -> BigInt,
        serial -> Text,
        ssn -> Text,
        printer -> Text,
        state -> Text,
        attempts -> Integer,
        last_error -> Nullable<Text>,
        pdf -> Binary,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        next_attempt_at -> Timestamp,
        printer_job_id -> Nullable<Integer>,
        expires_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    audit_log (seq) {
        seq -> BigInt,
        at -> Timestamp,
        actor -> Text,
        action -> Text,
        subject_ssn -> Nullable<Text>,
        purpose -> Nullable<Text>,
        result -> Text,
        detail -> Nullable<Text>,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::table! {
    audit_head (id) {
        id -> Integer,
        seq -> BigInt,
        hash -> Text,
    }
}

// Window staff (issue 6): migrations/*/2026-11-27-000005_staff, must_change_password from
// 2026-11-27-000006_password_change.

diesel::table! {
    staff (id) {
        id -> BigInt,
        username -> Text,
        display_name -> Text,
        window_no -> Nullable<Text>,
        role -> Text,
        password_hash -> Text,
        disabled -> Bool,
        failed_logins -> Integer,
        locked_until -> Nullable<Timestamp>,
        created_at -> Timestamp,
        password_changed_at -> Timestamp,
        must_change_password -> Bool,
    }
}

diesel::table! {
    staff_sessions (token_hash) {
        token_hash -> Text,
        staff_id -> BigInt,
        csrf_token -> Text,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::joinable!(staff_sessions -> staff (staff_id));
diesel::allow_tables_to_appear_in_same_query!(staff, staff_sessions);

diesel::table! {
    login_failures (id) {
        id -> BigInt,
        username -> Text,
        address -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    eligibility_certifications (ssn, year) {
        ssn -> Text,
        year -> Integer,
        method -> Text,
        staff_username -> Text,
        certified_at -> Timestamp,
    }
}

diesel::table! {
    window_requests (idempotency_key) {
        idempotency_key -> Text,
        staff_id -> BigInt,
        action -> Text,
        response -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

// Terminals of the service hall: migrations/*/2026-11-27-000007_devices.

diesel::table! {
    devices (name) {
        name -> Text,
        kind -> Text,
        reader -> Text,
        configured_printer -> Text,
        state -> Text,
        printer_state -> Text,
        last_seen -> Timestamp,
        in_service -> Bool,
        note -> Text,
        printer_override -> Nullable<Text>,
        changed_by -> Nullable<Text>,
        changed_at -> Nullable<Timestamp>,
    }
}

// Enrolled terminals (issue 10): migrations/*/2026-12-01-000008_terminals.

diesel::table! {
    terminal_enrolments (code_hash) {
        code_hash -> Text,
        name -> Text,
        kind -> Text,
        window_label -> Text,
        printer -> Nullable<Text>,
        created_by -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    terminals (name) {
        name -> Text,
        kind -> Text,
        window_label -> Text,
        printer -> Nullable<Text>,
        enrolled_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        revoked_by -> Nullable<Text>,
    }
}

diesel::table! {
    terminal_certificates (fingerprint) {
        fingerprint -> Text,
        terminal -> Text,
        serial -> Text,
        issued_at -> Timestamp,
        not_after -> Timestamp,
    }
}
diesel::allow_tables_to_appear_in_same_query!(terminals, terminal_certificates);
diesel::allow_tables_to_appear_in_same_query!(devices, terminals);

// Cross-checks (issue 12): migrations/*/2026-12-01-000009_cross_checks.

diesel::table! {
    deaths (ssn, source) {
        ssn -> Text,
        source -> Text,
        death_date -> Date,
        reported_on -> Date,
        batch_id -> BigInt,
    }
}

diesel::table! {
    batch_citizens (batch_id, ssn) {
        batch_id -> BigInt,
        ssn -> Text,
    }
}

diesel::table! {
    check_runs (id) {
        id -> BigInt,
        started_at -> Timestamp,
        finished_at -> Timestamp,
        since_batch -> Nullable<BigInt>,
        up_to_batch -> BigInt,
        citizens -> BigInt,
        hits -> BigInt,
        opened -> BigInt,
        actor -> Text,
    }
}

diesel::table! {
    fund_cases (id) {
        id -> BigInt,
        rule -> Text,
        ssn -> Text,
        anchor -> Text,
        first_month -> Integer,
        last_month -> Integer,
        amount_at_risk -> BigInt,
        evidence -> Text,
        state -> Text,
        opened_at -> Timestamp,
        last_seen_run -> BigInt,
        updated_at -> Timestamp,
        updated_by -> Nullable<Text>,
        recover_amount -> Nullable<BigInt>,
        recovered_amount -> Nullable<BigInt>,
        note -> Nullable<Text>,
    }
}

// The service hall (issue 15): migrations/*/2026-12-01-000011_service_hall.

diesel::table! {
    catalogue_versions (version) {
        version -> Integer,
        loaded_at -> Timestamp,
        loaded_by -> Text,
        source_sha256 -> Text,
        item_count -> Integer,
        document -> Text,
    }
}

diesel::table! {
    hall_counters (day, prefix) {
        day -> Date,
        prefix -> Text,
        last_number -> Integer,
    }
}

diesel::table! {
    hall_tickets (id) {
        id -> BigInt,
        day -> Date,
        number -> Text,
        item_code -> Text,
        catalogue_version -> Integer,
        ssn -> Nullable<Text>,
        consent -> Nullable<Text>,
        priority -> Integer,
        priority_reason -> Nullable<Text>,
        state -> Text,
        window_no -> Nullable<Text>,
        clerk -> Nullable<Text>,
        recalls -> Integer,
        issued_at -> Timestamp,
        queued_at -> Timestamp,
        public_ref -> Text,
    }
}

diesel::table! {
    hall_periods (id) {
        id -> BigInt,
        ticket_id -> BigInt,
        kind -> Text,
        started_at -> Timestamp,
        ended_at -> Nullable<Timestamp>,
        window_no -> Nullable<Text>,
        clerk -> Nullable<Text>,
    }
}

diesel::table! {
    hall_calls (id) {
        id -> BigInt,
        ticket_id -> BigInt,
        number -> Text,
        window_no -> Text,
        recall -> Bool,
        called_at -> Timestamp,
    }
}

diesel::table! {
    hall_ratings (id) {
        id -> BigInt,
        ticket_id -> BigInt,
        level -> Integer,
        reason -> Nullable<Text>,
        comment -> Nullable<Text>,
        channel -> Text,
        rated_at -> Timestamp,
        item_code -> Text,
        window_no -> Nullable<Text>,
        clerk -> Nullable<Text>,
    }
}

diesel::table! {
    hall_cases (id) {
        id -> BigInt,
        rating_id -> BigInt,
        opened_at -> Timestamp,
        due_on -> Date,
        state -> Text,
        callback_note -> Nullable<Text>,
        fix_note -> Nullable<Text>,
        closed_at -> Nullable<Timestamp>,
        closed_by -> Nullable<Text>,
        appeal_note -> Nullable<Text>,
        appeal_state -> Nullable<Text>,
        appeal_decided_by -> Nullable<Text>,
    }
}
diesel::allow_tables_to_appear_in_same_query!(hall_tickets, hall_periods, hall_ratings, hall_cases);
