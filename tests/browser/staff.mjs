// The staff UI end to end: clerk login → lookup by ID number (typed, Enter) → issue and print
// on behalf → the print finishes; supervisor login → audit search shows the clerk's entries.
// Every screen is checked with axe-core (WCAG 2.1 AA) and photographed into $SHOTS.
import { runWith, expect, axe, shot as shotIn, staffSignIn } from './browser_lib.mjs';

const { BASE, SSN, PASSWORD, SHOTS } = process.env;

async function shot(page, name) {
  await shotIn(page, SHOTS, name);
}

async function login(page, username) {
  await staffSignIn(page, BASE, username, PASSWORD);
  await page.waitForSelector('#lookup-view', { state: 'visible' });
}

await runWith(async (browser) => {
  const clerk = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await clerk.goto(`${BASE}/staff/`);
  await clerk.waitForSelector('#login-form', { state: 'visible' });
  await axe(clerk, 'login');
  await shot(clerk, '01-login');

  // A wrong password is refused in words.
  await clerk.fill('#login-form [name=username]', 'clara');
  await clerk.fill('#login-form [name=password]', 'not-the-password');
  await clerk.press('#login-form [name=password]', 'Enter');
  // In Chinese, with the code kept on the element (no English on a Chinese page).
  await clerk.waitForFunction(() => document.querySelector('#message').dataset.code === 'bad_credentials');
  const refusal = await clerk.textContent('#message');
  expect(refusal.includes('用户名或密码错误') && !/[a-z]{4}/.test(refusal), `the refusal is Chinese: ${refusal}`);

  await login(clerk, 'clara');
  // Keyboard-first: the ID field has the focus; type and press Enter.
  const focused = await clerk.evaluate(() => document.activeElement.id);
  expect(focused === 'ssn', `the ID number field should have the focus, not ${focused}`);
  await clerk.selectOption('#lookup-form [name=purpose]', 'certificate');
  await clerk.focus('#ssn');
  await clerk.keyboard.type(SSN.slice(0, 17) + (SSN[17] === '0' ? '1' : '0'));
  await clerk.keyboard.press('Enter');
  await clerk.waitForFunction(() => document.querySelector('#message').dataset.code === 'invalid_ssn');
  const wrong = await clerk.textContent('#message');
  expect(wrong.includes('校验位') && !/[a-z]{4}/.test(wrong), `the wrong check character is told in Chinese: ${wrong}`);
  await shot(clerk, '02-wrong-check-character');
  // A number pasted with spaces and a hyphen is taken as it is meant.
  await clerk.fill('#ssn', `${SSN.slice(0, 6)} ${SSN.slice(6, 14)}-${SSN.slice(14)}`);
  await clerk.keyboard.press('Enter');
  await clerk.waitForSelector('#record h3', { state: 'visible' });
  const heading = await clerk.textContent('#record h3');
  expect(heading.includes('李建国'), `record heading: ${heading}`);
  await axe(clerk, 'record');
  await shot(clerk, '03-record');
  // The same gap and arrears lines as the kiosk, next to the record.
  const problems = await clerk.textContent('#record .problems');
  expect(problems.includes('单位未缴') && problems.includes('未缴费'), `problems at the window: ${problems}`);

  await clerk.click('#issue-print');
  await clerk.waitForFunction(() => document.querySelector('#message').textContent.includes('已打印'),
    null, { timeout: 60000 });
  await shot(clerk, '04-printed');
  // The result also shows next to the button that was clicked.
  expect(await clerk.$('#record .near-result') !== null, 'the result is shown next to the button');
  // 下一位 (Esc) clears the citizen and the purpose: the next one must choose their own.
  await clerk.keyboard.press('Escape');
  await clerk.waitForSelector('#record', { state: 'hidden' });
  expect(await clerk.$eval('#lookup-form [name=purpose]', (s) => s.value) === '', 'the purpose is cleared for the next citizen');
  await clerk.fill('#ssn', SSN);
  await clerk.keyboard.press('Enter');
  await clerk.waitForFunction(() => document.querySelector('#message').textContent.includes('请先选择查询事由'));
  await clerk.click('#logout');
  await clerk.waitForSelector('#login-form', { state: 'visible' });

  const supervisor = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await login(supervisor, 'sam');
  await supervisor.click('nav [data-view=audit]');
  await supervisor.fill('#audit-form [name=subject_ssn]', SSN);
  await supervisor.click('#audit-form button[type=submit]');
  await supervisor.waitForSelector('#audit-results tbody tr');
  const rows = await supervisor.$$eval('#audit-results tbody tr', (trs) => trs.map((tr) => tr.textContent));
  // Chinese labels and the bureau's time (no raw codes, no UTC).
  expect(rows.some((r) => r.includes('工作人员 clara') && r.includes('打印证明')),
    `the clerk's print is in the audit log:\n${rows.join('\n')}`);
  expect(rows.some((r) => r.includes('工作人员 clara') && r.includes('查看记录') && r.includes('开具证明')),
    'the lookup with its purpose is in the audit log');
  expect(rows.every((r) => !r.includes('record.view') && !r.includes('UTC')), `no raw codes:\n${rows.join('\n')}`);
  // The staff picker takes a bare username; the date range is the bureau's days.
  await supervisor.fill('#audit-form [name=subject_ssn]', '');
  await supervisor.fill('#audit-form [name=actor]', 'clara');
  const today = await supervisor.evaluate(() => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date()));
  await supervisor.fill('#audit-form [name=from_date]', today);
  await supervisor.fill('#audit-form [name=until_date]', today);
  await supervisor.click('#audit-form button[type=submit]');
  await supervisor.waitForFunction(() => document.querySelector('#message').textContent.startsWith('已显示'));
  const clara = await supervisor.$$eval('#audit-results tbody tr', (trs) => trs.map((tr) => tr.textContent));
  expect(clara.length > 0 && clara.every((r) => r.includes('工作人员 clara')), `actor filter by username:\n${clara.join('\n')}`);
  await axe(supervisor, 'audit search');
  await shot(supervisor, '05-audit');
});
