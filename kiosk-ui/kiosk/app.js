// The kiosk screen. It follows the card: the event stream (/api/kiosk/events) says what is in
// the reader; a session token arrives with an inserted card and every data call carries it.
// When the session ends (card out, idle, another card, 401) every node holding the citizen's
// data is removed from the DOM at once, not hidden, and late answers of old calls are dropped.

import { t, setLanguage, currentLanguage } from './i18n.js';
import * as pages from './pages.js';
import { h } from './dom.js';

const screen = document.getElementById('screen');
const readerStatus = document.getElementById('reader-status');
const idle = {
  box: document.getElementById('idle'),
  title: document.getElementById('idle-title'),
  text: document.getElementById('idle-text'),
  seconds: document.getElementById('idle-seconds'),
  go: document.getElementById('idle-continue'),
  end: document.getElementById('idle-end'),
};

const state = {
  view: null,
  token: null,
  deadline: 0,
  lastContinue: 0,
  urls: [],
  rerender: null,
  shown: null,
};

// Figures of each tap for the benchmark (benches/kiosk.rs reads them): card read, event
// delivery, API calls and rendering, in ms.
window.kioskTimings = [];

class SessionGone extends Error {}

export class ApiFailure extends Error {
  constructor(status, code, message) {
    super(message || code || String(status));
    this.status = status;
    this.code = code;
  }
}

/** A call of the session; a 401 ends the session on screen. Answers of an older session are dropped. */
export async function api(method, path, body) {
  const token = state.token;
  if (!token) throw new SessionGone();
  const headers = { Authorization: `Bearer ${token}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (state.token !== token) throw new SessionGone();
  if (res.status === 401) {
    endSession();
    throw new SessionGone();
  }
  if (!res.ok) {
    const e = await res.json().catch(() => ({}));
    throw new ApiFailure(res.status, e.error?.code, e.error?.message);
  }
  return res;
}

export async function json(method, path, body) {
  const token = state.token;
  const res = await api(method, path, body);
  const data = res.status === 204 ? null : await res.json();
  if (state.token !== token) throw new SessionGone();
  return data;
}

/** An object URL freed when the session ends. */
export function keepUrl(url) {
  state.urls.push(url);
  return url;
}

/** Whether the kiosk's printer answered "ready" at the center's last check. */
export function printerReady() {
  return state.view?.printer_ready !== false;
}

export function helpDesk() {
  return state.view?.help_desk ?? '';
}

/** The admin's note while the kiosk is out of service (their own words, not translated). */
export function closedNote() {
  return state.view?.note ?? '';
}

/** Puts a page on screen; `rerender` draws it again after a language switch. */
export function show(name, node, rerender) {
  screen.dataset.screen = name;
  screen.replaceChildren(node);
  state.rerender = rerender ?? null;
  screen.scrollTop = 0;
  const heading = screen.querySelector('h1');
  if (heading) heading.focus?.();
}

/** Runs an async page action; a vanished session ends quietly, other failures are said plainly. */
export async function attempt(action) {
  try {
    await action();
  } catch (e) {
    if (e instanceof SessionGone) return;
    console.error(e);
    if (!state.token) return;
    show('error', pages.failure(e), null);
  }
}

function clearSession() {
  state.token = null;
  state.rerender = null;
  pages.forget();
  for (const url of state.urls) URL.revokeObjectURL(url);
  state.urls = [];
  screen.replaceChildren();
  hideIdle();
  if ('speechSynthesis' in window) window.speechSynthesis.cancel();
}

function endSession() {
  clearSession();
  setLanguage('zh-CN');
  renderOutside(state.view);
}

function renderReaderStatus(v) {
  const key = {
    starting: 'reader.starting',
    service_down: 'reader.service_down',
    no_reader: 'reader.no_reader',
    ready: 'reader.ready',
    out_of_service: 'reader.out_of_service',
    center_down: 'reader.center_down',
  }[v?.screen] ?? 'reader.busy';
  readerStatus.textContent = t(key);
}

function renderOutside(v) {
  if (!v) {
    show('start', pages.start('starting'));
    return;
  }
  const again = () => renderOutside(state.view);
  switch (v.screen) {
    case 'refused':
      show('refused', pages.refused(v.reason), again);
      break;
    case 'ended':
      show('ended', pages.ended(v.ended, restart), again);
      speak(t('ended.hint'));
      break;
    case 'pin':
      // Drawn once per PIN attempt: a new snapshot (a countdown tick) must not clear the keys.
      if (state.shown !== `pin:${v.version}:${v.pin_tries_left}` || !document.querySelector('.pin-pad')) {
        state.shown = `pin:${v.version}:${v.pin_tries_left}`;
        show('pin', pages.pin(v, sendPin), again);
        // For the benchmark: when the PIN pad was first on the screen after the card.
        if (v.pin_tries_left == null) window.kioskPinShownAt = performance.timeOrigin + performance.now();
      }
      break;
    case 'multiple_cards':
      show('multiple', pages.multiple(), again);
      break;
    case 'session':
      break;
    default:
      show('start', pages.start(v.screen), again);
  }
}

async function restart() {
  await fetch('/api/kiosk/restart', { method: 'POST' });
}

// Sends the PIN to this terminal (it has the card check it) and returns what to say; the next
// screen (the record, or the locked card) arrives in the event stream.
async function sendPin(pin) {
  window.kioskPinSentAtMs = performance.timeOrigin + performance.now();
  const res = await fetch('/api/kiosk/pin', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ pin }),
  });
  const body = await res.json().catch(() => ({}));
  if (res.ok && body.outcome === 'wrong') return t('pin.wrong', { n: body.tries_left });
  if (res.ok) return t('pin.checking');
  const known = { pin_invalid: 'pin.invalid', card_unreadable: 'pin.card_unreadable' }[body?.error?.code];
  return t(known ?? 'error.generic', { desk: helpDesk() });
}

async function startSession(v, received) {
  const token = v.token;
  const eventMs = Math.max(0, Date.now() - v.sent_at_ms);
  show('reading', pages.reading());
  await attempt(async () => {
    const t0 = performance.now();
    const overview = await json('GET', '/api/kiosk/record');
    const t1 = performance.now();
    pages.overview(overview);
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r)));
    if (state.token !== token) return;
    const t2 = performance.now();
    window.kioskTimings.push({
      card_read_ms: (v.card_read_us ?? 0) / 1000,
      card_proof_ms: (v.card_proof_us ?? 0) / 1000,
      pin_shown_at_ms: window.kioskPinShownAt ?? 0,
      pin_sent_at_ms: window.kioskPinSentAtMs ?? 0,
      event_ms: eventMs,
      api_ms: t1 - t0,
      render_ms: t2 - t1,
      since_event_ms: t2 - received,
      done_at_ms: performance.timeOrigin + t2,
    });
  });
}

function onView(v) {
  if (state.view && v.version < state.view.version) return;
  state.view = v;
  renderReaderStatus(v);
  if (v.screen === 'session') {
    state.deadline = performance.now() + v.expires_in_ms;
    if (v.token !== state.token) {
      const received = performance.now();
      if (state.token) clearSession();
      state.token = v.token;
      startSession(v, received);
    }
    return;
  }
  if (state.token) {
    clearSession();
    setLanguage('zh-CN');
  }
  renderOutside(v);
}

function connect() {
  const source = new EventSource('/api/kiosk/events');
  source.addEventListener('state', (e) => onView(JSON.parse(e.data)));
  // EventSource reconnects by itself; the first snapshot after it says where things stand.
  source.onerror = () => {
    readerStatus.textContent = t('reader.starting');
  };
}

function hideIdle() {
  idle.box.hidden = true;
}

function tick() {
  if (!state.token || !state.view) return hideIdle();
  const left = state.deadline - performance.now();
  if (left > state.view.warning_ms) return hideIdle();
  idle.title.textContent = t('idle.heading');
  idle.text.textContent = t('idle.text');
  idle.seconds.textContent = t('idle.seconds', { n: Math.max(0, Math.ceil(left / 1000)) });
  idle.go.textContent = t('idle.continue');
  idle.end.textContent = t('idle.end');
  if (idle.box.hidden) {
    idle.box.hidden = false;
    idle.go.focus();
    speak(`${t('idle.heading')} ${t('idle.text')}`);
  }
}

export async function keepGoing() {
  state.lastContinue = performance.now();
  hideIdle();
  await attempt(() => json('POST', '/api/kiosk/continue'));
}

export async function finish() {
  await attempt(() => json('POST', '/api/kiosk/end'));
}

export function speak(text) {
  if (!('speechSynthesis' in window) || !text) return;
  const u = new SpeechSynthesisUtterance(text);
  u.lang = currentLanguage() === 'en' ? 'en-US' : 'zh-CN';
  u.rate = 0.9;
  window.speechSynthesis.cancel();
  window.speechSynthesis.speak(u);
}

function setup() {
  setLanguage('zh-CN');
  const lang = document.getElementById('lang');
  const speakButton = document.getElementById('speak');
  const label = () => {
    lang.textContent = t('langSwitch');
    lang.lang = currentLanguage() === 'en' ? 'zh-CN' : 'en';
    speakButton.textContent = t('speak');
    document.getElementById('brand').textContent = t('brand');
    if (state.view) renderReaderStatus(state.view);
  };
  lang.addEventListener('click', () => {
    setLanguage(currentLanguage() === 'en' ? 'zh-CN' : 'en');
    label();
    if (state.rerender) state.rerender();
    tick();
  });
  if ('speechSynthesis' in window) {
    speakButton.hidden = false;
    speakButton.addEventListener('click', () => speak(screen.innerText));
  }
  idle.go.addEventListener('click', keepGoing);
  idle.end.addEventListener('click', finish);
  // Any touch counts as "still here" (at most one call every 5 s).
  document.addEventListener('pointerdown', () => {
    if (state.token && idle.box.hidden && performance.now() - state.lastContinue > 5000) {
      state.lastContinue = performance.now();
      json('POST', '/api/kiosk/continue').catch(() => {});
    }
  }, { capture: true });
  label();
  renderOutside(null);
  setInterval(tick, 250);
  connect();
}

export { h };
setup();
