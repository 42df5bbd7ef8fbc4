/**
 * The Chromium binary that playwright-core drives in the Web UI and report tests: `$PAM_CHROMIUM`, else the first of
 * `chromium` / `chromium-browser` found on PATH (Debian's package, which `scripts/setup.sh --with-browser` installs).
 * Looked up at run time so the test works wherever the browser lives.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

const names = ['chromium', 'chromium-browser'];

/** The browser's path; throws naming what was tried when there is none. */
export function chromiumExecutable(env: NodeJS.ProcessEnv = process.env): string {
  const override = env['PAM_CHROMIUM'];
  if (override) {
    const path = resolve(override);
    if (!isExecutableFile(path)) throw new Error(`PAM_CHROMIUM points to ${path}, which is not an executable file`);
    return path;
  }
  const dirs = (env['PATH'] ?? '').split(delimiter).filter((dir) => dir !== '');
  for (const name of names) {
    for (const dir of dirs) {
      const path = join(dir, name);
      if (isExecutableFile(path)) return path;
    }
  }
  throw new Error(
    `no Chromium found: neither PAM_CHROMIUM is set nor ${names.join(' / ')} is on PATH; ` +
      'install it with scripts/setup.sh --with-browser or set PAM_CHROMIUM to its path',
  );
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Headless Chromium through playwright-core, with nothing of its own reaching the network (no updates, no sync). */
export async function launchChromium(): Promise<import('playwright-core').Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: chromiumExecutable(),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
