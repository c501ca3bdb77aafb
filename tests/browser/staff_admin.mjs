// The admin's area of the staff page: a failed print job is put back in the queue with its
// button, and a persons export is imported from a file chosen in the form (then a file with a
// bad row, whose line and reason are shown). Then the admin adds a clerk with a first password;
// the clerk signs in, gets only the screen that sets their own password, sets it and reaches
// the lookup; the admin resets it again from the accounts table. Checked with axe-core and
// photographed into $SHOTS.
import { runWith, expect, axe, shot as shotIn, staffSignIn } from './browser_lib.mjs';

const { BASE, PASSWORD, SHOTS, GOOD_CSV, BAD_CSV, JOB_ID, NEW_CLERK, FIRST_PASSWORD, OWN_PASSWORD, RESET_PASSWORD } = process.env;

async function signIn(page, username, password) {
  await staffSignIn(page, BASE, username, password);
}

await runWith(async (browser) => {
  const page = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await page.goto(`${BASE}/staff/`);
  await page.waitForSelector('#login-form', { state: 'visible' });
  await page.fill('#login-form [name=username]', 'ada');
  await page.fill('#login-form [name=password]', PASSWORD);
  await page.press('#login-form [name=password]', 'Enter');
  await page.waitForSelector('#lookup-view', { state: 'visible' });
  // The print queue has its own tab, with where each job came from.
  await page.click('nav [data-view=print]');
  await page.waitForSelector('#print-view', { state: 'visible' });

  // The failed job is listed with its retry button; pressing it queues the job again.
  const row = `#print-jobs tbody tr:has(td:text-is("${JOB_ID}"))`;
  await page.waitForSelector(`${row} button:text-is("重试")`);
  await axe(page, 'print queue');
  await shotIn(page, SHOTS, '01-print-jobs');
  await page.click(`${row} button:text-is("重试")`);
  await page.waitForFunction(() => document.querySelector('#message').textContent.includes('重新排队'));
  await page.waitForSelector(`${row} button:text-is("重试")`, { state: 'detached' });
  const state = await page.textContent(`${row} td:nth-child(5)`);
  expect(state === '排队中', `the job is queued again, shown as ${state}`);
  // A queued job can be cancelled (after a confirmation): it will never print.
  await page.click(`${row} button[data-cancel]`);
  await page.waitForSelector('dialog.confirm', { state: 'visible' });
  await axe(page, 'cancel confirmation');
  await page.click('#confirm-ok');
  await page.waitForFunction((id) => [...document.querySelectorAll('#print-jobs tbody tr')]
    .some((tr) => tr.cells[0].textContent === id && tr.cells[4].textContent === '已取消'), JOB_ID);
  // The state filter shows only the chosen state.
  await page.selectOption('#print-jobs-state', 'cancelled');
  await page.waitForFunction(() => [...document.querySelectorAll('#print-jobs tbody tr')].every((tr) => tr.cells[4].textContent === '已取消'));

  await page.click('nav [data-view=accounts]');
  await page.waitForSelector('#import-form', { state: 'visible' });
  await axe(page, 'admin area');

  await page.selectOption('#import-form [name=kind]', 'persons');
  await page.fill('#import-form [name=source]', 'hr-system');
  await page.setInputFiles('#import-form [name=file]', GOOD_CSV);
  await page.click('#import-form button[type=submit]');
  await page.waitForFunction(() => document.querySelector('#import-result').textContent.includes('全部导入（3 行）'));

  await page.setInputFiles('#import-form [name=file]', BAD_CSV);
  await page.click('#import-form button[type=submit]');
  await page.waitForFunction(() => document.querySelector('#import-result').textContent.includes('拒绝 1 行'));
  const result = await page.textContent('#import-result');
  expect(/第 3 行 ssn：\S/.test(result), `the rejected row with its line and reason:\n${result}`);
  // Partly imported is said so, in the warning colour, with the rejected rows to download.
  expect(result.startsWith('部分导入'), `a partial import says so: ${result}`);
  expect(await page.$eval('#import-result', (n) => n.className) === 'warning', 'a partial import is shown as a warning');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#rejects-csv')]);
  const csv = (await import('node:fs')).readFileSync(await download.path(), 'utf8');
  expect(csv.includes('行号,列,原因') && csv.includes('"3","ssn"'), `the rejected rows as CSV:\n${csv}`);
  await axe(page, 'import result');
  await shotIn(page, SHOTS, '02-import');

  // A new clerk, with a first password the admin chose.
  await page.fill('#account-form [name=username]', NEW_CLERK);
  await page.fill('#account-form [name=display_name]', '陈柜员');
  await page.fill('#account-form [name=window_no]', '5');
  await page.selectOption('#account-form [name=role]', 'clerk');
  await page.fill('#account-form [name=password]', FIRST_PASSWORD);
  await page.click('#account-form button[type=submit]');
  const clerkRow = `#accounts tbody tr:has(td:text-is("${NEW_CLERK}"))`;
  await page.waitForSelector(clerkRow);
  const listed = await page.textContent(clerkRow);
  expect(listed.includes('待本人设置密码'), `the new account waits for its own password: ${listed}`);

  // The clerk's first sign-in shows nothing but the password screen, focused on its first field.
  const clerk = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await signIn(clerk, NEW_CLERK, FIRST_PASSWORD);
  await clerk.waitForSelector('#first-password-view', { state: 'visible' });
  expect(await clerk.isHidden('#lookup-view'), 'no lookup before the password is set');
  const menu = await clerk.$$eval('nav [data-view]', (bs) => bs.filter((b) => !b.hidden).map((b) => b.textContent));
  expect(menu.length === 0, `only 退出 in the menu, not ${menu}`);
  expect(await clerk.isVisible('#logout'), 'signing out stays possible');
  const focused = await clerk.evaluate(() => document.activeElement.name);
  expect(focused === 'current_password', `the current password field should have the focus, not ${focused}`);
  await axe(clerk, 'forced password change');
  await shotIn(clerk, SHOTS, '03-first-password');

  // Keyboard only: a mistyped repeat is caught on the page, then the real change.
  await clerk.keyboard.type(FIRST_PASSWORD);
  await clerk.keyboard.press('Tab');
  await clerk.keyboard.type(OWN_PASSWORD);
  await clerk.keyboard.press('Tab');
  await clerk.keyboard.type(OWN_PASSWORD + 'x');
  await clerk.keyboard.press('Enter');
  await clerk.waitForFunction(() => document.querySelector('#message').textContent.includes('不一致'));
  expect(await clerk.isVisible('#first-password-view'), 'still on the password screen');
  await clerk.fill('#first-password-form [name=repeat_password]', OWN_PASSWORD);
  await clerk.press('#first-password-form [name=repeat_password]', 'Enter');
  await clerk.waitForSelector('#lookup-view', { state: 'visible' });
  const then = await clerk.evaluate(() => document.activeElement.id);
  expect(then === 'ssn', `after the change the ID number field has the focus, not ${then}`);
  await clerk.waitForFunction(() => document.querySelector('#message').textContent.includes('密码已设置'));
  await axe(clerk, 'lookup after the password change');
  await shotIn(clerk, SHOTS, '04-after-first-password');

  // The admin resets the clerk's password: a dialog asks for the temporary one.
  await page.click('nav [data-view=accounts]');
  await page.waitForSelector(clerkRow);
  await page.waitForSelector(`${clerkRow} td:text-is("正常")`);
  await page.click(`${clerkRow} button:text-is("重置密码")`);
  await page.waitForSelector('#reset-dialog', { state: 'visible' });
  const inDialog = await page.evaluate(() => document.activeElement.name);
  expect(inDialog === 'password', `the dialog's password field has the focus, not ${inDialog}`);
  await page.keyboard.type('short');
  await page.keyboard.press('Enter');
  // minlength stops a too-short one in the browser; the dialog stays open.
  expect(await page.isVisible('#reset-dialog'), 'a too short password is not sent');
  await page.fill('#reset-form [name=password]', RESET_PASSWORD);
  await axe(page, 'reset password dialog');
  await shotIn(page, SHOTS, '05-reset-dialog');
  await page.press('#reset-form [name=password]', 'Enter');
  await page.waitForSelector('#reset-dialog', { state: 'hidden' });
  await page.waitForFunction(() => document.querySelector('#message').textContent.includes('密码已重置'));
  await page.waitForSelector(`${clerkRow} td:text-is("待本人设置密码")`);
  const back = await page.evaluate(() => document.activeElement.dataset.reset);
  expect(back === NEW_CLERK, `the focus is back on ${NEW_CLERK}'s reset button, not ${back}`);

  // The clerk's session has ended: the next lookup brings the login back.
  await clerk.selectOption('#lookup-form [name=purpose]', 'citizen_request');
  await clerk.fill('#ssn', '11010519491231002X');
  await clerk.press('#ssn', 'Enter');
  await clerk.waitForSelector('#login-form', { state: 'visible' });
});
