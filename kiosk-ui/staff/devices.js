// 设备管理 (admins): the hall's terminals as they last reported, and per terminal the settings an
// admin may change from here — out of service with a note for the kiosk screen, and another
// printer. The node applies them on its next heartbeat (docs/devices.md).

import { api } from './api.js';
import { el, say, fail } from './app.js';

const KIND_ZH = { kiosk: '自助机', window: '窗口', server: '服务器' };
const STATE_ZH = {
  starting: '启动中', out_of_service: '暂停服务', service_down: '读卡服务异常', no_reader: '未连接读卡器',
  ready: '就绪', session: '使用中', refused: '拒绝卡片', ended: '会话结束', multiple_cards: '多张卡',
  center_down: '连不上中心', window: '窗口读卡器',
};

async function load() {
  const list = await api('GET', '/api/staff/devices');
  document.querySelector('#devices-heartbeat').textContent = String(list.heartbeat_seconds);
  document.querySelector('#devices tbody').replaceChildren(...list.devices.map(row));
  const terminals = await api('GET', '/api/staff/terminals');
  document.querySelector('#terminals tbody').replaceChildren(...terminals.map(terminalRow));
}

// An enrolled terminal: revoking it takes effect on its next request (docs/terminals.md).
function terminalRow(t) {
  const revoke = t.revoked_at ? '' : el('button', { type: 'button', class: 'danger', onclick: async () => {
    if (!window.confirm(`吊销终端 ${t.name}？吊销后它立即无法使用，需重新登记。`)) return;
    try {
      await api('POST', `/api/staff/terminals/${encodeURIComponent(t.name)}/revoke`);
      say(`终端 ${t.name} 已吊销。`);
      await load();
    } catch (e) { fail(e); }
  } }, '吊销');
  const status = t.revoked_at ? `已吊销（${t.revoked_at} UTC）` : '有效';
  return el('tr', {}, [t.name, KIND_ZH[t.kind] ?? t.kind, t.window_label || '—', t.enrolled_at,
    t.certificate_until ?? '—', status, revoke].map((c) => el('td', {}, c)));
}

document.querySelector('#enrol-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const f = new FormData(ev.target);
  try {
    const code = await api('POST', '/api/staff/terminals', {
      name: f.get('name'), kind: f.get('kind'), window_label: f.get('window_label'),
      printer: f.get('printer') || null,
    });
    document.querySelector('#enrol-code-text').textContent = code.code;
    document.querySelector('#enrol-code-until').textContent = `（${code.expires_at} UTC 前有效，只能使用一次）`;
    document.querySelector('#enrol-code').hidden = false;
    say(`已为 ${code.name} 生成登记码。`);
    await load();
  } catch (e) { fail(e); }
});

function row(d) {
  const closed = el('input', { type: 'checkbox', checked: !d.in_service });
  const note = el('input', { value: d.note, maxlength: '120', size: '24' });
  const printer = el('input', { value: d.printer_override ?? '', placeholder: d.configured_printer, size: '28' });
  const form = el('form', { 'aria-label': `${d.name} 的服务设置`, onsubmit: async (ev) => {
    ev.preventDefault();
    try {
      await api('POST', `/api/staff/devices/${encodeURIComponent(d.name)}`, {
        in_service: !closed.checked, note: note.value, printer_uri: printer.value || null,
      });
      say(`${d.name} 的设置已保存，将在下次报到时生效。`);
      await load();
    } catch (e) { fail(e); }
  } },
  el('label', {}, '暂停服务', closed),
  el('label', {}, '提示语（显示在自助机上）', note),
  el('label', {}, '改用打印机（空 = 配置的打印机）', printer),
  el('button', { type: 'submit' }, '保存'));
  const online = d.online ? '在线' : `离线（最后报到 ${d.last_seen} UTC）`;
  const state = d.in_service ? (STATE_ZH[d.state] ?? d.state) : `暂停服务${d.note ? '：' + d.note : ''}`;
  const printerState = d.printer_state === 'ready' ? '就绪' : (d.printer_state || '未检查');
  const printerCell = [d.printer, el('br'), el('span', { class: d.printer_state === 'ready' ? 'ok' : 'problem' }, printerState)];
  return el('tr', {}, [d.name, KIND_ZH[d.kind] ?? d.kind, online, state, d.reader, printerCell, form]
    .map((c) => el('td', {}, c)));
}

document.querySelector('nav [data-view=devices]').addEventListener('click', () => load().catch(fail));
document.querySelector('#devices-reload').addEventListener('click', () => load().catch(fail));
