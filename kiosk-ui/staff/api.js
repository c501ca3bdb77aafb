// The staff API as the page uses it: the session cookie travels by itself (HttpOnly), the CSRF
// token is kept in memory and sent on every change; errors keep the server's code and message.

let csrf = null;

// `message` is the server's Chinese sentence (message_zh): the page never shows English. The
// English one stays in `english` for the console.
export class ApiError extends Error {
  constructor(status, code, message, english) {
    super(message);
    this.status = status;
    this.code = code;
    this.english = english;
  }
}

export function setCsrf(token) {
  csrf = token;
}

/// Sends a file as the raw body (an import): no JSON, the same CSRF header and error shape.
export async function upload(path, file) {
  return api('POST', path, file, file.type || 'text/csv');
}

export async function api(method, path, body, rawType) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = rawType || 'application/json';
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  const res = await fetch(path, {
    method,
    headers,
    body: body === undefined || rawType ? body : JSON.stringify(body),
    credentials: 'same-origin',
  });
  const text = await res.text();
  const data = text ? JSON.parse(text) : null;
  if (!res.ok) {
    const e = (data && data.error) || {};
    const fallback = res.status >= 500 ? '系统暂时不可用，请稍后再试。' : '操作没有完成，请核对后重试。';
    throw new ApiError(res.status, e.code || 'http_' + res.status, e.message_zh || fallback, e.message || res.statusText);
  }
  return data;
}

/// A fresh key per click: a retried or doubled request with it acts once.
export function idempotencyKey() {
  return crypto.randomUUID();
}

const zone = { name: 'Asia/Shanghai' };

/// The bureau's zone, from the session (server config [bureau] time_zone).
export function setTimeZone(name) {
  if (name) zone.name = name;
}

/// A stored UTC time (`2026-12-01T18:08:50.166` or with Z) as people read it, in the bureau's
/// zone: `2026-12-02 02:08`. Empty for nothing; anything unparsable is shown as it came.
export function bj(ts) {
  if (!ts) return '';
  const d = new Date(/[Zz]|[+-]\d\d:\d\d$/.test(ts) ? ts : `${ts}Z`);
  if (Number.isNaN(d.getTime())) return String(ts);
  const parts = Object.fromEntries(new Intl.DateTimeFormat('zh-CN', {
    timeZone: zone.name, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(d).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}
