// Parts of the window's record view that tell the same story as the kiosk and the certificate:
// the gap and arrears lines, a pensioner's status, benefit payments, employment registrations.

import { el } from './app.js';

const ENROLMENT_ZH = { active: '参保缴费', suspended: '暂停缴费', terminated: '终止参保' };

export function table(caption, head, rows) {
  return el('table', {}, el('caption', {}, caption),
    el('thead', {}, el('tr', {}, head.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, rows.map((r) => el('tr', {}, r.map((c) => el('td', {}, c))))));
}

// The same wording as the kiosk and the certificate: one line per gap or arrears.
export function problemsSection(r) {
  if (!r.problems || !r.problems.length) return el('p', { class: 'ok-line' }, '缴费情况：没有断缴或欠缴。');
  const advice = { ask_about_back_pay: '（可咨询补缴）', contact_employer: '（请单位补缴）' };
  return el('div', { class: 'problems' }, el('h4', {}, '缴费提示（与自助机、证明一致）'),
    el('ul', {}, r.problems.map((x) => el('li', { class: x.kind }, `${x.wording_zh}${advice[x.advice] || ''}`))));
}

function pensioner(r) {
  return r.benefits.some((b) => b.benefit === 'basic_pension') && !(r.deaths && r.deaths.length);
}

export function statusZh(r, i) {
  if (i.status === 'terminated' && pensioner(r)) return '已退休（领取养老金）';
  return ENROLMENT_ZH[i.status] || i.status || '-';
}

export function paymentsSection(r) {
  const rows = r.benefits.flatMap((b) => b.payments.slice(-12).reverse().map((p) => [b.name_zh, p.period, p.amount, p.paid_on || '-']));
  if (!rows.length) return '';
  return el('details', { class: 'payments' }, el('summary', {}, '待遇发放明细（最近12个月）'),
    table('待遇发放明细', ['待遇', '月份', '金额（元）', '发放日期'], rows));
}

export function employmentSection(r) {
  if (!r.employment.length) return '';
  const KIND = { employment: '就业登记', unemployment: '失业登记' };
  return el('details', { class: 'employment' }, el('summary', {}, '就业失业登记'),
    table('就业失业登记', ['类型', '单位', '登记日期', '终止日期'], r.employment.map((e) => [KIND[e.kind] || e.kind, e.employer_name || '-', e.registered_on, e.ended_on || '至今'])));
}

