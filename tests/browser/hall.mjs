// The service hall end to end in chromium: the public catalogue (search), the hall display
// listening, a clerk calling the kiosk's bound ticket (the display shows it within 1 s, the
// clerk's panel opens the citizen's record with the item's purpose), 开始办理 → 完成, the
// ticket's own page with the rating form → 不满意; and a guide-desk ticket printed. axe-core
// (WCAG 2.1 AA) on every new screen, screenshots into $SHOTS; the supervisor's figures chart.
import { runWith, expect, axe, shot, staffSignIn } from './browser_lib.mjs';

const { BASE, PASSWORD, SHOTS, QUEUE_PATH } = process.env;

await runWith(async (browser) => {
  const context = await browser.newContext({ locale: 'zh-CN' });

  const catalogue = await context.newPage();
  await catalogue.goto(`${BASE}/catalogue/`);
  await catalogue.waitForSelector('#items article');
  const all = await catalogue.$$eval('#items article', (a) => a.length);
  expect(all >= 20, `catalogue items: ${all}`);
  await axe(catalogue, 'catalogue');
  await shot(catalogue, SHOTS, '01-catalogue');
  await catalogue.fill('#q', '社保卡');
  const shown = await catalogue.$$eval('#items article:not([hidden])', (a) => a.length);
  expect(shown > 0 && shown < all, `search 社保卡: ${shown} of ${all}`);

  const display = await context.newPage();
  await display.goto(`${BASE}/hall/`);
  await display.waitForFunction(() => document.body.dataset.listening === 'yes');
  await axe(display, 'hall display');

  const clara = await context.newPage();
  await staffSignIn(clara, BASE, 'clara', PASSWORD);
  await clara.waitForSelector('#lookup-view', { state: 'visible' });
  await clara.click('nav [data-view=queue]');
  await clara.waitForSelector('#queue-waiting tbody tr');
  await axe(clara, 'queue panel');
  await shot(clara, SHOTS, '02-queue-panel');

  const clicked = Date.now();
  await clara.click('#queue-call');
  await display.waitForFunction(() => document.querySelector('#latest').textContent.includes('A001 → 1号窗口'), null, { timeout: 1000 });
  const delay = Date.now() - clicked;
  console.log(`display showed the call ${delay} ms after the click`);
  expect(delay < 1000, `display delay ${delay} ms`);
  await shot(display, SHOTS, '03-hall-display');

  await clara.waitForSelector('#queue-citizen');
  const citizen = await clara.textContent('#queue-citizen');
  expect(citizen.includes('王秀英') && citizen.includes('开具证明'), `the record with the purpose: ${citizen}`);
  await axe(clara, 'called with record');
  await shot(clara, SHOTS, '04-called-record');
  await clara.click('#queue-current [data-action=start]');
  await clara.waitForSelector('#queue-current [data-action=finish]');
  await clara.click('#queue-current [data-action=finish]');
  await clara.waitForFunction(() => document.querySelector('#queue-current').textContent.includes('当前没有'));

  // The guide desk's ticket for a citizen without a card.
  await clara.click('#queue-desk button[type=submit]');
  await clara.waitForFunction(() => document.querySelector('#message').textContent.includes('已取号'));

  const ticket = await context.newPage();
  await ticket.goto(`${BASE}${QUEUE_PATH}`);
  await ticket.waitForSelector('#rate', { state: 'visible' });
  const text = await ticket.textContent('main');
  expect(text.includes('A001') && !text.includes('王秀英'), `the ticket page: ${text}`);
  await axe(ticket, 'ticket page with rating');
  await ticket.check('#rate input[value="2"]');
  await ticket.selectOption('#rate select[name=reason]', '等候时间长');
  await ticket.click('#rate button[type=submit]');
  await ticket.waitForFunction(() => document.querySelector('#rate-result').textContent.includes('感谢您的评价'));
  await shot(ticket, SHOTS, '05-rated');

  // The supervisor's figures: the chart drawn from the day's periods, the bad rating counted.
  const sam = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await staffSignIn(sam, BASE, 'sam', PASSWORD);
  await sam.waitForSelector('#lookup-view', { state: 'visible' });
  await sam.click('nav [data-view=queue]');
  await sam.waitForSelector('#queue-chart svg rect');
  const summary = await sam.textContent('#queue-figures-summary');
  expect(summary.includes('差评整改 1 件未办结'), `figures: ${summary}`);
  await axe(sam, 'figures');
  await shot(sam, SHOTS, '06-figures');
});
