// The kiosk's screens. Each session page fetches its data once and draws itself again from that
// data when the language changes.

import { t, named } from './i18n.js';
import { h, button } from './dom.js';
import { api, json, show, attempt, helpDesk, closedNote, keepUrl, finish, printerReady, ApiFailure } from './app.js';
import { menu } from './menu.js';

const heading = (text) => h('h1', { tabindex: '-1' }, text);
const desk = () => ({ desk: helpDesk() });

// ---- outside a session ----

export function start(kind) {
  const [title, hint] = {
    service_down: ['start.down.heading', 'start.down.hint'],
    no_reader: ['start.noreader.heading', 'start.noreader.hint'],
    out_of_service: ['start.closed.heading', 'start.closed.hint'],
    center_down: ['start.paused.heading', 'start.paused.hint'],
  }[kind] ?? ['start.heading', 'start.hint'];
  const closed = kind === 'out_of_service' || kind === 'center_down';
  return h('section', { class: 'centre', 'aria-labelledby': 'start-title' },
    closed ? null : h('div', { class: 'card-slot', 'aria-hidden': 'true' }),
    h('h1', { id: 'start-title', tabindex: '-1' }, t(title)),
    closed && closedNote() ? h('p', { class: 'notice', lang: 'zh-CN' }, closedNote()) : null,
    h('p', { class: 'hint' }, t(hint, desk())));
}

export function reading() {
  return h('section', { class: 'centre' },
    heading(t('reading.heading')),
    h('p', { class: 'hint' }, t('reading.hint')));
}

export function refused(reason) {
  const key = `refused.${reason ?? 'unreadable'}`;
  return h('section', { class: 'centre' },
    h('div', { class: 'notice' },
      heading(t(`${key}.heading`)),
      h('p', {}, t(`${key}.hint`, desk()))),
    h('p', { class: 'hint' }, t('refused.take')));
}

// The PIN pad: big keys, the digits typed shown as dots, 更正 and 确认. The PIN goes to the
// terminal, which has the card check it; nothing of it is kept in the page after sending.
export function pin(view, submit) {
  let typed = '';
  const dots = h('p', { class: 'pin-dots', 'aria-live': 'polite', 'aria-label': t('pin.typed', { n: 0 }) }, '○○○○○○');
  const message = h('p', { class: 'pin-message', role: 'alert' },
    view.pin_tries_left != null ? t('pin.wrong', { n: view.pin_tries_left }) : '');
  const draw = () => {
    dots.textContent = '●'.repeat(typed.length) + '○'.repeat(6 - typed.length);
    dots.setAttribute('aria-label', t('pin.typed', { n: typed.length }));
    ok.disabled = typed.length !== 6;
  };
  const digits = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'];
  if (view.pin_pad_shuffled) {
    for (let i = digits.length - 1; i > 0; i -= 1) {
      const j = crypto.getRandomValues(new Uint32Array(1))[0] % (i + 1);
      [digits[i], digits[j]] = [digits[j], digits[i]];
    }
  }
  const key = (d) => h('button', { type: 'button', class: 'pin-key', onclick: () => {
    if (typed.length < 6) typed += d;
    draw();
  } }, d);
  const ok = h('button', { type: 'button', class: 'primary pin-key', disabled: true, onclick: async () => {
    const entered = typed;
    typed = '';
    draw();
    ok.disabled = true;
    message.textContent = t('pin.checking');
    message.textContent = await submit(entered);
  } }, t('pin.ok'));
  const fix = h('button', { type: 'button', class: 'pin-key', onclick: () => {
    typed = typed.slice(0, -1);
    draw();
  } }, t('pin.fix'));
  const keys = digits.slice(0, 9).map(key);
  keys.push(fix, key(digits[9]), ok);
  return h('section', { class: 'centre', 'aria-labelledby': 'pin-title' },
    h('h1', { id: 'pin-title', tabindex: '-1' }, t('pin.heading')),
    h('p', { class: 'hint' }, t('pin.hint')),
    dots,
    message,
    h('div', { class: 'pin-pad', role: 'group', 'aria-label': t('pin.pad') }, keys));
}

export function ended(why, restart) {
  return h('section', { class: 'centre' },
    heading(t(why === 'idle' ? 'ended.idle.heading' : 'ended.logout.heading')),
    h('p', {}, t('ended.hint')),
    h('div', { class: 'actions' }, button(t('ended.restart'), restart, true)));
}

export function multiple() {
  return h('section', { class: 'centre' },
    h('div', { class: 'notice' },
      heading(t('multiple.heading')),
      h('p', {}, t('multiple.hint'))));
}

export function failure(e) {
  const known = { print_limit_reached: 'print.limit', nothing_to_certify: 'cert.nothing', seal_missing: 'cert.noSeal' };
  const text = e instanceof ApiFailure && known[e.code] ? t(known[e.code], desk()) : t('error.generic', desk());
  return h('section', { class: 'centre' },
    h('div', { class: 'notice' }, heading(text)),
    h('div', { class: 'actions' }, button(t('nav.back'), () => attempt(home), true), button(t('nav.end'), finish)));
}

// ---- the session ----

let current = null;

/** Drops the citizen's data kept for "back" (called when the session ends). */
export function forget() {
  current = null;
}

async function home() {
  overview(await json('GET', '/api/kiosk/record'));
}

function nav(...extra) {
  return h('div', { class: 'nav' },
    extra,
    button(t('nav.end'), finish));
}

function back() {
  return button(t('nav.back'), () => current && overview(current), true);
}

// One line per problem (gap or arrears), told once for all insurances it concerns; the advice
// follows from the record (none for pensioners or gaps explained by unemployment).
function problemLine(p, data) {
  const advice = { ask_about_back_pay: t('advice.backPay', desk()), contact_employer: t('advice.employer') }[p.advice] ?? '';
  const target = data.insurances.find((i) => p.insurances_zh.includes(i.name_zh) && i.years.length);
  const year = Number(p.from.slice(0, 4));
  return h('li', { class: `problem ${p.kind}` },
    h('span', { class: 'tag' }, t(p.kind === 'gap' ? 'ins.gap' : 'ins.arrearsTag')),
    h('span', { lang: 'zh-CN' }, p.wording_zh), advice ? ` ${advice}` : '',
    target ? button(t('problem.show', { year }), () => attempt(() => detail(target.insurance, year))) : null);
}

function insuranceCard(ins) {
  const name = named(ins.insurance, ins.name_zh);
  return h('li', { class: 'insurance' },
    h('h3', {}, name),
    h('dl', { class: 'facts' },
      h('dt', {}, t('ins.status')), h('dd', {}, ins.status ? named(ins.status, ins.status_zh) : '—'),
      ins.employer_name ? [h('dt', {}, t('ins.employer')), h('dd', {}, ins.employer_name)] : null,
      h('dt', {}, t('ins.monthsPaid')), h('dd', { 'data-months-paid': ins.insurance }, t('months', { n: ins.months_paid })),
      h('dt', {}, t('ins.lastPaid')), h('dd', {}, ins.last_paid_month ?? '—')),
    ins.years.length
      ? h('div', { class: 'actions' }, button(t('ins.detail', { name }), () => attempt(() => detail(ins.insurance))))
      : null);
}

function pensionBox(p) {
  return h('div', { class: 'pension', lang: 'zh-CN' },
    h('h2', {}, t('pension.heading')),
    h('p', { class: 'big' }, p.wording_zh));
}

export function overview(data) {
  current = data;
  const draw = () => show('overview', h('section', { id: 'overview' },
    heading(t('overview.heading', { name: data.name })),
    data.pension ? pensionBox(data.pension) : null,
    nav(
      button(t('nav.certificate'), () => attempt(certificates), true),
      button(t('nav.benefits'), () => attempt(benefits)),
      button(t('nav.employment'), () => attempt(employment)),
      button(t('nav.log'), () => attempt(accessLog)),
      button('办理业务 · 取号', () => attempt(() => menu(() => overview(data))))),
    h('dl', { class: 'facts' },
      h('dt', {}, t('overview.ssn')), h('dd', {}, data.ssn_masked),
      data.card ? [h('dt', {}, t('overview.card')), h('dd', {}, data.card.card_no),
        h('dt', {}, t('overview.cardStatus')), h('dd', {}, named(data.card.status, data.card.status_zh))] : null,
      data.updated_at ? [h('dt', {}, t('overview.updated')), h('dd', {}, data.updated_at)] : null),
    data.problems?.length
      ? h('div', { class: 'problems' }, h('h2', {}, t('overview.problems')),
        h('ul', { class: 'rows' }, data.problems.map((p) => problemLine(p, data))))
      : (data.insurances.length ? h('p', { class: 'nogap' }, t('ins.noGap')) : null),
    data.outlook_zh?.length
      ? h('div', { class: 'outlook', lang: 'zh-CN' }, h('h2', {}, t('overview.outlook')),
        data.outlook_zh.map((line) => h('p', {}, line)))
      : null,
    h('h2', {}, t('overview.insurances')),
    data.insurances.length
      ? h('ul', { class: 'insurances' }, data.insurances.map(insuranceCard))
      : h('p', {}, t('overview.noInsurance'))), draw);
  draw();
}

async function detail(insurance, year) {
  const q = new URLSearchParams({ insurance });
  if (year) q.set('year', year);
  const grid = await json('GET', `/api/kiosk/contributions?${q}`);
  const i = grid.years.indexOf(grid.year);
  const draw = () => {
    const name = named(grid.insurance, grid.name_zh);
    const last = i < 0 || i >= grid.years.length - 1;
    // The year strip: every year with contributions, problem years marked, so the 2015 gap is
    // one tap from 2026 (not eleven).
    const strip = h('div', { class: 'year-strip', role: 'group', 'aria-label': t('detail.years') },
      grid.years.map((y) => {
        const marks = [grid.years_with_gaps.includes(y) ? t('cell.gap') : null,
          grid.years_with_arrears.includes(y) ? t('cell.arrears') : null].filter(Boolean);
        const b = button(marks.length ? `${y} ●` : String(y), () => attempt(() => detail(insurance, y)), y === grid.year);
        if (marks.length) b.setAttribute('aria-label', `${y}（${marks.join('、')}）`);
        if (y === grid.year) b.setAttribute('aria-current', 'true');
        return b;
      }));
    show('contributions', h('section', { id: 'contributions' },
      heading(t('detail.heading', { name })),
      strip,
      h('div', { class: 'year-bar' },
        button(t('detail.prev'), () => attempt(() => detail(insurance, grid.years[i - 1])), false),
        h('h2', { 'aria-live': 'polite' }, t('detail.year', { year: grid.year })),
        button(last ? t('detail.latest') : t('detail.next'), () => attempt(() => detail(insurance, grid.years[i + 1])), false)),
      h('p', { class: 'legend' }, ['paid', 'back_paid', 'arrears', 'gap', 'pending', 'not_due'].map((k) =>
        h('span', { class: `key ${k}` }, t(`cell.${k}`)))),
      h('ul', { class: 'grid' }, grid.months.map((m) => h('li', { class: m.status },
        h('span', { class: 'm' }, t('detail.month', { m: m.month })),
        h('span', {}, t(`cell.${m.status}`)),
        m.personal ? h('span', { class: 'amount' }, t('detail.personal', { amount: m.personal })) : null,
        m.employer ? h('span', { class: 'small' }, t('detail.employer', { amount: m.employer })) : null,
        m.base ? h('span', { class: 'small' }, t('detail.base', { amount: m.base })) : null))),
      h('p', {}, t('detail.total', { amount: grid.total_personal })),
      nav(back())), draw);
    const [prev, next] = document.querySelectorAll('.year-bar button');
    if (i <= 0) prev.disabled = true;
    if (last) next.disabled = true;
  };
  draw();
}

async function benefits() {
  const lists = await json('GET', '/api/kiosk/benefits');
  const draw = () => show('benefits', h('section', { id: 'benefits' },
    heading(t('benefits.heading')),
    lists.length ? lists.map((b) => [
      h('h2', {}, named(b.benefit, b.name_zh)),
      h('p', {}, t('benefits.summary', { months: b.payments.length, total: b.payments.reduce((sum, p) => sum + Math.round(Number(p.amount) * 100), 0) / 100 })),
      h('ul', { class: 'rows' }, b.payments.slice(-24).reverse().map((p) =>
        h('li', {}, t('benefits.row', { month: p.month, amount: p.amount }),
          p.paid_on ? ` ${t('benefits.paidOn', { date: p.paid_on })}` : ''))),
    ]) : h('p', {}, t('benefits.none')),
    nav(back())), draw);
  draw();
}

async function employment() {
  const list = await json('GET', '/api/kiosk/employment');
  const draw = () => show('employment', h('section', { id: 'employment' },
    heading(t('employment.heading')),
    list.registrations.length
      ? h('ul', { class: 'rows' }, list.registrations.map((r) => h('li', {},
        `${named(r.kind, r.kind_zh)}：${r.employer_name ? `${r.employer_name}，` : ''}${r.registered_on} `,
        r.ended_on ? t('employment.until', { date: r.ended_on }) : t('employment.now'))))
      : h('p', {}, t('employment.none')),
    nav(back())), draw);
  draw();
}

async function accessLog() {
  const log = await json('GET', '/api/kiosk/access-log');
  // Times are the bureau's (Beijing), names and purposes in words; own kiosk views of one visit
  // come as one line ("本人自助查询 5 次").
  const line = (e) => [e.at_local, e.who, e.action_zh, e.purpose_zh && e.who_kind === 'staff' ? `事由：${e.purpose_zh}` : null]
    .filter(Boolean).join(' — ');
  const draw = () => show('access-log', h('section', { id: 'access-log' },
    heading(t('log.heading')),
    h('p', { class: 'hint' }, t('log.hint', desk())),
    log.entries.length
      ? h('ul', { class: 'rows', lang: 'zh-CN' }, log.entries.map((e) => h('li', { class: `who-${e.who_kind}` }, line(e))))
      : h('p', {}, t('log.none')),
    nav(back())), draw);
  draw();
}

// The kiosk's printer is not ready (the center's last check): nothing is offered for printing.
function printerDown() {
  show('printer-down', h('section', { class: 'centre', id: 'printer-down' },
    h('div', { class: 'notice' }, heading(t('print.unavailable', desk()))), nav(back())));
}

async function certificates() {
  if (!printerReady()) {
    printerDown();
    return;
  }
  const options = await json('GET', '/api/kiosk/certificates/options');
  // The limit is said before anything is generated; at 0 the buttons are off, with the reason.
  const none = options.remaining === 0;
  const noSeal = !options.may_print;
  const hint = noSeal
    ? t('cert.noSeal', desk())
    : none
      ? t('print.limit', desk())
      : options.remaining != null ? t('cert.remaining', { n: options.remaining, limit: options.monthly_limit }) : t('cert.hintNoLimit');
  const draw = () => show('certificates', h('section', { id: 'certificates' },
    heading(t('cert.heading')),
    h('p', { class: none || noSeal ? 'notice' : 'remaining', id: 'cert-remaining' }, hint),
    h('div', { class: 'actions presets' }, options.presets.map((p) => {
      const b = button(p.label_zh, () => attempt(() => issue(p)), true);
      if (none || noSeal) b.disabled = true;
      b.dataset.preset = p.code;
      return b;
    })),
    nav(back())), draw);
  draw();
}

async function issue(preset) {
  show('issuing', h('section', { class: 'centre' }, heading(t('cert.issuing'))));
  const issued = await json('POST', '/api/kiosk/certificates',
    { kind: preset.kind, items: preset.items, from: preset.from, to: preset.to });
  let preview;
  try {
    const res = await api('GET', `/api/kiosk/certificates/${encodeURIComponent(issued.serial)}/preview`);
    const url = keepUrl(URL.createObjectURL(await res.blob()));
    // Tap to zoom: the page at full width, scrolled inside its frame.
    preview = () => h('button', { type: 'button', class: 'preview-frame', 'aria-label': t('cert.zoom'),
      onclick: (ev) => ev.currentTarget.classList.toggle('zoomed') },
      h('img', { class: 'preview', src: url, alt: t('cert.previewAlt', { serial: issued.serial }) }));
  } catch (e) {
    if (!(e instanceof ApiFailure)) throw e;
    // No image renderer on this node: show the PDF itself.
    const res = await api('GET', `/api/kiosk/certificates/${encodeURIComponent(issued.serial)}/preview?format=pdf`);
    const url = keepUrl(URL.createObjectURL(await res.blob()));
    preview = () => h('object', { class: 'preview', data: url, type: 'application/pdf', 'aria-label': t('cert.previewAlt', { serial: issued.serial }) });
  }
  const draw = () => show('preview', h('section', { id: 'preview' },
    heading(t('cert.preview')),
    h('p', { class: 'print-summary', lang: 'zh-CN' }, issued.summary_zh),
    h('div', { class: 'actions' },
      button(t('cert.print'), () => attempt(() => print(issued.serial)), true),
      back()),
    preview()), draw);
  draw();
}

async function print(serial) {
  let job;
  try {
    job = await json('POST', `/api/kiosk/certificates/${encodeURIComponent(serial)}/print`);
  } catch (e) {
    if (e instanceof ApiFailure && e.code === 'print_limit_reached') {
      show('print-limit', h('section', { class: 'centre' },
        h('div', { class: 'notice' }, heading(t('print.limit', desk()))), nav(back())));
      return;
    }
    if (e instanceof ApiFailure && e.code === 'printer_unavailable') {
      printerDown();
      return;
    }
    throw e;
  }
  for (;;) {
    if (job.state === 'done') break;
    if (job.state === 'failed' || job.state === 'cancelled') {
      // Not printed in time: cancelled on the center, so it never comes out later.
      show('print-failed', h('section', { class: 'centre', id: 'print-failed' },
        h('div', { class: 'notice' }, heading(t(job.state === 'cancelled' ? 'print.cancelled' : 'print.failed', desk()))),
        nav(back())));
      return;
    }
    // Plain words only: the printer's own reason is for staff (设备管理), not for the citizen.
    show('printing', h('section', { class: 'centre', id: 'printing' },
      heading(t('print.heading')), h('p', { role: 'status' }, t('print.queued')), nav(back())));
    await new Promise((r) => setTimeout(r, 500));
    job = await json('GET', `/api/kiosk/print-jobs/${job.id}`);
  }
  const draw = () => show('printed', h('section', { class: 'centre', id: 'printed' },
    heading(t('print.done.heading')),
    h('p', {}, t('print.done.hint')),
    h('div', { class: 'nav' }, button(t('nav.end'), finish, true), back())), draw);
  draw();
}
