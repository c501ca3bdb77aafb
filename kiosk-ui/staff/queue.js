// 叫号 (the window's queue panel): the clerk's current ticket and the waiting list of the items
// this window serves; 叫号, 重呼, 开始办理, 暂停/继续, 完成, 过号, 转移; no-shows to reactivate;
// an unbound ticket for a citizen without a card (导服台取号). A called ticket bound to a card
// opens that citizen's record with the item's purpose (the server audits the look, and shows it
// only while the ticket is this clerk's). It adds its own tab and section to the page.

import { api } from './api.js';
import { el, say, fail } from './app.js';

const $ = (sel) => document.querySelector(sel);
const ACTIONS = {
  called: [['recall', '重呼'], ['start', '开始办理'], ['no_show', '过号']],
  serving: [['hold', '暂停'], ['finish', '完成']],
  held: [['resume', '继续办理'], ['finish', '完成']],
};
const PURPOSE_ZH = { citizen_request: '本人申请办理', certificate: '开具证明', card_service: '社保卡服务', benefit_review: '待遇审核', other: '其他' };
const ENROLMENT_ZH = { active: '参保缴费', suspended: '暂停缴费', terminated: '终止参保' };
let timer = null;

function section() {
  return el('section', { id: 'queue-view', hidden: true, 'aria-labelledby': 'queue-title' },
    el('h2', { id: 'queue-title' }, '叫号'),
    el('p', { id: 'queue-window' }),
    el('div', { id: 'queue-current', role: 'status', 'aria-live': 'polite' }),
    el('div', { class: 'queue-buttons' },
      el('button', { type: 'button', id: 'queue-call' }, '叫号（下一位）')),
    el('div', { id: 'queue-record' }),
    el('h3', {}, '等候中'),
    el('table', { id: 'queue-waiting' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, '号码'), el('th', { scope: 'col' }, '事项'), el('th', { scope: 'col' }, '优先'))),
      el('tbody')),
    el('h3', {}, '今日过号'),
    el('table', { id: 'queue-no-shows' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, '号码'), el('th', { scope: 'col' }, '事项'), el('th', { scope: 'col' }, '操作'))),
      el('tbody')),
    el('h3', {}, '导服台取号（无社保卡）'),
    el('form', { id: 'queue-desk' },
      el('label', {}, '事项 ', el('select', { name: 'item', id: 'queue-desk-item' })),
      el('label', {}, el('input', { type: 'checkbox', name: 'green_channel' }), ' 绿色通道'),
      el('button', { type: 'submit' }, '取号并打印')));
}

async function act(id, action) {
  const t = await api('POST', `/api/staff/hall/tickets/${id}/act`, { action });
  say(`${t.number}：${t.state_zh}`);
  if (t.state === 'done' || t.state === 'no_show') $('#queue-record').replaceChildren();
  await refresh();
}

async function openRecord(current) {
  const answer = await api('GET', '/api/staff/hall/record');
  const r = answer.record;
  if (!r) {
    $('#queue-record').replaceChildren(el('p', {}, '记录中没有此人。'));
    return;
  }
  $('#queue-record').replaceChildren(el('div', { class: 'banner', id: 'queue-citizen' },
    el('p', {}, `${current.number} 绑定社保卡：${r.person.name}（${r.person.gender === 'female' ? '女' : '男'}）`),
    el('p', {}, `查询事由：${PURPOSE_ZH[current.purpose] ?? current.purpose}（${current.item_name}），已记入审计日志`),
    el('ul', {}, r.insurances.map((i) => el('li', {}, `${i.name_zh}：${ENROLMENT_ZH[i.status] ?? i.status ?? '—'}，最近缴费 ${i.last_paid_month ?? '—'}`)))));
}

function transferForm(current, items) {
  const item = el('select', { name: 'item', 'aria-label': '转入事项' },
    items.filter((i) => i.code !== current.item_code).map((i) => el('option', { value: i.code }, i.name)));
  const windowNo = el('input', { name: 'window', size: '3', 'aria-label': '指定窗口（可不填）', placeholder: '窗口' });
  const send = el('button', { type: 'button', class: 'secondary' }, '转移');
  send.addEventListener('click', () => api('POST', `/api/staff/hall/tickets/${current.id}/transfer`,
    { item: item.value, window: windowNo.value.trim() || null })
    .then((t) => { say(`${t.number} 已转至${t.item_name}`); $('#queue-record').replaceChildren(); return refresh(); })
    .catch(fail));
  return el('span', { class: 'queue-transfer' }, item, windowNo, send);
}

function renderCurrent(panel) {
  const c = panel.current;
  const box = $('#queue-current');
  $('#queue-call').disabled = Boolean(c);
  if (!c) {
    box.replaceChildren(el('p', {}, '当前没有正在办理的号。'));
    return;
  }
  const buttons = (ACTIONS[c.state] || []).map(([action, label]) =>
    el('button', { type: 'button', 'data-action': action, onclick: () => act(c.id, action).catch(fail) }, label));
  box.replaceChildren(
    el('p', { class: 'queue-number' }, `${c.number} · ${c.item_name} · ${c.state_zh}${c.recalls ? `（已重呼${c.recalls}次）` : ''}${c.priority_reason ? ` · ${c.priority_reason}` : ''}`),
    el('div', { class: 'queue-buttons' }, buttons, transferForm(c, panel.items)));
  if (c.bound && !$('#queue-citizen')) openRecord(c).catch(fail);
}

async function refresh() {
  const panel = await api('GET', '/api/staff/hall/panel');
  $('#queue-window').textContent = `${panel.window}号窗口`;
  renderCurrent(panel);
  $('#queue-waiting tbody').replaceChildren(...panel.waiting.map((w) => el('tr', {},
    el('td', {}, w.number), el('td', {}, w.item_name), el('td', {}, w.priority_reason ?? ''))));
  $('#queue-no-shows tbody').replaceChildren(...panel.no_shows.map((w) => el('tr', {},
    el('td', {}, w.number), el('td', {}, w.item_name),
    el('td', {}, el('button', { type: 'button', class: 'secondary', onclick: () =>
      api('POST', `/api/staff/hall/tickets/${w.id}/reactivate`).then(() => refresh()).catch(fail) }, '恢复排队')))));
  const desk = $('#queue-desk-item');
  if (!desk.options.length) desk.replaceChildren(...panel.items.map((i) => el('option', { value: i.code }, i.name)));
}

function show() {
  for (const s of document.querySelectorAll('main > section')) s.hidden = s.id !== 'queue-view';
  refresh().catch(fail);
  clearInterval(timer);
  timer = setInterval(() => { if (!$('#queue-view').hidden) refresh().catch(() => {}); }, 5000);
}

const nav = document.querySelector('nav[aria-label="功能"]');
const tab = el('button', { type: 'button', 'data-view': 'queue' }, '叫号');
nav.insertBefore(tab, nav.querySelector('[data-view=password]'));
document.querySelector('main').append(section());
tab.addEventListener('click', show);
$('#queue-call').addEventListener('click', () => api('POST', '/api/staff/hall/call', {})
  .then((t) => { say(`已叫号：${t.number}（${t.item_name}）`); $('#queue-record').replaceChildren(); return refresh(); })
  .catch(fail));
$('#queue-desk').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const f = new FormData(ev.target);
  api('POST', '/api/staff/hall/tickets', { item: f.get('item'), green_channel: f.get('green_channel') === 'on' })
    .then((t) => { say(`已取号 ${t.number}（${t.item_name}），号票正在打印`); return refresh(); })
    .catch(fail);
});
