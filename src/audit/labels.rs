//! The audit log in words people read: Chinese names for the actions, actors and purposes that
//! the log stores as stable codes (the codes stay in the API for machines and exports).

/// "查看记录" for `record.view`; an unknown action is shown as it is stored, never dropped.
pub fn action_zh(action: &str) -> &str {
    match action {
        "record.view" => "查看记录",
        "record.search" => "查询人员",
        "certificate.issue" => "出具证明",
        "certificate.print" => "打印证明",
        "certificate.reissue" => "重新出具证明",
        "certificate.revoke" => "撤销证明",
        "certificate.verify" => "核验证明",
        "card.proof" => "刷卡核验",
        "card.pin" => "社保卡密码核验",
        "card.temp_loss" => "社保卡临时挂失",
        "card.release" => "社保卡解除挂失",
        "card.lost" => "社保卡正式挂失",
        "eligibility.certify" => "领取待遇资格认证",
        "print.view" => "查看打印任务",
        "print.retry" => "重试打印",
        "print.cancel" => "取消打印",
        "print.redirect" => "改送其他打印机",
        "print.limit_override" => "放宽打印次数",
        "staff.login" => "工作人员登录",
        "staff.logout" => "工作人员退出",
        "staff.denied" => "越权操作被拒绝",
        "staff.create" => "新增工作人员",
        "staff.disable" => "停用账户",
        "staff.enable" => "启用账户",
        "staff.unlock" => "解除锁定",
        "staff.role" => "变更角色",
        "staff.password" => "修改密码",
        "staff.password_reset" => "重置密码",
        "audit.search" => "查询审计日志",
        "audit.export" => "导出审计日志",
        "case.view" => "查看稽核线索",
        "case.review" => "复核稽核线索",
        "case.confirm" => "确认稽核线索",
        "case.clear" => "排除稽核线索",
        "case.recovered" => "追回基金",
        "case.export" => "导出稽核线索",
        "checks.run" => "运行基金稽核",
        "device.update" => "设置终端",
        "terminal.enrol_code" => "生成终端登记码",
        "terminal.enrol" => "登记终端",
        "terminal.renew" => "更新终端证书",
        "terminal.revoke" => "吊销终端",
        other => other,
    }
}

/// "开具证明：单位要求" for `certificate: 单位要求`; the purpose codes are the window's
/// (window::purpose) plus the kiosk's own.
pub fn purpose_zh(purpose: &str) -> String {
    let (code, text) = match purpose.split_once(": ") {
        Some((code, text)) => (code, Some(text)),
        None => (purpose, None),
    };
    let name = match code {
        "citizen_request" => "本人申请办理",
        "certificate" => "开具证明",
        "card_service" => "社保卡服务",
        "benefit_review" => "待遇审核",
        "other" => "其他",
        "citizen_self_service" => "本人自助查询",
        _ => return purpose.to_string(),
    };
    match text {
        Some(text) => format!("{name}：{text}"),
        None => name.to_string(),
    }
}

/// The actor in words without a store lookup: `staff:NAME` → "工作人员 NAME", a kiosk, the
/// verification page, the command line.
pub fn actor_zh(actor: &str) -> String {
    match actor.split_once(':') {
        Some(("staff", name)) => format!("工作人员 {name}"),
        Some(("kiosk", terminal)) => format!("自助终端 {terminal}"),
        Some(("terminal", terminal)) => format!("终端 {terminal}"),
        Some(("cli", _)) => "系统后台（命令行）".to_string(),
        _ if actor == "public" => "证明核验（扫码查验）".to_string(),
        _ => "系统后台".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_in_chinese_and_unknown_ones_survive() {
        assert_eq!(action_zh("record.view"), "查看记录");
        assert_eq!(action_zh("future.thing"), "future.thing");
        assert_eq!(purpose_zh("certificate: 单位要求"), "开具证明：单位要求");
        assert_eq!(purpose_zh("citizen_self_service"), "本人自助查询");
        assert_eq!(actor_zh("public"), "证明核验（扫码查验）");
        assert_eq!(actor_zh("staff:clerk1"), "工作人员 clerk1");
    }
}
