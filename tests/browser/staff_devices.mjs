// 设备管理 in the browser: the admin finds this node's kiosk in the terminal list, takes it out of
// service with a note, and the kiosk page open beside it switches to the out-of-service screen
// on the node's next heartbeat; back in service, it returns. Then a one-time enrolment code for
// a new window PC, and the kiosk revoked in one click (its page shows 暂停服务). Checked with
// axe-core and photographed into $SHOTS.
import { runWith, expect, axe, shot, staffSignIn } from './browser_lib.mjs';

const { BASE, KIOSK, PASSWORD, SHOTS, NODE } = process.env;
const NOTE = '打印机维修中，请到 3 号窗口办理';

await runWith(async (browser) => {
  const context = await browser.newContext({ locale: 'zh-CN' });
  const kiosk = await context.newPage();
  await kiosk.goto(`${KIOSK}/kiosk/`);
  await kiosk.waitForSelector('main h1');
  expect(!(await kiosk.textContent('main h1')).includes('暂停服务'), 'the kiosk starts in service');

  const page = await context.newPage();
  await staffSignIn(page, BASE, 'ada', PASSWORD);
  await page.waitForSelector('#lookup-view', { state: 'visible' });
  await page.click('nav [data-view=devices]');
  const row = `#devices tbody tr:has(td:text-is("${NODE}"))`;
  await page.waitForSelector(row);
  const cells = await page.$$eval(`${row} td`, (tds) => tds.map((td) => td.textContent));
  expect(cells[1] === '自助机' && cells[2] === '在线', `the kiosk is listed online: ${cells}`);
  await axe(page, 'devices');
  await shot(page, SHOTS, '10-devices');

  await page.check(`${row} input[type=checkbox]`);
  await page.fill(`${row} form label:nth-child(2) input`, NOTE);
  await page.click(`${row} button[type=submit]`);
  await page.waitForFunction(() => document.querySelector('#message').textContent.includes('已保存'));
  await page.waitForFunction((n) => [...document.querySelectorAll('#devices tbody tr')]
    .some((tr) => tr.cells[0].textContent === n && tr.cells[3].textContent.includes('暂停服务')), NODE);
  await axe(page, 'devices after the change');
  await shot(page, SHOTS, '11-devices-closed');

  await kiosk.waitForFunction(() => document.querySelector('main h1')?.textContent.includes('本机暂停服务'), null, { timeout: 20000 });
  expect((await kiosk.textContent('main')).includes(NOTE), 'the kiosk shows the admin\'s note');

  await page.uncheck(`${row} input[type=checkbox]`);
  await page.fill(`${row} form label:nth-child(2) input`, '');
  await page.click(`${row} button[type=submit]`);
  await kiosk.waitForFunction(() => !document.querySelector('main h1')?.textContent.includes('暂停服务'), null, { timeout: 20000 });

  // A one-time enrolment code for a new window PC, shown once.
  await page.fill('#enrol-form input[name=name]', 'window-7');
  await page.selectOption('#enrol-form select[name=kind]', 'window');
  await page.fill('#enrol-form input[name=window_label]', '7');
  await page.click('#enrol-form button[type=submit]');
  await page.waitForSelector('#enrol-code:not([hidden])');
  const code = await page.textContent('#enrol-code-text');
  expect(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}-[0-9a-f]{32}$/.test(code), `an enrolment code: ${code}`);
  await axe(page, 'devices with an enrolment code');
  await shot(page, SHOTS, '12-devices-enrol-code');

  // Revoked in one click: the kiosk can do nothing from its next request on.
  page.once('dialog', (d) => d.accept());
  const enrolled = `#terminals tbody tr:has(td:text-is("${NODE}"))`;
  await page.click(`${enrolled} button.danger`);
  await page.waitForFunction((n) => [...document.querySelectorAll('#terminals tbody tr')]
    .some((tr) => tr.cells[0].textContent === n && tr.cells[5].textContent.includes('已吊销')), NODE);
  await kiosk.waitForFunction(() => document.querySelector('main h1')?.textContent.includes('暂停服务'), null, { timeout: 20000 });
  await axe(kiosk, 'kiosk of a revoked terminal');
  await shot(kiosk, SHOTS, '13-kiosk-revoked');
});
