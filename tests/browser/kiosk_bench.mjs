// The benchmark's browser side (benches/kiosk.rs): TAPS card insertions, each timed from the
// session event to the record's DOM being complete (window.kioskTimings), reported back to the
// benchmark, which adds the card's side. Asserts nothing about time.

import { run, ask, screen, enterPin } from './kiosk_lib.mjs';

const TAPS = Number(process.env.TAPS ?? 50);
// The kiosk of a terminal asks for the PIN; the all-in-one baseline of before did not.
const WITH_PIN = Boolean(process.env.WITH_PIN);

await run(async (page) => {
  await screen(page, 'start');
  await page.waitForFunction(() => document.getElementById('reader-status').textContent.includes('就绪'));
  for (let i = 0; i < TAPS; i += 1) {
    await ask('insert');
    if (WITH_PIN) await enterPin(page);
    await page.waitForFunction((n) => window.kioskTimings.length > n, i, { timeout: 20000 });
    const timing = await page.evaluate((n) => window.kioskTimings[n], i);
    await ask('tap', JSON.stringify(timing));
    await ask('remove');
    await screen(page, 'start');
  }
  await ask('rss');
});
