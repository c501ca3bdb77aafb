// The admin's area of the staff page: a failed print job is put back in the queue with its
// button, and a persons export is imported from a file chosen in the form (then a file with a
// bad row, whose line and reason are shown). Checked with axe-core and photographed into $SHOTS.
import { runWith, expect, axe, shot as shotIn } from './browser_lib.mjs';

const { BASE, PASSWORD, SHOTS, GOOD_CSV, BAD_CSV, JOB_ID } = process.env;

await runWith(async (browser) => {
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
  await axe(page, 'admin area');
  await shotIn(page, SHOTS, '01-print-jobs');
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
  await axe(page, 'import result');
  await shotIn(page, SHOTS, '02-import');
});
