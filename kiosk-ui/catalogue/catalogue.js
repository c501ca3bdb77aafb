// 政务服务事项目录: the catalogue in force (GET /api/catalogue), the 11 public elements of each
// item (事项名称, 事项简述, 办理材料, 办理方式, 办理时限, 结果送达, 收费依据及标准, 办事时间,
// 办理机构及地点, 咨询查询途径, 监督投诉渠道), searchable and printable. `#CODE` in the address
// opens one item (the kiosk's 办事指南 link). Every value is set as text, never as HTML.

const $ = (sel) => document.querySelector(sel);
const CHANNEL_ZH = { kiosk: '自助终端', window: '窗口', online: '网上办理' };

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children.flat()) node.append(c instanceof Node ? c : document.createTextNode(c ?? ''));
  return node;
}

function row(term, ...value) {
  return [el('dt', {}, term), el('dd', {}, ...value)];
}

function materials(item) {
  if (!item.materials.length) return '无需材料';
  return el('ul', {}, item.materials.map((m) => el('li', {},
    `${m.name}（${m.required ? '必要' : '非必要'}；${m.source}）`)));
}

function article(item, hall) {
  const ways = item.channels.map((c) => CHANNEL_ZH[c] ?? c).join('、');
  const windows = item.windows.length ? `；窗口：${item.windows.map((w) => `${w}号`).join('、')}` : '';
  // People say 社保卡 for 社会保障卡: both find the card items.
  const text = [item.code, item.name_zh, item.name_en, item.summary].join(' ').replaceAll('社会保障卡', '社会保障卡 社保卡');
  return el('article', { id: item.code, 'data-text': text.toLowerCase() },
    el('h2', {}, item.name_zh, ' ', el('span', { class: 'en', lang: 'en' }, item.name_en)),
    el('p', { class: 'code' }, `实施编码 ${item.code} · ${item.kind}`),
    el('dl', {},
      row('事项名称', item.name_zh),
      row('事项简述', item.summary),
      row('受理条件', item.conditions),
      row('办理材料', materials(item)),
      row('办理方式', ways + windows),
      row('办理时限', item.time_limit_days === 0 ? '即办' : `${item.time_limit_days}个工作日`),
      row('结果送达', item.delivery),
      row('收费依据及标准', item.fee),
      row('办事时间', hall.hours),
      row('办理机构及地点', `${hall.name}，${hall.address}`),
      row('咨询查询途径', hall.consult),
      row('监督投诉渠道', hall.complaint),
      row('设定依据', item.legal_basis)));
}

function filter() {
  const words = $('#q').value.trim().toLowerCase().split(/\s+/).filter(Boolean);
  let shown = 0;
  for (const a of document.querySelectorAll('#items article')) {
    const hit = words.every((w) => a.dataset.text.includes(w));
    a.hidden = !hit;
    if (hit) shown += 1;
  }
  $('#count').textContent = `共 ${shown} 项`;
}

async function load() {
  const res = await fetch('/api/catalogue', { headers: { Accept: 'application/json' } });
  if (!res.ok) {
    $('#count').textContent = '目录暂时无法显示，请稍后再试。';
    return;
  }
  const catalogue = await res.json();
  $('#hall-name').textContent = catalogue.hall.name;
  $('#items').replaceChildren(...catalogue.items.map((i) => article(i, catalogue.hall)));
  $('#version').textContent = catalogue.version ? `目录版本 ${catalogue.version}` : '目录版本：初始目录';
  filter();
  if (location.hash.length > 1) {
    const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target) target.scrollIntoView();
  }
}

$('#q').addEventListener('input', filter);
$('#search').addEventListener('submit', (e) => e.preventDefault());
$('#print').addEventListener('click', () => window.print());
load();
