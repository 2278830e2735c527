// Renders media/icon.svg to the 128×128 media/icon.png the marketplace `icon` field needs (headless Debian Chromium).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const svgPath = fileURLToPath(new URL('../media/icon.svg', import.meta.url));
const pngPath = fileURLToPath(new URL('../media/icon.png', import.meta.url));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 } });
  await page.setContent(`<html><body style="margin:0;background:transparent">${readFileSync(svgPath, 'utf8')}</body></html>`);
  await page.screenshot({ path: pngPath, omitBackground: true, clip: { x: 0, y: 0, width: 128, height: 128 } });
} finally {
  await browser.close();
}
console.log(`wrote ${pngPath}`);
