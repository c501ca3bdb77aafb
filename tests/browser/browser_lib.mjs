// Shared by every browser script: Debian's chromium with the closed-network flags, the failed
// expectation, the axe-core check (WCAG 2.1 A/AA) and screenshots.

import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import path from 'node:path';
import { readFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

/** Debian's chromium (no browser download), with flags for a machine without a network. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run'],
  });
}

export function expect(condition, message) {
  if (!condition) throw new Error(`expectation failed: ${message}`);
}

/** No WCAG 2.1 A/AA violation on what is on screen now. */
export async function axe(page, label) {
  // Evaluated through the DevTools protocol: the pages' CSP (rightly) refuses an injected
  // inline <script>, which is what addScriptTag would add.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(readFileSync(AXE, 'utf8'));
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  }));
  const found = result.violations.map((v) =>
    `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n    ')}`);
  expect(found.length === 0, `axe on "${label}":\n  ${found.join('\n  ')}`);
  console.log(`axe: ${label}: no WCAG 2.1 AA violations (${result.passes.length} rules passed)`);
}

/** A full-page screenshot `<dir>/<name>.png`. */
export async function shot(page, dir, name) {
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}

/** Runs `main(browser)`, closes the browser, and exits non-zero with the failure's stack. */
export async function runWith(main) {
  const browser = await launchBrowser();
  try {
    await main(browser);
    console.log('ok');
  } catch (e) {
    console.log(`FAILED: ${e.stack ?? e}`);
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}

/** Signs in on the staff page at `base` (it does not wait for what comes after). */
export async function staffSignIn(page, base, username, password) {
  await page.goto(`${base}/staff/`);
  await page.waitForSelector('#login-form', { state: 'visible' });
  await page.fill('#login-form [name=username]', username);
  await page.fill('#login-form [name=password]', password);
  await page.press('#login-form [name=password]', 'Enter');
}
