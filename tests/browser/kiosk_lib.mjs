// Shared by the kiosk browser scripts, on top of browser_lib.mjs: the kiosk page, requests to
// the Rust test that owns the real parts (card, pcscd, printer), the check of each screen.

import { createInterface } from 'node:readline';
import { launchBrowser, expect, axe, shot as shotIn } from './browser_lib.mjs';

export { expect, axe };

export const BASE = process.env.KIOSK_URL;
export const SHOTS = process.env.SCREENSHOTS;

const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

/** Asks the Rust test to do something (a line `@@ action args`); resolves to its answer. */
export async function ask(action, ...args) {
  console.log(`@@ ${action} ${args.join(' ')}`);
  const { value, done } = await lines.next();
  if (done) throw new Error(`no answer to ${action}`);
  return value;
}

export async function launch() {
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1280, height: 1024 } });
  page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') console.log(`console: ${m.text()}`); });
  await page.goto(`${BASE}/kiosk/`);
  return { browser, page };
}

export async function screen(page, name, timeout = 20000) {
  await page.waitForSelector(`main[data-screen="${name}"]`, { timeout });
}

/** Types `pin` on the screen's PIN pad (as a citizen would) and presses 确认. */
export async function enterPin(page, pin = '123456') {
  await screen(page, 'pin');
  for (const digit of pin) await page.click(`.pin-pad button:text-is("${digit}")`);
  await page.click('.pin-pad button:text-is("确认")');
}

export async function shot(page, name) {
  await shotIn(page, SHOTS, name);
}

/** axe + screenshot of the current screen. */
export async function check(page, name) {
  await axe(page, name);
  await shot(page, name);
}

/** The text of the page and of the DOM (hidden nodes included). */
export async function allText(page) {
  return page.evaluate(() => document.documentElement.textContent);
}

export async function run(main) {
  let browser;
  try {
    const launched = await launch();
    browser = launched.browser;
    await main(launched.page);
    console.log('ok');
  } catch (e) {
    console.log(`FAILED: ${e.stack ?? e}`);
    process.exitCode = 1;
  } finally {
    await browser?.close();
    process.stdin.destroy();
  }
}
