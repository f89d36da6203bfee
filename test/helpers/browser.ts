// Debian's Chromium through playwright-core for the end-to-end tests: launch flags, the
// skip-unless-CI rule, a once-only board build, and screenshots into test-artifacts/.
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { describe, it, expect } from 'vitest';
import { buildBoard, needsBuild, ROOT } from '../../scripts/board-build.mjs';

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

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
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
        if (Date.now() - statSync(LOCK).mtimeMs > 300_000) rmSync(LOCK, { recursive: true, force: true });
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
