// 办理业务 (the kiosk's menu after a card tap): the items of the hall's catalogue. Items the kiosk
// does itself go back to the record's own buttons; the others take a queue ticket bound to this
// card, after the citizen agreed that the clerk will see their record once called
// ("窗口工作人员叫号后可查看您的信息"). 办事指南 (the item's public elements) is one tap away.
// Chinese only for now: the catalogue's texts are Chinese.

import { h, button } from './dom.js';
import { json, show, attempt, ApiFailure } from './app.js';

const heading = (text) => h('h1', { tabindex: '-1', lang: 'zh-CN' }, text);
const CHANNEL_ZH = { kiosk: '自助终端', window: '窗口', online: '网上办理' };

/** The menu; `back` returns to the record. */
export async function menu(back) {
  const { catalogue, consent_text: consent } = await json('GET', '/api/kiosk/hall/menu');
  const row = (item) => h('li', { class: 'insurance', 'data-item': item.code },
    h('h3', {}, item.name_zh),
    h('p', {}, item.summary),
    h('div', { class: 'actions' },
      item.channels.includes('kiosk') ? button('在本机办理', back) : null,
      item.windows.length ? button('取号办理', () => attempt(() => confirm(item, consent, back)), !item.channels.includes('kiosk')) : null,
      button('办事指南', () => guide(item, catalogue.hall, () => attempt(() => menu(back))))));
  const draw = () => show('hall-menu', h('section', { id: 'hall-menu', lang: 'zh-CN' },
    heading('办理业务'),
    h('p', { class: 'hint' }, '可在本机办理的事项请直接办理；需要到窗口的事项请取号，叫号后到窗口办理。'),
    h('ul', { class: 'insurances' }, catalogue.items.map(row)),
    h('div', { class: 'nav' }, button('返回', back, true))), draw);
  draw();
}

function guide(item, hall, back) {
  const materials = item.materials.length
    ? h('ul', {}, item.materials.map((m) => h('li', {}, `${m.name}（${m.required ? '必要' : '非必要'}；${m.source}）`)))
    : '无需材料';
  const fact = (term, value) => [h('dt', {}, term), h('dd', {}, value)];
  show('hall-guide', h('section', { id: 'hall-guide', lang: 'zh-CN' },
    heading(`办事指南：${item.name_zh}`),
    h('dl', { class: 'facts' },
      fact('事项简述', item.summary),
      fact('受理条件', item.conditions),
      fact('办理材料', materials),
      fact('办理方式', item.channels.map((c) => CHANNEL_ZH[c] ?? c).join('、')),
      fact('办理时限', item.time_limit_days === 0 ? '即办' : `${item.time_limit_days}个工作日`),
      fact('结果送达', item.delivery),
      fact('收费', item.fee),
      fact('办事时间', hall.hours),
      fact('办理地点', `${hall.name}，${hall.address}`),
      fact('咨询', hall.consult),
      fact('监督投诉', hall.complaint),
      fact('设定依据', item.legal_basis)),
    h('div', { class: 'nav' }, button('返回', back, true))), null);
}

function confirm(item, consent, back) {
  const agree = h('input', { type: 'checkbox', id: 'hall-consent' });
  const green = h('input', { type: 'checkbox', id: 'hall-green' });
  const take = button('确认取号', () => attempt(() => issue(item, agree.checked, green.checked, back)), true);
  take.disabled = true;
  agree.addEventListener('change', () => { take.disabled = !agree.checked; });
  show('hall-consent', h('section', { id: 'hall-consent-page', lang: 'zh-CN' },
    heading(`取号：${item.name_zh}`),
    h('p', { class: 'notice' }, `${consent}。号票与本卡绑定，叫号后窗口将直接为您打开办理页面，无需再次出示证件。`),
    h('p', {}, h('label', { for: 'hall-consent' }, agree, ' 我已阅读并同意')),
    h('p', {}, h('label', { for: 'hall-green' }, green, ' 申请绿色通道（残疾人、孕妇、军人等，窗口将核验）')),
    h('div', { class: 'nav' }, take, button('返回', () => attempt(() => menu(back))))), null);
}

async function issue(item, consent, green, back) {
  let answer;
  try {
    answer = await json('POST', '/api/kiosk/hall/tickets', { item: item.code, consent, green_channel: green });
  } catch (e) {
    if (e instanceof ApiFailure && (e.code === 'ticket_held' || e.code === 'consent_required')) {
      show('hall-refused', h('section', { class: 'centre', lang: 'zh-CN' },
        h('div', { class: 'notice' }, heading(e.message)),
        h('div', { class: 'nav' }, button('返回', () => attempt(() => menu(back)), true))), null);
      return;
    }
    throw e;
  }
  const t = answer.ticket;
  show('hall-ticket', h('section', { class: 'centre', id: 'hall-ticket', lang: 'zh-CN' },
    heading('取号成功'),
    h('p', { class: 'ticket-number', 'data-number': t.number }, t.number),
    h('p', {}, t.item_name),
    h('p', {}, `您前面还有 ${t.ahead} 人，预计等候约 ${t.wait_minutes} 分钟`),
    t.priority_reason ? h('p', {}, t.priority_reason) : null,
    h('p', { class: 'hint' }, answer.print_job ? '号票正在打印，请取走号票。' : '打印机暂不可用，请记下您的号码。'),
    h('div', { class: 'nav' }, button('返回', back, true))), null);
}
