// The record's unemployment-benefit entitlement and pension projection at the window (issue 12):
// the citizen's own wording, and the conditions with what the data cannot tell.

import { el } from './app.js';

const CONDITION_ZH = {
  contributed_one_year: '失业前累计缴费满一年',
  separation: '已终止就业',
  involuntary_separation: '非因本人意愿中断就业',
  unemployment_registration: '已办理失业登记',
};

function met(c) {
  if (c.met === null) return '数据中无法判断';
  return c.met ? '符合' : '不符合';
}

export function entitlementSection(record) {
  const u = record.unemployment_entitlement;
  const p = record.pension_projection;
  const parts = [];
  if (u) {
    parts.push(el('h4', {}, '失业保险金'));
    if (u.status === 'computed') {
      parts.push(el('p', {}, u.wording_zh),
        el('ul', {}, u.conditions.map((c) => el('li', {}, `${CONDITION_ZH[c.code] ?? c.code}：${met(c)}`))),
        el('p', {}, `尚可领取 ${u.months_left} 个月${u.carried_over_months ? `（含上次未领完的 ${u.carried_over_months} 个月）` : ''}${u.until_retirement_month ? `；临近退休，可领至 ${u.until_retirement_month}` : ''}`));
    } else {
      parts.push(el('p', { class: 'error' }, `无法计算：${u.reason}`));
    }
  }
  if (p) {
    parts.push(el('h4', {}, '退休年龄与最低缴费年限'));
    if (p.status === 'computed') {
      if (!p.category_known) parts.push(el('p', {}, '人员类别（原法定退休年龄 50 或 55 周岁）未知，两种情况均列出：'));
      parts.push(el('ul', {}, p.answers.map((a) => el('li', {}, `${a.wording_zh}（弹性提前最早 ${a.earliest_flexible}，弹性延迟最晚 ${a.latest_flexible}）`))));
    } else {
      parts.push(el('p', { class: 'error' }, `无法计算：${p.reason}`));
    }
  }
  return parts.length ? el('section', { class: 'entitlement' }, parts) : '';
}
