// 基金稽核 (supervisors): the fund-safety worklist — pending cases by rule, amount or age, a case
// page with its evidence side by side by source, the decisions (暂停发放核查 → 确认追回 / 排除),
// the figures per rule and the CSV for the paying system. The server audits every look and change.

import { api } from './api.js';
import { el, say, fail } from './app.js';

const STATE_ZH = { open: '待处理', under_review: '核查中（已申请暂停发放）', confirmed: '已确认', cleared: '已排除' };
const TABLE_ZH = {
  benefits: '待遇发放', contributions: '缴费记录', employment_registrations: '就业/失业登记',
  deaths: '死亡信息', cards: '社保卡',
};
const $ = (sel) => document.querySelector(sel);

function cells(values) {
  return el('tr', {}, values.map((v) => el('td', {}, v)));
}

async function loadFigures() {
  const figures = await api('GET', '/api/staff/cases/figures');
  $('#case-figures tbody').replaceChildren(...figures.map((f) => cells([
    f.rule_name_zh, String(f.cases), String(f.pending), f.amount_at_risk, String(f.confirmed), f.to_recover, f.recovered, String(f.cleared),
  ])));
}

async function loadCases() {
  const f = new FormData($('#cases-form'));
  const query = new URLSearchParams();
  for (const k of ['state', 'rule', 'sort']) if (f.get(k)) query.set(k, f.get(k));
  const list = await api('GET', `/api/staff/cases?${query}`);
  $('#cases tbody').replaceChildren(...list.map((c) => {
    const open = el('button', { type: 'button', class: 'secondary', onclick: () => openCase(c.id).catch(fail) }, '查看');
    return cells([String(c.id), c.rule_name_zh, `${c.name ?? ''} ${c.ssn}`, `${c.first_month ?? ''}–${c.last_month ?? ''}`,
      c.amount_at_risk, STATE_ZH[c.state] ?? c.state, c.opened_at.slice(0, 10), open]);
  }));
  await loadFigures();
  say(list.length ? `共 ${list.length} 件。` : '没有符合条件的事项。');
}

function decision(c) {
  const note = el('input', { name: 'note', maxlength: '500', size: '40' });
  const amount = el('input', { name: 'amount', inputmode: 'decimal', size: '12', placeholder: '元' });
  const send = (action) => async () => {
    try {
      const body = { action, note: note.value || null, amount: amount.value || null };
      const updated = await api('POST', `/api/staff/cases/${c.id}/state`, body);
      render(updated);
      say(`事项 ${c.id}：${STATE_ZH[updated.state]}。`);
      await loadCases();
    } catch (e) { fail(e); }
  };
  const buttons = {
    open: [['review', '申请暂停发放并核查'], ['clear', '排除（填写原因）']],
    under_review: [['confirm', '确认（填写追回金额和依据）'], ['clear', '排除（填写原因）']],
    confirmed: [['recovered', '登记已追回金额']],
    cleared: [],
  }[c.state];
  if (!buttons.length) return el('p', {}, `已排除：${c.note ?? ''}`);
  return el('div', { class: 'decision' },
    el('label', {}, '说明 / 依据 / 原因 ', note),
    el('label', {}, '金额 ', amount),
    buttons.map(([action, text]) => el('button', { type: 'button', onclick: send(action) }, text)));
}

function render(c) {
  // Evidence side by side: one column per kind of source row.
  const groups = {};
  for (const e of c.evidence) (groups[e.table] ??= []).push(e);
  const columns = Object.entries(groups).map(([table, rows]) => el('div', { class: 'evidence-column' },
    el('h4', {}, TABLE_ZH[table] ?? table),
    el('ul', {}, rows.map((e) => el('li', {},
      `${e.row}${e.amount != null ? '，' + (e.amount / 100).toFixed(2) + ' 元' : ''}`,
      el('br'), el('small', {}, `来源 ${e.source ?? '?'} · 批次 ${e.batch_id} · 导入 ${e.imported_at ?? '?'}`))))));
  $('#case').replaceChildren(
    el('h3', {}, `事项 ${c.id}：${c.rule_name_zh}`),
    el('p', {}, `${c.name ?? ''} ${c.ssn} · ${c.first_month ?? ''}–${c.last_month ?? ''} · 涉及金额 ${c.amount_at_risk} 元 · ${STATE_ZH[c.state]}`),
    c.recover_amount ? el('p', {}, `应追回 ${c.recover_amount} 元，已追回 ${c.recovered_amount ?? '0.00'} 元；依据：${c.note ?? ''}`) : '',
    c.updated_by ? el('p', {}, `最近处理：${c.updated_by}，${c.updated_at} UTC`) : '',
    el('div', { class: 'evidence' }, columns),
    decision(c));
  $('#case').hidden = false;
}

async function openCase(id) {
  render(await api('GET', `/api/staff/cases/${id}`));
}

/// The banner above a looked-up citizen's record (clerks see no detail).
export function fundSafetyBanner(answer) {
  const n = answer.fund_safety;
  if (!n) return '';
  const links = n.case_ids.map((id) => el('button', { type: 'button', class: 'secondary', onclick: () => {
    document.querySelector('nav [data-view=cases]').click();
    openCase(id).catch(fail);
  } }, `事项 ${id}`));
  return el('p', { class: 'banner', role: 'alert' }, n.message_zh, ...links);
}

$('#cases-form').addEventListener('submit', (ev) => { ev.preventDefault(); loadCases().catch(fail); });
document.querySelector('nav [data-view=cases]').addEventListener('click', () => loadCases().catch(fail));
