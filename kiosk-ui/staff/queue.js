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
    el('div', { id: 'queue-figures', hidden: true },
      el('h3', {}, '大厅统计（主管）'),
      el('p', { id: 'queue-figures-summary' }),
      el('div', { id: 'queue-chart' }),
      el('p', {}, '上条（深蓝）：等候时长中位数；下条（橙色）：办理时长中位数；括号内为取号数。'),
      el('p', {}, el('a', { href: '/api/staff/hall/figures.csv', download: 'hall-figures.csv' }, '下载 CSV'))),
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

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attrs, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Bars of waiting and service p50 (minutes) per item, drawn as SVG. */
function chart(rows) {
  const byItem = new Map();
  for (const r of rows) {
    const a = byItem.get(r.item_code) ?? { wait: 0, service: 0, n: 0 };
    a.wait = Math.max(a.wait, r.wait_p50);
    a.service = Math.max(a.service, r.service_p50);
    a.n += r.issued;
    byItem.set(r.item_code, a);
  }
  const items = [...byItem.entries()];
  const max = Math.max(1, ...items.flatMap(([, a]) => [a.wait, a.service]));
  const rowH = 28;
  const root = svg('svg', { width: '640', height: String(items.length * rowH + 30), role: 'img', 'aria-labelledby': 'queue-chart-title' });
  root.append(svg('title', { id: 'queue-chart-title' }, '各事项等候与办理时长（中位数，分钟）'));
  items.forEach(([code, a], i) => {
    const y = i * rowH + 10;
    root.append(svg('text', { x: '0', y: String(y + 14), 'font-size': '12' }, `${code}（${a.n}）`));
    root.append(svg('rect', { x: '170', y: String(y), width: String((a.wait / max) * 400), height: '10', fill: '#0b3d6e' }));
    root.append(svg('rect', { x: '170', y: String(y + 11), width: String((a.service / max) * 400), height: '10', fill: '#b45309' }));
    root.append(svg('text', { x: String(175 + (Math.max(a.wait, a.service) / max) * 400), y: String(y + 14), 'font-size': '12' }, `等候 ${a.wait} / 办理 ${a.service}`));
  });
  return root;
}

async function figures() {
  let rows;
  try {
    rows = await api('GET', '/api/staff/hall/figures');
  } catch (e) {
    $('#queue-figures').hidden = true; // not a supervisor
    return;
  }
  const cases = await api('GET', '/api/staff/hall/cases');
  $('#queue-figures').hidden = false;
  const served = rows.reduce((n, r) => n + r.served, 0);
  const rated = rows.reduce((n, r) => n + r.ratings, 0);
  const good = rows.reduce((n, r) => n + r.good_rate * r.ratings, 0);
  $('#queue-figures-summary').textContent = `今日取号 ${rows.reduce((n, r) => n + r.issued, 0)}，办结 ${served}，过号 ${rows.reduce((n, r) => n + r.no_shows, 0)}，好评率 ${rated ? Math.round((good / rated) * 100) : '—'}%；差评整改 ${cases.filter((c) => c.state === 'open').length} 件未办结，${cases.filter((c) => c.overdue).length} 件超期`;
  $('#queue-chart').replaceChildren(chart(rows));
}

function show() {
  for (const s of document.querySelectorAll('main > section')) s.hidden = s.id !== 'queue-view';
  refresh().catch(fail);
  figures().catch(() => {});
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
