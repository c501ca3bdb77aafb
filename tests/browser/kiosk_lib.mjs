// Shared by the kiosk browser scripts: the browser, requests to the Rust test that owns the real
// parts (card, pcscd, printer), the axe check and screenshots.

import { chromium } from 'playwright-core';
import { createInterface } from 'node:readline';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

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

export function expect(condition, message) {
  if (!condition) throw new Error(`expectation failed: ${message}`);
}

export async function launch() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run'],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 1024 } });
  page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') console.log(`console: ${m.text()}`); });
  await page.goto(`${BASE}/kiosk/`);
  return { browser, page };
}

export async function screen(page, name, timeout = 20000) {
  await page.waitForSelector(`main[data-screen="${name}"]`, { timeout });
}

/** No WCAG 2.1 A/AA violation on what is on screen now. */
export async function axe(page, label) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  }));
  const found = result.violations.map((v) =>
    `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n    ')}`);
  expect(found.length === 0, `axe on "${label}":\n  ${found.join('\n  ')}`);
  console.log(`axe: ${label}: no WCAG 2.1 AA violations (${result.passes.length} rules passed)`);
}

export async function shot(page, name) {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
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
