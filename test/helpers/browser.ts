// Debian's Chromium through playwright-core for the end-to-end tests: launch flags, the
// skip-unless-CI rule, a once-only board build, and screenshots into test-artifacts/.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from 'playwright-core';
import { describe, it, expect } from 'vitest';
import { buildBoard, needsBuild, ROOT } from '../../scripts/board-build.mjs';
import { signIn, type Session } from './auth.js';
import { TEST_ADMIN_PASSWORD } from './server.js';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM_PATH);
export const ARTIFACTS = path.join(ROOT, 'test-artifacts');

/**
 * describe() when Chromium is installed; otherwise the suite is skipped, except under
 * CI=true, where a missing Chromium is a failing test (design.md, Running).
 */
export function describeBrowser(name: string, fn: () => void): void {
  if (hasChromium) {
    describe(name, fn);
    return;
  }
  if (process.env['CI'] === 'true') {
    describe(name, () => {
      it('needs Debian Chromium at /usr/bin/chromium (apt-get install chromium)', () => {
        expect(existsSync(CHROMIUM_PATH)).toBe(true);
      });
    });
    return;
  }
  describe.skip(`${name} (skipped: no Chromium at ${CHROMIUM_PATH})`, fn);
}

let cjkFont: boolean | undefined;

/**
 * Throws unless fontconfig lists a Chinese font. Without one Chromium draws Chinese as
 * empty boxes of another width, so a zh fit check would pass or fail on the boxes.
 */
export function requireCjkFont(): void {
  if (cjkFont === undefined) {
    try {
      cjkFont = execFileSync('fc-list', [':lang=zh'], { encoding: 'utf8' }).trim() !== '';
    } catch {
      cjkFont = false;
    }
  }
  if (!cjkFont)
    throw new Error(
      'No CJK font installed (`fc-list :lang=zh` lists nothing): Chinese would render as ' +
        'empty boxes and the zh checks would measure those. Install one: ' +
        'apt-get install fonts-noto-cjk',
    );
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

const LOCK = path.join(ROOT, '.tmp/e2e-board-build.lock');

/**
 * Builds wallboard/dist once if it is missing or stale. Test files run in parallel
 * workers, so a lock directory (mkdir is atomic) makes the others wait for one build.
 */
export async function ensureBoardBuilt(): Promise<void> {
  for (;;) {
    if (!needsBuild()) return;
    try {
      mkdirSync(path.dirname(LOCK), { recursive: true });
      mkdirSync(LOCK);
    } catch {
      // Another worker builds; a lock older than 5 min is from a crashed run.
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > 300_000)
          rmSync(LOCK, { recursive: true, force: true });
      } catch {
        /* removed meanwhile */
      }
      await new Promise((r) => setTimeout(r, 500));
      continue;
    }
    try {
      if (needsBuild()) {
        const code = await buildBoard('ignore');
        if (code !== 0) throw new Error(`vite build failed with exit code ${code}`);
      }
      return;
    } finally {
      rmSync(LOCK, { recursive: true, force: true });
    }
  }
}

/** Saves a PNG under test-artifacts/ (gitignored) and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

const sessions = new Map<string, Promise<Session>>();

/**
 * A browser context signed in to a test server (the first admin by default): its pages,
 * fetches and WebSockets carry the session cookie, as a person's browser would. Sessions
 * are kept per server and user, so argon2 runs once per test file, not per page.
 */
export async function newSignedInContext(
  browser: Browser,
  server: { url: string },
  options: BrowserContextOptions = {},
  user = 'admin',
  password = TEST_ADMIN_PASSWORD,
): Promise<BrowserContext> {
  if (options.locale?.startsWith('zh')) requireCjkFont();
  const key = `${server.url}|${user}`;
  let s = sessions.get(key);
  if (!s) sessions.set(key, (s = signIn(server, user, password)));
  const context = await browser.newContext(options);
  await context.addCookies((await s).cookies.map((c) => ({ ...c, url: server.url })));
  return context;
}

/** A page in a signed-in context of its own (see newSignedInContext). */
export async function newSignedInPage(
  browser: Browser,
  server: { url: string },
  options: BrowserContextOptions = {},
): Promise<Page> {
  const context = await newSignedInContext(browser, server, options);
  const page = await context.newPage();
  // Closing the page closes its context too, like browser.newPage().
  page.once('close', () => void context.close().catch(() => undefined));
  return page;
}
