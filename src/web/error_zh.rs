//! A Chinese sentence for every error code the API returns (review W1): the staff page and the
//! kiosk show it instead of the English `message`, so no clerk or citizen meets English on a
//! Chinese page. A unit test reads the sources and fails when a code has no sentence here.

/// The sentence for `code`; an unknown code (none should exist, see the test) gets a general
/// one that still says what to do.
pub fn message_zh(code: &str) -> &'static str {
    match code {
        // generic
        "not_found" => "没有找到要查的内容，请核对后重试。",
        "unavailable" => "系统暂时不可用，请稍后再试；如持续出现，请联系系统管理员。",
        "internal" => "系统内部出错，本次操作没有完成，请稍后再试或联系系统管理员。",
        "request_timeout" => "请求超时，网络可能较慢，请重试。",
        "conflict" => "当前状态不允许此操作（可能已被他人处理），请刷新后再试。",
        "invalid_input" => "输入有误，请按提示核对后重新填写。",
        "invalid_json" | "invalid_body" | "invalid_query" => {
            "请求格式有误，请刷新页面后重试；如持续出现，请联系系统管理员。"
        }
        "body_too_large" | "file_too_large" => "提交的内容或文件太大，请缩小后重试。",
        "rate_limited" => "操作过于频繁，请稍后再试。",
        "too_many_connections" => "连接过多，请稍后再试。",
        "host_not_allowed" => "访问地址不正确，请使用本单位公布的网址。",
        "origin_not_allowed" => "请求来源不被允许，请从本系统页面操作。",
        // staff sign-in and accounts
        "bad_credentials" => "用户名或密码错误。",
        "account_locked" => "密码错误次数过多，账户已临时锁定，请稍后再试或请主管解锁。",
        "not_signed_in" => "登录已失效，请重新登录。",
        "csrf_failed" => "页面已过期，请刷新后重试。",
        "role_required" => "您的角色无权进行此操作。",
        "password_change_required" => "请先设置您自己的密码。",
        "wrong_password" => "当前密码不正确。",
        "weak_password" => "新密码太简单：至少12位，且不能是常见密码或与用户名相近。",
        "same_password" => "新密码不能与当前密码相同。",
        "username_taken" => "该用户名已被使用，请换一个。",
        "invalid_account" => "账户信息有误，请核对用户名、姓名、角色和窗口号。",
        "last_admin" => "不能停用或降级最后一名管理员，也不能停用或降级您自己的管理员账户。",
        // the window
        "invalid_ssn" => "身份证号码有误，请核对。",
        "invalid_insurance" => "险种代码有误，请重新选择。",
        "idempotency_key_reused" => "该操作已提交过，请勿重复提交。",
        "print_limit_reached" => "本月打印次数已用完。窗口可由柜员或主管填写原因后放宽一次。",
        "print_limit_reason_required" => "放宽打印次数须填写原因。",
        "reader_unavailable" => "本窗口的读卡器不可用，请检查读卡器或改用身份证号码查询。",
        "card_unreadable" => "读卡失败，请重新插卡。",
        "case_state" => "该稽核线索的状态已变化，请刷新后再处理。",
        "import_refused" => "文件未能导入：格式或表头不符，请按导入说明核对。",
        "certificate_revoked" => "该证明已撤销，不能再打印或重新出具。",
        "certificate_request_invalid" => "证明申请有误，请核对证明种类、险种和期间。",
        "invalid_item" => "所选险种或待遇有误，请重新选择。",
        "invalid_month" => "期间有误，请按“年-月”选择，且起始月份不能晚于结束月份。",
        "nothing_to_certify" => "所选期间内没有可证明的记录，请选择其他期间。",
        "not_failed" => "只有打印失败的任务可以重试。",
        "print_job_state" => "该打印任务已完成或已取消，不能再更改。",
        "printer_not_allowed" => "该打印机地址不在允许的打印机列表中。",
        "printer_unavailable" => "打印机维护中，暂不能打印，请到窗口打印。",
        "seal_missing" => "未配置电子印章，本机不能打印证明，请到窗口办理。",
        // terminals and the kiosk
        "invalid_device" | "invalid_terminal" => "终端信息有误，请核对名称、类型和窗口号。",
        "wrong_terminal_kind" => "该终端类型不能进行此操作。",
        "terminal_not_enrolled" => "该终端尚未登记，请联系管理员登记。",
        "terminal_revoked" => "该终端已被吊销，请联系管理员。",
        "terminal_certificate_required" => "终端证书缺失，请重新登记终端。",
        "enrolment_invalid" => "终端登记申请有误。",
        "enrolment_code_refused" => "登记码无效、已使用或已过期，请向管理员重新索取。",
        "enrolment_rate_limited" => "登记尝试过多，请稍后再试。",
        "card_request_invalid" => "读卡数据有误，请重新插卡。",
        "card_challenge_unknown" => "读卡核验已过期，请重新插卡。",
        "card_proof_failed" => "社保卡核验未通过，请重新插卡；如仍失败，请到窗口办理。",
        "card_proof_required" => "请保持社保卡插在读卡器中，正在重新核验。",
        "kiosk_card_blocked" => "社保卡密码已锁定，请带身份证到窗口解锁。",
        "kiosk_client_not_allowed" => "本机不允许访问自助服务。",
        "kiosk_session_required" => "请先插入社保卡。",
        "kiosk_session_ended" => "本次服务已结束，请重新插卡。",
        "kiosk_nothing_to_restart" => "请重新插入社保卡。",
        "pin_required" => "请先输入社保卡密码。",
        "pin_invalid" => "密码为6位数字，请重新输入。",
        "no_pin_pending" => "当前不需要输入密码。",
        // the service hall (its own messages are Chinese already and are shown instead)
        "catalogue_refused" => "事项目录文件有误，未导入，原目录继续有效。",
        "unknown_item" => "没有这个办事事项。",
        "not_offered" => "该事项不在此处取号。",
        "consent_required" => "取号前须同意窗口工作人员查看您的信息。",
        "ticket_held" => "您已持有该事项的号，请等候叫号。",
        "ticket_state" => "这张号的状态不允许此操作，请刷新后再试。",
        "ticket_elsewhere" => "这张号正在其他窗口办理。",
        "too_soon" => "操作过于频繁，请稍后再重呼。",
        "hall_refused" => "此操作未被接受。",
        "no_window" => "您的账户没有窗口号，请管理员设置后再叫号。",
        "invalid_range" => "日期范围有误，请重新选择。",
        _ => "操作没有完成，请稍后再试或联系工作人员。",
    }
}

#[cfg(test)]
mod tests {
    use super::message_zh;
    use std::path::Path;

    /// Codes that look like error codes in the sources but are not errors (the conditions of
    /// the unemployment entitlement, reported as data).
    const NOT_ERRORS: &[&str] = &[
        // certificate preset codes (kiosk) and a test's item code
        "all",
        "benefit",
        "pension",
        "x",
        "contributed_one_year",
        "involuntary_separation",
        "separation",
        "unemployment_registration",
    ];

    fn codes_in(dir: &Path, found: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                codes_in(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for marker in ["code: \"", "unprocessable(\""] {
                    for (at, _) in text.match_indices(marker) {
                        let rest = &text[at + marker.len()..];
                        let code: String = rest
                            .chars()
                            .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                            .collect();
                        if rest[code.len()..].starts_with('"') && !code.is_empty() {
                            found.push(code);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn every_error_code_in_the_sources_has_a_chinese_sentence() {
        let mut codes = Vec::new();
        codes_in(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut codes,
        );
        codes.sort();
        codes.dedup();
        assert!(codes.len() > 30, "the scan found too few codes: {codes:?}");
        let general = message_zh("no_such_code_at_all");
        let missing: Vec<&String> = codes
            .iter()
            .filter(|c| !NOT_ERRORS.contains(&c.as_str()) && message_zh(c) == general)
            .collect();
        assert!(missing.is_empty(), "no Chinese sentence for: {missing:?}");
    }
}
