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
  await clerk.waitForFunction(() => document.querySelector('#message').textContent.includes('bad_credentials'));

  await login(clerk, 'clara');
  // Keyboard-first: the ID field has the focus; type and press Enter.
  const focused = await clerk.evaluate(() => document.activeElement.id);
  expect(focused === 'ssn', `the ID number field should have the focus, not ${focused}`);
  await clerk.selectOption('#lookup-form [name=purpose]', 'certificate');
  await clerk.focus('#ssn');
  await clerk.keyboard.type(SSN.slice(0, 17) + (SSN[17] === '0' ? '1' : '0'));
  await clerk.keyboard.press('Enter');
  await clerk.waitForFunction(() => document.querySelector('#message').textContent.includes('invalid_ssn'));
  await shot(clerk, '02-wrong-check-character');
  await clerk.fill('#ssn', SSN);
  await clerk.keyboard.press('Enter');
  await clerk.waitForSelector('#record h3', { state: 'visible' });
  const heading = await clerk.textContent('#record h3');
  expect(heading.includes('李建国'), `record heading: ${heading}`);
  await axe(clerk, 'record');
  await shot(clerk, '03-record');

  await clerk.click('#issue-print');
  await clerk.waitForFunction(() => document.querySelector('#message').textContent.includes('已打印'),
    null, { timeout: 60000 });
  await shot(clerk, '04-printed');
  await clerk.click('#logout');
  await clerk.waitForSelector('#login-form', { state: 'visible' });

  const supervisor = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await login(supervisor, 'sam');
  await supervisor.click('nav [data-view=audit]');
  await supervisor.fill('#audit-form [name=subject_ssn]', SSN);
  await supervisor.click('#audit-form button[type=submit]');
  await supervisor.waitForSelector('#audit-results tbody tr');
  const rows = await supervisor.$$eval('#audit-results tbody tr', (trs) => trs.map((tr) => tr.textContent));
  expect(rows.some((r) => r.includes('staff:clara') && r.includes('certificate.print')),
    `the clerk's print is in the audit log:\n${rows.join('\n')}`);
  expect(rows.some((r) => r.includes('staff:clara') && r.includes('record.view') && r.includes('certificate')),
    'the lookup with its purpose is in the audit log');
  await axe(supervisor, 'audit search');
  await shot(supervisor, '05-audit');
});
