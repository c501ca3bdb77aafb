// 综合柜员工作台: login, lookup with purpose, record and actions, audit search, accounts.
// Plain DOM, no framework; every value from the server is set as text, never as HTML.
// An account with a temporary password (set by an admin) sees only the screen that replaces it:
// the server refuses everything else with password_change_required anyway.

import { api, upload, setCsrf, idempotencyKey, ApiError, bj, setTimeZone } from './api.js';
import { confirmAction, askReason } from './confirm.js';
import { fundSafetyBanner } from './cases.js';
import { entitlementSection } from './entitlement.js';
import { table, problemsSection, statusZh, paymentsSection, employmentSection } from './record_sections.js';

const $ = (sel) => document.querySelector(sel);
const ROLES = ['clerk', 'supervisor', 'admin'];
const ROLE_ZH = { clerk: '综合柜员', supervisor: '主管', admin: '管理员' };
const CARD_ZH = { active: '正常', temp_lost: '临时挂失', lost: '挂失', cancelled: '注销' };
let me = null;
let printRefresh = null;
let current = null; // the citizen on screen

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (v !== false && v !== null && v !== undefined) node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) node.append(c instanceof Node ? c : document.createTextNode(c ?? ''));
  return node;
}

// The result goes to the status line at the top and, when a button was clicked, right next to
// that button too, where the clerk is looking (review W2).
let lastButton = null;
document.addEventListener('click', (ev) => {
  const b = ev.target.closest?.('button');
  if (b) lastButton = b;
}, true);

export function say(text, kind = 'ok') {
  const m = $('#message');
  m.textContent = text;
  m.className = kind;
  document.querySelectorAll('.near-result').forEach((n) => n.remove());
  // A redraw may have replaced the button: find its successor by id.
  const target = lastButton && (lastButton.isConnected ? lastButton : lastButton.id && document.getElementById(lastButton.id));
  if (text && target && target.closest('#record, #accounts, #print-jobs, #devices-view, #audit-view')) {
    target.after(el('span', { class: `near-result ${kind}`, role: 'status' }, text));
  }
}

export function fail(e) {
  if (e instanceof ApiError && e.status === 401) {
    showLogin();
    say('登录已失效，请重新登录。', 'error');
    return;
  }
  if (e instanceof ApiError && e.code === 'password_change_required' && me) {
    // Reset by an admin while this page was open: the same screen as at sign-in.
    me.must_change_password = true;
    signedIn(me);
    say('请先设置您自己的密码。', 'error');
    return;
  }
  // The server's Chinese sentence; the code stays on the element for support staff and tests.
  say(e instanceof ApiError ? e.message : '操作没有完成，请稍后再试。', 'error');
  $('#message').dataset.code = e instanceof ApiError ? e.code : '';
}

function allowed(role) {
  return me && ROLES.indexOf(me.staff.role) >= ROLES.indexOf(role);
}

function show(view) {
  for (const s of document.querySelectorAll('main > section')) s.hidden = s.id !== `${view}-view`;
  if (view === 'lookup') $('#ssn').focus();
  if (view === 'accounts' && allowed('admin')) loadAccounts().catch(fail);
  if (view === 'print' && allowed('supervisor')) loadPrintJobs().catch(fail);
  // The queue refreshes itself while its tab is shown.
  clearInterval(printRefresh);
  if (view === 'print') printRefresh = setInterval(() => loadPrintJobs().catch(() => {}), 5000);
}

function showLogin() {
  me = null;
  $('#who').hidden = true;
  show('login');
  $('#login-form [name=username]').focus();
}

function signedIn(session) {
  me = session;
  setCsrf(session.csrf_token);
  setTimeZone(session.time_zone);
  const s = session.staff;
  const forced = session.must_change_password;
  $('#who-name').textContent = `${s.display_name}（${ROLE_ZH[s.role]}${s.window_no ? ' · ' + s.window_no + '号窗口' : ''}）`;
  for (const node of document.querySelectorAll('[data-role]')) node.hidden = !allowed(node.dataset.role);
  // With a temporary password only 退出 stays in the menu.
  for (const b of document.querySelectorAll('nav [data-view]')) b.hidden = forced || (b.dataset.role !== undefined && !allowed(b.dataset.role));
  $('#who').hidden = false;
  if (forced) {
    show('first-password');
    $('#first-password-form [name=current_password]').focus();
    return;
  }
  show('lookup');
}

// --- login ---
$('#login-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const f = new FormData(ev.target);
  try {
    const session = await api('POST', '/api/staff/login', { username: f.get('username'), password: f.get('password') });
    ev.target.reset();
    say('');
    signedIn(session);
  } catch (e) {
    // Here a 401 means a wrong password, not an ended session.
    say(e instanceof ApiError ? e.message : '登录没有完成，请稍后再试。', 'error');
    $('#message').dataset.code = e instanceof ApiError ? e.code : '';
  }
});

$('#logout').addEventListener('click', async () => {
  try { await api('POST', '/api/staff/logout', {}); } catch (e) { /* already ended */ }
  setCsrf(null);
  showLogin();
  say('已退出。');
});

for (const b of document.querySelectorAll('nav [data-view]')) b.addEventListener('click', () => show(b.dataset.view));

// --- lookup ---
function purpose() {
  const f = new FormData($('#lookup-form'));
  const text = (f.get('purpose_text') || '').trim();
  return { purpose: f.get('purpose'), purpose_text: text || null };
}

// 下一位 (Esc): the citizen and the purpose are cleared; the next one chooses their own purpose.
function nextCitizen() {
  current = null;
  $('#record').hidden = true;
  $('#record').replaceChildren();
  $('#candidates').replaceChildren();
  $('#lookup-form').reset();
  say('');
  $('#lookup-form [name=purpose]').focus();
}
$('#next-citizen').addEventListener('click', nextCitizen);
document.addEventListener('keydown', (ev) => {
  if (ev.key === 'Escape' && !$('#lookup-view').hidden && !document.querySelector('dialog[open]')) nextCitizen();
});
// A pasted number keeps only what an ID number can hold (spaces, hyphens, full-width digits go;
// the server converts 15-digit numbers); the field selects itself for the next number.
$('#ssn').addEventListener('focus', (ev) => ev.target.select());
$('#ssn').addEventListener('paste', (ev) => {
  const text = (ev.clipboardData || window.clipboardData).getData('text');
  ev.preventDefault();
  ev.target.value = text.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/[ｘＸ]/g, 'X').replace(/[\s\-－\u3000]/g, '');
});

async function lookup(by) {
  $('#candidates').replaceChildren();
  if (!purpose().purpose) {
    say('请先选择查询事由（每位办事人都须选择）。', 'error');
    $('#lookup-form [name=purpose]').focus();
    return;
  }
  try {
    const answer = await api('POST', '/api/staff/lookup', { ...purpose(), ...by });
    if (answer.candidates.length) {
      $('#record').hidden = true;
      $('#candidates').append(el('p', {}, '有多人符合，请选择：'),
        el('ul', {}, answer.candidates.map((c) => el('li', {},
          el('button', { type: 'button', class: 'secondary', onclick: () => lookup({ ssn: c.ssn }) },
            `${c.name}　${c.ssn}${c.birth_date ? '　出生 ' + c.birth_date : ''}${c.region_code ? '　地区 ' + c.region_code : ''}`)))));
      say('');
      return;
    }
    current = answer;
    renderRecord();
    say(`已查询：${answer.record.person.name}（已记录查询事由）`);
  } catch (e) {
    $('#record').hidden = true;
    fail(e);
  }
}

$('#lookup-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const ssn = $('#ssn').value.trim();
  if (!ssn) { say('请输入公民身份号码。', 'error'); return; }
  lookup({ ssn });
});
$('#by-name').addEventListener('click', () => {
  const f = new FormData($('#lookup-form'));
  lookup({ name: f.get('name'), birth_date: f.get('birth_date') || null });
});
$('#by-card').addEventListener('click', () => lookup({ card: true }));

function renderRecord() {
  const r = current.record;
  const p = r.person;
  const box = $('#record');
  box.replaceChildren(
    fundSafetyBanner(current),
    el('h3', {}, `${p.name}　${p.ssn}`),
    el('p', {}, `性别 ${p.gender === 'male' ? '男' : '女'} · 出生日期 ${p.birth_date} · 地区 ${p.region_code}${p.phone ? ' · 电话 ' + p.phone : ''}`),
    problemsSection(r),
    table('参保情况', ['险种', '状态', '单位', '首次缴费', '最近缴费', '已缴月数', '断缴月数', '欠缴月数'],
      r.insurances.map((i) => [i.name_zh, statusZh(r, i), i.employer_name || '-', i.first_paid_month || '-', i.last_paid_month || '-', String(i.months_paid), String(i.gap_months), String(i.arrears_months)])),
    table('待遇', ['待遇', '起', '止', '月数', '合计（元）'], r.benefits.map((b) => [b.name_zh, b.first_month, b.last_month, String(b.months), b.total])),
    paymentsSection(r),
    employmentSection(r),
    entitlementSection(r),
    cardsSection(r.cards),
    certificatesSection(),
    eligibilitySection(),
  );
  box.hidden = false;
}

const CARD_ACTION = {
  temp_loss: { title: '临时挂失', text: (c, p) => `将为 ${p.name}（${p.ssn}）的社保卡 ${c.card_no} 办理临时挂失。挂失后该卡暂停使用，可凭身份证解除。`, tick: '已核验本人身份证' },
  lost: { title: '正式挂失（不可解除）', text: (c, p) => `将为 ${p.name}（${p.ssn}）的社保卡 ${c.card_no} 办理正式挂失。正式挂失后不可解除，需补办新卡。`, tick: '已核验本人身份证，本人确认正式挂失', danger: true },
  release: { title: '解除挂失', text: (c, p) => `将解除 ${p.name}（${p.ssn}）的社保卡 ${c.card_no} 的临时挂失。`, tick: '已核验本人身份证' },
};

function cardsSection(cards) {
  const action = (card, act, label, cls) => el('button', {
    type: 'button', class: cls, 'data-card-action': act, onclick: async () => {
      const what = CARD_ACTION[act];
      const ok = await confirmAction({ title: what.title, text: what.text(card, current.record.person), tick: what.tick, danger: what.danger, confirmLabel: `确认${label}` });
      if (!ok) return;
      try {
        const res = await api('POST', `/api/staff/cards/${encodeURIComponent(card.card_no)}/status`, { action: act });
        card.status = res.status;
        say(res.changed ? `卡 ${card.card_no}：${CARD_ZH[res.status]}` : `卡 ${card.card_no} 已是${CARD_ZH[res.status]}，未重复办理`);
        renderRecord();
      } catch (e) { fail(e); }
    },
  }, label);
  return table('社保卡', ['卡号', '版本', '有效期至', '状态', '办理'], cards.map((c) => [
    c.card_no, c.spec_version, c.expires_on,
    el('span', { class: `status-${c.status}` }, CARD_ZH[c.status] || c.status),
    el('span', {},
      c.status === 'active' ? action(c, 'temp_loss', '临时挂失', 'secondary') : '',
      c.status === 'temp_lost' ? action(c, 'release', '解除挂失', 'secondary') : '',
      c.status === 'active' || c.status === 'temp_lost' ? action(c, 'lost', '正式挂失', 'danger') : ''),
  ]));
}

async function watchJob(id) {
  for (let i = 0; i < 60; i++) {
    const job = await api('GET', `/api/staff/print-jobs/${id}`);
    if (job.state === 'done') { say(`证明 ${job.serial} 已打印。`); return; }
    if (job.state === 'failed') { say('打印失败：请到“打印队列”查看原因并重试。', 'error'); return; }
    if (job.state === 'cancelled') { say('打印已取消。', 'error'); return; }
    say(`打印中（${JOB_ZH[job.state] || job.state}）…`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

// The monthly limit reached: the clerk may print anyway with a reason (audited), so the window
// can serve the person the kiosk sent here. Returns the answer, or null when the clerk cancels.
async function withLimitOverride(send) {
  try {
    return await send(undefined);
  } catch (e) {
    if (!(e instanceof ApiError && e.code === 'print_limit_reached')) throw e;
    const p = current.record.person;
    const reason = await askReason({
      title: '本月打印次数已用完',
      text: `${p.name} 本月的打印次数已用完。如确需打印，请填写原因（将记入审计日志）。`,
      label: '放宽原因',
      confirmLabel: '放宽并打印',
    });
    if (!reason) { say('未打印：本月打印次数已用完。', 'error'); return null; }
    return send(reason);
  }
}

function certificatesSection() {
  const ssn = current.record.person.ssn;
  const kind = el('select', { name: 'kind', 'aria-label': '证明种类' },
    el('option', { value: 'contribution' }, '参保缴费证明'), el('option', { value: 'benefit' }, '待遇领取证明'));
  const issue = el('button', {
    type: 'button', id: 'issue-print', onclick: async () => {
      issue.disabled = true; // a second click waits; the key makes a resend harmless anyway
      try {
        const res = await withLimitOverride((reason) => api('POST', '/api/staff/certificates',
          { ssn, kind: kind.value, print: true, idempotency_key: idempotencyKey(), limit_override_reason: reason }));
        if (!res) return;
        current.certificates.unshift({ serial: res.serial, kind: res.kind, issued_at: new Date().toISOString(), revoked_at: null });
        renderRecord();
        say(`已出具证明 ${res.serial}，已送窗口打印机。`);
        if (res.print_job) await watchJob(res.print_job);
      } catch (e) { fail(e); } finally { issue.disabled = false; }
    },
  }, '出具并打印');
  const rows = current.certificates.map((c) => [
    c.serial, c.kind === 'benefit' ? '待遇领取证明' : '参保缴费证明', bj(c.issued_at),
    c.revoked_at ? el('span', { class: 'revoked' }, `已撤销：${c.revoke_reason || ''}`) : (c.superseded_by ? `已被 ${c.superseded_by} 取代` : '有效'),
    c.revoked_at ? '' : el('span', {},
      el('button', { type: 'button', class: 'secondary', onclick: async () => {
        try {
          const res = await withLimitOverride((reason) => api('POST', `/api/staff/certificates/${encodeURIComponent(c.serial)}/print`,
            { idempotency_key: idempotencyKey(), limit_override_reason: reason }));
          if (res) await watchJob(res.print_job);
        } catch (e) { fail(e); }
      } }, '再次打印'),
      allowed('supervisor') ? el('button', { type: 'button', class: 'danger', onclick: async () => {
        const reason = prompt('撤销原因：');
        if (!reason) return;
        try {
          await api('POST', `/api/staff/certificates/${encodeURIComponent(c.serial)}/revoke`, { reason });
          c.revoked_at = 'now'; c.revoke_reason = reason;
          renderRecord();
          say(`证明 ${c.serial} 已撤销。`);
        } catch (e) { fail(e); }
      } }, '撤销') : ''),
  ]);
  return el('div', {}, table('证明', ['编号', '种类', '出具时间', '状态', '操作'], rows),
    el('p', {}, kind, ' ', issue));
}

const METHOD_ZH = { in_person: '窗口现场认证', home_visit: '上门认证', face_recognition: '人脸识别', data_match: '数据比对' };

function eligibilitySection() {
  const ssn = current.record.person.ssn;
  const year = el('input', { type: 'number', name: 'year', value: String(new Date().getFullYear()), min: '2000', 'aria-label': '认证年度' });
  const method = el('select', { name: 'method', 'aria-label': '认证方式' },
    el('option', { value: 'in_person' }, '窗口现场认证'), el('option', { value: 'home_visit' }, '上门认证'),
    el('option', { value: 'face_recognition' }, '人脸识别'), el('option', { value: 'data_match' }, '数据比对'));
  const go = el('button', { type: 'button', onclick: async () => {
    try {
      const res = await api('POST', '/api/staff/eligibility', { ssn, year: Number(year.value), method: method.value });
      say(res.created ? `${year.value} 年度资格认证已记录。` : `${year.value} 年度已认证（${res.certification.staff_username}），未重复记录。`);
      if (res.created) { current.eligibility.unshift(res.certification); renderRecord(); }
    } catch (e) { fail(e); }
  } }, '记录资格认证');
  return el('div', {},
    table('领取待遇资格认证', ['年度', '方式', '经办人', '时间'], current.eligibility.map((c) => [String(c.year), METHOD_ZH[c.method] || c.method, c.staff_username, bj(c.certified_at)])),
    el('p', {}, year, ' ', method, ' ', go));
}

// --- audit ---
const RESULT_ZH = { ok: '成功', refused: '被拒绝', not_found: '未找到', denied: '无权限', failed: '失败' };
let auditParams = null;
let auditShown = 0;

function auditQuery() {
  const params = new URLSearchParams();
  for (const [k, v] of new FormData($('#audit-form'))) if (String(v).trim()) params.set(k, String(v).trim());
  return params;
}

async function auditPage(before) {
  const params = new URLSearchParams(auditParams);
  if (before) params.set('before_seq', String(before));
  const page = await api('GET', `/api/staff/audit?${params}`);
  const rows = page.entries.map((e) => el('tr', {},
    [String(e.seq), e.at_local, e.actor_zh, e.action_zh, e.subject_ssn || '', e.purpose_zh || '', RESULT_ZH[e.result] || e.result, e.detail || ''].map((c) => el('td', {}, c))));
  if (before) $('#audit-results tbody').append(...rows);
  else $('#audit-results tbody').replaceChildren(...rows);
  auditShown = (before ? auditShown : 0) + page.entries.length;
  const more = $('#audit-more');
  more.hidden = !page.next_before_seq;
  more.dataset.before = page.next_before_seq || '';
  say(`已显示 ${auditShown} 条${page.next_before_seq ? '，点“更多”查看更早的记录' : ''}。`);
}

$('#audit-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  auditParams = auditQuery();
  try { await auditPage(null); } catch (e) { fail(e); }
});
$('#audit-more').addEventListener('click', () => auditPage(Number($('#audit-more').dataset.before)).catch(fail));
// The export is the same search, as a file (the browser keeps the session cookie).
$('#audit-csv').addEventListener('click', () => {
  const a = el('a', { href: `/api/staff/audit/export.csv?${auditQuery()}`, download: 'audit.csv' });
  document.body.append(a);
  a.click();
  a.remove();
});

// --- accounts ---
async function loadAccounts() {
  const all = await api('GET', '/api/staff/accounts');
  $('#accounts tbody').replaceChildren(...all.map((s) => {
    const role = el('select', { 'aria-label': `${s.username} 的角色`, onchange: async () => {
      const ok = await confirmAction({ title: '变更角色', text: `将 ${s.display_name}（${s.username}）的角色由“${ROLE_ZH[s.role]}”改为“${ROLE_ZH[role.value]}”。`, confirmLabel: '确认变更' });
      if (!ok) { role.value = s.role; return; }
      try {
        await api('POST', `/api/staff/accounts/${encodeURIComponent(s.username)}/role`, { role: role.value });
        s.role = role.value;
        say(`${s.username} 的角色已改为 ${ROLE_ZH[role.value]}。`);
        if (s.username === me.staff.username) { me.staff.role = role.value; signedIn(me); }
      } catch (e) { role.value = s.role; fail(e); }
    } }, ROLES.map((r) => el('option', { value: r, selected: r === s.role }, ROLE_ZH[r])));
    const toggle = el('button', { type: 'button', class: 'secondary', onclick: async () => {
      if (!s.disabled) {
        const ok = await confirmAction({ title: '停用账户', text: `将停用 ${s.display_name}（${s.username}）的账户：其所有登录立即退出，不能再登录，直到重新启用。`, confirmLabel: '确认停用', danger: true });
        if (!ok) return;
      }
      try { await api('POST', `/api/staff/accounts/${encodeURIComponent(s.username)}/disabled`, { disabled: !s.disabled }); await loadAccounts(); say(`${s.username} 已${s.disabled ? '启用' : '停用'}。`); } catch (e) { fail(e); }
    } }, s.disabled ? '启用' : '停用');
    const reset = el('button', { type: 'button', class: 'secondary', 'data-reset': s.username, onclick: (ev) => openReset(s, ev.currentTarget) }, '重置密码');
    const status = s.disabled ? '已停用' : s.locked_until ? `锁定至 ${bj(s.locked_until)}` : s.must_change_password ? '待本人设置密码' : '正常';
    return el('tr', {}, [s.username, s.display_name, s.window_no || '', role, status,
      el('span', {}, toggle, ' ', reset)].map((c) => el('td', {}, c)));
  }));
}

$('#account-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const f = Object.fromEntries(new FormData(ev.target));
  try {
    await api('POST', '/api/staff/accounts', { ...f, window_no: f.window_no || null });
    ev.target.reset();
    say(`已新增 ${f.username}。`);
    await loadAccounts();
  } catch (e) { fail(e); }
});

$('#unlock-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const username = new FormData(ev.target).get('username');
  try { await api('POST', `/api/staff/accounts/${encodeURIComponent(username)}/unlock`); say(`${username} 已解锁。`); if (allowed('admin')) await loadAccounts(); } catch (e) { fail(e); }
});

// --- imports (admin) and the print queue (supervisor) ---
const JOB_ZH = { queued: '排队中', sending: '发送中', done: '已打印', failed: '失败', cancelled: '已取消' };

$('#import-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const f = new FormData(ev.target);
  const file = f.get('file');
  const query = new URLSearchParams({ kind: f.get('kind'), source: f.get('source'), filename: file.name });
  const out = $('#import-result');
  out.textContent = '导入中…';
  try {
    const r = await upload(`/api/staff/imports?${query}`, file);
    const partial = r.outcome !== 'already_imported' && r.rows_rejected > 0;
    const lines = [r.outcome === 'already_imported'
      ? `此文件已作为第 ${r.batch_id} 批导入过，未作改动。`
      : partial
        ? `部分导入：第 ${r.batch_id} 批读取 ${r.rows_read} 行，成功 ${r.rows_taken} 行，拒绝 ${r.rows_rejected} 行，请修正后重新导入被拒绝的行。`
        : `第 ${r.batch_id} 批：读取 ${r.rows_read} 行，全部导入（${r.rows_taken} 行）。`];
    for (const x of r.rejects) lines.push(`第 ${x.line} 行 ${x.column}：${x.reason_zh || x.reason}`);
    if (r.rows_rejected > r.rejects.length) lines.push(`……其余 ${r.rows_rejected - r.rejects.length} 行未列出。`);
    out.textContent = lines.join('\n');
    out.className = partial ? 'warning' : '';
    if (partial) {
      // The rejected rows as CSV (line, column, reason), made here from the answer.
      const csv = ['\uFEFF行号,列,原因', ...r.rejects.map((x) => [x.line, x.column, x.reason_zh || x.reason].map((v) => `"${String(v).replace(/"/g, '""')}"`).join(','))].join('\r\n');
      const link = el('a', { href: URL.createObjectURL(new Blob([csv], { type: 'text/csv' })), download: `rejected-batch-${r.batch_id}.csv`, id: 'rejects-csv' }, '下载被拒绝的行（CSV）');
      out.append('\n', link);
    }
    say(partial ? '部分导入：有被拒绝的行，见下方。' : '导入完成。', partial ? 'warning' : 'ok');
  } catch (e) { out.textContent = ''; fail(e); }
});

async function loadPrintJobs() {
  const state = $('#print-jobs-state').value;
  const jobs = await api('GET', `/api/staff/print-jobs${state ? `?state=${state}` : ''}`);
  $('#print-jobs tbody').replaceChildren(...jobs.map((j) => {
    const waiting = j.state === 'queued' || j.state === 'failed';
    const retry = j.state === 'failed' ? el('button', { type: 'button', class: 'secondary', onclick: async () => {
      try { await api('POST', `/api/staff/print-jobs/${j.id}/retry`); say(`打印任务 ${j.id} 已重新排队。`); await loadPrintJobs(); } catch (e) { fail(e); }
    } }, '重试') : '';
    const cancel = waiting ? el('button', { type: 'button', class: 'danger', 'data-cancel': String(j.id), onclick: async () => {
      const ok = await confirmAction({ title: '取消打印', text: `取消打印任务 ${j.id}（证明 ${j.serial}）：该证明不会再打印出来。`, confirmLabel: '确认取消', danger: true });
      if (!ok) return;
      try { await api('POST', `/api/staff/print-jobs/${j.id}/cancel`); say(`打印任务 ${j.id} 已取消，不会再打印。`); await loadPrintJobs(); } catch (e) { fail(e); }
    } }, '取消') : '';
    const redirect = waiting ? el('button', { type: 'button', class: 'secondary', onclick: async () => {
      const printer = await askReason({ title: '改送其他打印机', text: `将打印任务 ${j.id} 改送到另一台打印机（须为本大厅的打印机）。`, label: '打印机地址（ipp://…）', confirmLabel: '改送' });
      if (!printer) return;
      try { await api('POST', `/api/staff/print-jobs/${j.id}/redirect`, { printer }); say(`打印任务 ${j.id} 已改送 ${printer}。`); await loadPrintJobs(); } catch (e) { fail(e); }
    } }, '改送其他打印机') : '';
    return el('tr', {}, [String(j.id), j.serial, j.source_zh || '—', j.printer, JOB_ZH[j.state] || j.state, String(j.attempts),
      j.last_error || '', bj(j.updated_at), el('span', {}, retry, ' ', cancel, ' ', redirect)].map((c) => el('td', {}, c)));
  }));
}
$('#print-jobs-state').addEventListener('change', () => loadPrintJobs().catch(fail));

$('#print-jobs-reload').addEventListener('click', () => loadPrintJobs().catch(fail));

// --- the first sign-in with a temporary password ---
$('#first-password-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const form = ev.target;
  const f = new FormData(form);
  const repeat = form.elements.repeat_password;
  if (f.get('new_password') !== f.get('repeat_password')) {
    repeat.setAttribute('aria-invalid', 'true');
    say('两次输入的新密码不一致，请重新输入。', 'error');
    repeat.select();
    repeat.focus();
    return;
  }
  repeat.removeAttribute('aria-invalid');
  try {
    await api('POST', '/api/staff/password', { current_password: f.get('current_password'), new_password: f.get('new_password') });
    form.reset();
    me.must_change_password = false;
    me.staff.must_change_password = false;
    signedIn(me);
    say('密码已设置，现在可以办理业务了。');
  } catch (e) {
    if (e instanceof ApiError && e.code === 'same_password') say('新密码不能与临时密码相同。', 'error');
    else if (e instanceof ApiError && e.code === 'wrong_password') say('当前密码（临时密码）不正确。', 'error');
    else fail(e);
  }
});

// --- an admin resets someone's password (a temporary one, to be changed at next sign-in) ---
let resetting = null; // the account whose password the dialog resets
let resetOpener = null; // the button to give the focus back to

function openReset(account, button) {
  resetting = account;
  resetOpener = button;
  $('#reset-title').textContent = `重置 ${account.username} 的密码`;
  $('#reset-what').textContent = `${account.display_name}（${account.username}）的所有登录将退出，账户锁定将解除；本人下次登录须先设置自己的密码。请把临时密码当面交给本人。`;
  $('#reset-error').textContent = '';
  $('#reset-form').reset();
  $('#reset-dialog').showModal();
  $('#reset-form [name=password]').focus();
}

function closeReset() {
  $('#reset-dialog').close();
}

$('#reset-dialog').addEventListener('close', () => {
  $('#reset-form').reset();
  if (resetOpener && resetOpener.isConnected) resetOpener.focus();
});
$('#reset-cancel').addEventListener('click', closeReset);

$('#reset-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const password = new FormData(ev.target).get('password');
  const username = resetting.username;
  try {
    await api('POST', `/api/staff/accounts/${encodeURIComponent(username)}/password`, { password });
    resetOpener = null;
    closeReset();
    say(`${username} 的密码已重置；本人下次登录须修改密码。`);
    await loadAccounts();
    // The table was redrawn: give the focus back to the same account's button.
    document.querySelector(`#accounts button[data-reset="${CSS.escape(username)}"]`)?.focus();
  } catch (e) {
    if (e instanceof ApiError && (e.status === 422 || e.status === 404)) {
      $('#reset-error').textContent = `${e.message}（${e.code}）`;
      return;
    }
    closeReset();
    fail(e);
  }
});

$('#password-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  try {
    await api('POST', '/api/staff/password', Object.fromEntries(new FormData(ev.target)));
    ev.target.reset();
    say('密码已修改，其他登录已退出。');
  } catch (e) { fail(e); }
});

// --- start: resume a session after a reload ---
api('GET', '/api/staff/session').then(signedIn).catch(() => showLogin());
