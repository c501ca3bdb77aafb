// 基金稽核 end to end: a supervisor opens the worklist, the case page with its evidence, and puts
// the case under review; a clerk looking up the same citizen sees only the banner. Every screen
// is checked with axe-core (WCAG 2.1 AA) and photographed into $SHOTS.
import { runWith, expect, axe, shot, staffSignIn } from './browser_lib.mjs';

const { BASE, SSN, PASSWORD, SHOTS } = process.env;

await runWith(async (browser) => {
  const page = async (username) => {
    const p = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
    await staffSignIn(p, BASE, username, PASSWORD);
    await p.waitForSelector('#lookup-view', { state: 'visible' });
    return p;
  };
  const sam = await page('sam');
  await sam.click('nav [data-view=cases]');
  await sam.waitForSelector('#cases tbody tr');
  await sam.waitForSelector('#case-figures tbody tr');
  await axe(sam, 'worklist');
  await shot(sam, SHOTS, '01-worklist');
  const first = await sam.textContent('#cases tbody tr');
  expect(first.includes(SSN), `the largest case is the citizen's: ${first}`);
  await sam.click('#cases tbody tr button');
  await sam.waitForSelector('#case .evidence-column');
  const columns = await sam.$$eval('#case .evidence-column h4', (hs) => hs.map((h) => h.textContent));
  expect(columns.length >= 1, `evidence columns: ${columns}`);
  await axe(sam, 'case');
  await shot(sam, SHOTS, '02-case');
  await sam.fill('#case [name=note]', '暂停发放，待核实');
  await sam.click('#case button:has-text("申请暂停发放并核查")');
  await sam.waitForFunction(() => document.querySelector('#message').textContent.includes('核查中')
    || document.querySelector('#case').textContent.includes('核查中'));
  await shot(sam, SHOTS, '03-under-review');

  const clara = await page('clara');
  expect(await clara.isHidden('nav [data-view=cases]'), 'a clerk has no 基金稽核');
  await clara.selectOption('#lookup-form [name=purpose]', 'citizen_request');
  await clara.fill('#ssn', SSN);
  await clara.keyboard.press('Enter');
  await clara.waitForSelector('#record .banner', { state: 'visible' });
  const banner = await clara.textContent('#record .banner');
  expect(banner.includes('基金安全') && !banner.includes('事项 '), `the clerk's banner: ${banner}`);
  await axe(clara, 'record with banner');
  await shot(clara, SHOTS, '04-clerk-banner');
});
