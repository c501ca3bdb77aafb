// The main kiosk scenario: insert card → the right name and figures → contributions → print a
// certificate → the printer got exactly one job → remove card → start screen, record text gone
// from the DOM. Then the refusals (expired card, unknown person) and the English switch.
// axe on every screen, a screenshot of each in target/screenshots/kiosk/.

import { run, ask, expect, screen, check, allText, enterPin } from './kiosk_lib.mjs';

const EXPECT = JSON.parse(process.env.EXPECT);

await run(async (page) => {
  await screen(page, 'start');
  expect((await page.textContent('h1')).includes('请插入'), 'start screen asks for the card');
  await page.waitForFunction(() => document.getElementById('reader-status').textContent.includes('就绪'));
  await check(page, '01-start');

  // The reading screen lasts as long as the record's fetch: hold that answer back a moment so
  // the screen can be checked and photographed (the answer itself is the server's).
  let release;
  const held = new Promise((r) => { release = r; });
  await page.route('**/api/kiosk/record', async (route) => { await held; await route.continue(); });
  await ask('insert', EXPECT.ssn);
  // The PIN first: nothing of the citizen before it; a wrong one says how many tries are left.
  await screen(page, 'pin');
  expect(!(await allText(page)).includes(EXPECT.name), 'no name before the PIN');
  await check(page, '01b-pin');
  await enterPin(page, '000000');
  await page.waitForFunction(() => document.querySelector('.pin-message')?.textContent.includes('还可以尝试 5 次'), null, { timeout: 20000 });
  await check(page, '01c-pin-wrong');
  await enterPin(page);
  await screen(page, 'reading');
  await check(page, '02-reading');
  release();
  await screen(page, 'overview');
  await page.unroute('**/api/kiosk/record');
  const text = await page.textContent('#overview');
  expect(text.includes(EXPECT.name), `overview shows ${EXPECT.name}`);
  expect(!text.includes(EXPECT.ssn), 'the full ID number is never shown');
  for (const ins of EXPECT.insurances) {
    const shown = await page.textContent(`[data-months-paid="${ins.insurance}"]`);
    expect(shown.includes(String(ins.months_paid)), `${ins.insurance}: ${ins.months_paid} months paid, screen says ${shown}`);
  }
  await check(page, '03-overview');
  // Gaps and arrears: one line each, arrears apart from 断缴, with amounts (issue 11).
  const problems = await page.textContent('#overview .problems');
  expect(problems.includes('单位未缴') && problems.includes('元') && problems.includes('未缴费'), `the problem lines: ${problems}`);

  await page.click('#overview .insurance button');
  await screen(page, 'contributions');
  const cells = await page.$$eval('#contributions .grid li', (li) => li.length);
  expect(cells === 12, `a month grid of 12 cells (${cells})`);
  const legend = await page.textContent('#contributions .legend');
  expect(legend.includes('未到缴费期') && legend.includes('欠缴'), `a legend: ${legend}`);
  const marked = await page.$$eval('#contributions .year-strip button', (bs) => bs.filter((b) => b.textContent.includes('●')).length);
  expect(marked > 0, 'the year strip marks the years with a gap or arrears');
  await check(page, '04-contributions');

  await page.click('text=返回');
  await screen(page, 'overview');
  await page.click('text=待遇领取');
  await screen(page, 'benefits');
  await check(page, '05-benefits');
  await page.click('text=返回');
  await page.click('text=谁查看过我的信息');
  await screen(page, 'access-log');
  expect((await page.textContent('#access-log')).includes('自助终端'), 'the access log shows this kiosk');
  await check(page, '06-access-log');

  await page.click('#lang');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  await screen(page, 'access-log');
  expect((await page.textContent('h1')).includes('Who looked'), 'English switch');
  await check(page, '07-access-log-en');
  await page.click('#lang');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');

  await page.click('text=返回');
  await page.click('text=打印证明');
  await screen(page, 'certificates');
  // The limit is stated before anything is generated.
  const remaining = await page.textContent('#cert-remaining');
  expect(remaining.includes('本月还可打印 3 份'), `the prints left: ${remaining}`);
  await check(page, '08-certificate-choice');
  await page.click('[data-preset=all]');
  await screen(page, 'preview');
  await page.waitForFunction(() => document.querySelector('img.preview')?.naturalWidth > 100);
  const summary = await page.textContent('.print-summary');
  expect(summary.startsWith('将打印：') && summary.includes('页'), `a plain summary of what prints: ${summary}`);
  await check(page, '09-certificate-preview');
  await page.click('#preview button.primary');
  await screen(page, 'printed', 60000);
  await check(page, '10-printed');
  const jobs = await ask('printer-jobs');
  expect(jobs === '1', `the printer received exactly one job (got ${jobs})`);

  // The card leaves: start screen, and the record's text is gone from the DOM, not hidden.
  const removed = Date.now();
  await ask('remove');
  await screen(page, 'start');
  console.log(`card removed → start screen: ${Date.now() - removed} ms`);
  const after = await allText(page);
  expect(!after.includes(EXPECT.name), 'the name is gone from the DOM');
  for (const ins of EXPECT.insurances) {
    expect(!after.includes(`${ins.months_paid} 个月`), 'the figures are gone from the DOM');
  }
  expect(await page.$('#overview, #printed, img.preview') === null, 'no record node left');

  // Refusals: each says what to do next, and opens nothing.
  await ask('insert-profile', 'expired.json');
  await screen(page, 'refused');
  expect((await page.textContent('main')).includes('过有效期'), 'expired card screen');
  await check(page, '11-expired-card');
  await ask('remove');
  await screen(page, 'start');

  await ask('insert-profile', 'zhang-san-2.00.json');
  await screen(page, 'refused');
  const unknown = await page.textContent('main');
  expect(unknown.includes('没有找到') && unknown.includes(EXPECT.desk), 'unknown person: which window to go to');
  await check(page, '12-unknown-person');
  await ask('remove');
  await screen(page, 'start');

  await ask('insert', EXPECT.lost_ssn);
  await screen(page, 'refused');
  expect((await page.textContent('main')).includes('挂失'), 'card reported lost screen');
  await check(page, '13-card-lost');
  await ask('remove');
  await screen(page, 'start');
});
