// The staff API as the page uses it: the session cookie travels by itself (HttpOnly), the CSRF
// token is kept in memory and sent on every change; errors keep the server's code and message.

let csrf = null;

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
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
    throw new ApiError(res.status, e.code || 'http_' + res.status, e.message || res.statusText);
  }
  return data;
}

/// A fresh key per click: a retried or doubled request with it acts once.
export function idempotencyKey() {
  return crypto.randomUUID();
}
