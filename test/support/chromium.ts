import fs from 'node:fs';
import { aptGetInstall } from '../../src/processes';

/**
 * Debian's Chromium for the browser tests (driven by playwright-core: no browser
 * downloaded). Installed with apt-get when missing and root; otherwise the harness
 * stops and says how.
 */
const candidates = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

export function ensureChromium(log: (message: string) => void): string {
  const found = () => candidates.find((candidate) => fs.existsSync(candidate));
  const existing = found();
  if (existing) return existing;
  if (process.getuid?.() !== 0)
    throw new Error('Chromium est introuvable : installez-le (Debian/Ubuntu : `sudo apt-get install -y chromium`).');
  log('chromium manquant : installation du paquet Debian chromium (apt-get)…');
  const failed = aptGetInstall(['chromium']);
  if (failed) throw new Error(`${failed} a échoué : Chromium reste introuvable.`);
  const installed = found();
  if (!installed) throw new Error('Chromium reste introuvable après apt-get install chromium.');
  return installed;
}
