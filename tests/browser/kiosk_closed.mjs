// A kiosk an admin took out of service: the start screen says so with the admin's note and the
// window to go to, in both languages, with axe.

import { run, expect, screen, check } from './kiosk_lib.mjs';

await run(async (page) => {
  await screen(page, 'start');
  await page.waitForFunction(() => document.querySelector('main h1')?.textContent.includes('本机暂停服务'), null, { timeout: 20000 });
  const text = await page.textContent('main');
  expect(text.includes(process.env.NOTE), 'it shows the admin\'s note');
  expect(text.includes(process.env.DESK), 'it names the window to go to');
  expect((await page.textContent('#reader-status')).includes('暂停服务'), 'the header says closed');
  expect(!(await page.$('.card-slot')), 'no card slot is drawn: nobody should insert a card');
  await check(page, '32-out-of-service');
  await page.click('#lang');
  await page.waitForFunction(() => document.querySelector('main h1')?.textContent.includes('out of service'));
  await check(page, '33-out-of-service-en');
});
