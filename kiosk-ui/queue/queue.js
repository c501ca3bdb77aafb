// A ticket's queue page (the QR on the paper ticket): number, item, state, people ahead and
// the estimated wait; once finished, the 好差评 rating (also later, within the rating period).
// No personal data is asked or shown. Refreshes every 15 s until the ticket is finished.

const $ = (sel) => document.querySelector(sel);
const reference = location.pathname.split('/').filter(Boolean).pop() || '';

async function refresh() {
  const res = await fetch(`/api/queue/${encodeURIComponent(reference)}`, { headers: { Accept: 'application/json' } });
  if (res.status === 404) {
    $('#state').textContent = '没有这张号。请扫描号票上的二维码。';
    return false;
  }
  if (!res.ok) {
    $('#state').textContent = '暂时无法查询，请稍后再试。';
    return true;
  }
  const t = await res.json();
  $('#number').textContent = t.number;
  $('#item').textContent = t.item_name;
  $('#state').textContent = t.window_no ? `${t.state_zh}：${t.window_no}号窗口` : t.state_zh;
  $('#wait').textContent = t.ahead === null ? '' : `您前面还有 ${t.ahead} 人，预计等候约 ${t.wait_minutes} 分钟`;
  $('#issued').textContent = `取号时间 ${t.issued_local}`;
  if (t.state === 'done') {
    $('#rate').hidden = false;
    return false;
  }
  return true;
}

async function loop() {
  const again = await refresh().catch(() => true);
  if (again) setTimeout(loop, 15000);
}
loop();

$('#rate').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const f = new FormData(ev.target);
  const body = { level: Number(f.get('level')), reason: f.get('reason') || null, comment: f.get('comment') || null };
  const res = await fetch(`/api/queue/${encodeURIComponent(reference)}/rating`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  const answer = await res.json().catch(() => ({}));
  $('#rate-result').textContent = res.ok ? `感谢您的评价：${answer.level_zh}` : (answer.error?.message ?? '评价未成功，请稍后再试');
  if (res.ok) ev.target.querySelector('button').disabled = true;
});
