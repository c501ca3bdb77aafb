// The start screen when no watched reader is connected, in both languages, with axe.

import { run, expect, screen, check } from './kiosk_lib.mjs';

await run(async (page) => {
  await screen(page, 'start');
  await page.waitForFunction(() => document.querySelector('main h1')?.textContent.includes('读卡器未连接'), null, { timeout: 20000 });
  expect((await page.textContent('#reader-status')).includes('未连接'), 'the header says no reader');
  expect((await page.textContent('main')).includes(process.env.DESK), 'it names the window to go to');
  await check(page, '30-no-reader');
  await page.click('#lang');
  await page.waitForFunction(() => document.querySelector('main h1')?.textContent.includes('No card reader'));
  await check(page, '31-no-reader-en');
});
