// The hall display: the latest calls and the waiting counts (numbers and windows only, never a
// name), each new call from the event stream within a second of the clerk's click, announced
// by the browser's own Mandarin voice where it has one, else by the server's espeak-ng audio.
// A hall PC's browser may refuse sound until someone touches the screen once: the button.

const $ = (sel) => document.querySelector(sel);
let audioAllowed = false;

function cells(values) {
  const tr = document.createElement('tr');
  for (const v of values) {
    const td = document.createElement('td');
    td.textContent = v;
    tr.append(td);
  }
  return tr;
}

function chineseVoice() {
  if (!('speechSynthesis' in window)) return null;
  return speechSynthesis.getVoices().find((v) => /^(zh|cmn)/i.test(v.lang)) || null;
}

function announce(call) {
  const voice = chineseVoice();
  if (voice) {
    const u = new SpeechSynthesisUtterance(call.text_zh);
    u.voice = voice;
    u.lang = voice.lang;
    speechSynthesis.speak(u);
    return 'browser';
  }
  const audio = $('#voice');
  audio.src = `/api/hall/calls/${call.id}/voice.wav`;
  audio.play().catch(() => { $('#voice-on').hidden = false; });
  return 'server';
}

function show(call) {
  const latest = $('#latest');
  latest.textContent = `${call.number} → ${call.window_no}号窗口`;
  latest.className = 'fresh';
  setTimeout(() => { latest.className = ''; }, 5000);
  const body = $('#calls tbody');
  body.prepend(cells([call.number + (call.recall ? '（重呼）' : ''), `${call.window_no}号窗口`, call.called_local]));
  while (body.children.length > 8) body.lastChild.remove();
  document.body.dataset.lastCall = String(call.id);
  document.body.dataset.spokenBy = announce(call);
}

async function board() {
  const res = await fetch('/api/hall/board', { headers: { Accept: 'application/json' } });
  if (!res.ok) return;
  const b = await res.json();
  $('#hall-name').textContent = b.hall;
  $('#calls tbody').replaceChildren(...b.calls.map((c) => cells([c.number + (c.recall ? '（重呼）' : ''), `${c.window_no}号窗口`, c.called_local])));
  if (b.calls.length) $('#latest').textContent = `${b.calls[0].number} → ${b.calls[0].window_no}号窗口`;
  $('#waiting tbody').replaceChildren(...b.waiting.map((w) => cells([w.item_name, w.prefix, `${w.waiting} 人`])));
}

function listen() {
  const events = new EventSource('/api/hall/events');
  events.addEventListener('open', () => { document.body.dataset.listening = 'yes'; });
  events.addEventListener('call', (e) => {
    show(JSON.parse(e.data));
    board().catch(() => {});
  });
}

$('#voice-on').addEventListener('click', () => {
  audioAllowed = true;
  $('#voice-on').hidden = true;
  $('#voice').play().catch(() => {});
});
$('#voice-on').hidden = audioAllowed;
board().catch(() => {});
setInterval(() => board().catch(() => {}), 10000);
listen();
