// The admin's area of the staff page: a failed print job is put back in the queue with its
// button, and a persons export is imported from a file chosen in the form (then a file with a
// bad row, whose line and reason are shown). Checked with axe-core and photographed into $SHOTS.
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const { BASE, PASSWORD, SHOTS, GOOD_CSV, BAD_CSV, JOB_ID } = process.env;
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

function expect(condition, message) {
  if (!condition) {
    console.error(`staff_admin.mjs: ${message}`);
    process.exit(1);
  }
}

async function accessible(page, screen) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }));
  const problems = result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(problems.length === 0, `${screen} has accessibility violations:\n${problems.join('\n')}`);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--no-first-run'],
});
try {
  const page = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await page.goto(`${BASE}/staff/`);
  await page.waitForSelector('#login-form', { state: 'visible' });
  await page.fill('#login-form [name=username]', 'ada');
  await page.fill('#login-form [name=password]', PASSWORD);
  await page.press('#login-form [name=password]', 'Enter');
  await page.waitForSelector('#lookup-view', { state: 'visible' });
  await page.click('nav [data-view=accounts]');
  await page.waitForSelector('#import-form', { state: 'visible' });

  // The failed job is listed with its retry button; pressing it queues the job again.
  const row = `#print-jobs tbody tr:has(td:text-is("${JOB_ID}"))`;
  await page.waitForSelector(`${row} button`);
  await accessible(page, 'admin area');
  await page.screenshot({ path: `${SHOTS}/01-print-jobs.png`, fullPage: true });
  await page.click(`${row} button`);
  await page.waitForFunction(() => document.querySelector('#message').textContent.includes('重新排队'));
  await page.waitForSelector(`${row} button`, { state: 'detached' });
  const state = await page.textContent(`${row} td:nth-child(4)`);
  expect(state === '排队中', `the job is queued again, shown as ${state}`);

  await page.selectOption('#import-form [name=kind]', 'persons');
  await page.fill('#import-form [name=source]', 'hr-system');
  await page.setInputFiles('#import-form [name=file]', GOOD_CSV);
  await page.click('#import-form button[type=submit]');
  await page.waitForFunction(() => document.querySelector('#import-result').textContent.includes('导入 3 行'));

  await page.setInputFiles('#import-form [name=file]', BAD_CSV);
  await page.click('#import-form button[type=submit]');
  await page.waitForFunction(() => document.querySelector('#import-result').textContent.includes('拒绝 1 行'));
  const result = await page.textContent('#import-result');
  expect(/第 3 行 ssn：\S/.test(result), `the rejected row with its line and reason:\n${result}`);
  await accessible(page, 'import result');
  await page.screenshot({ path: `${SHOTS}/02-import.png`, fullPage: true });
} finally {
  await browser.close();
}
