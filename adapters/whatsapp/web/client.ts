/**
 * The real whatsapp-web.js client: LocalAuth with its session folder under the data directory,
 * Debian's Chromium (`PUPPETEER_EXECUTABLE_PATH`, default /usr/bin/chromium), and the QR code
 * printed in the terminal. Loaded only when `WHATSAPP_WEB=1`, so puppeteer is not loaded otherwise.
 */
import { createRequire } from 'node:module';
import type { WebClient } from './index.js';

const require = createRequire(import.meta.url);

export function createWebClient(sessionDir: string, executablePath: string): WebClient {
  const { Client, LocalAuth } = require('whatsapp-web.js') as {
    Client: new (options: object) => WebClient;
    LocalAuth: new (options: { dataPath: string }) => object;
  };
  return new Client({
    authStrategy: new LocalAuth({ dataPath: sessionDir }),
    puppeteer: {
      executablePath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  });
}

/** Prints the pairing QR code in the terminal. */
export function printQr(qr: string): void {
  const qrcode = require('qrcode-terminal') as { generate(text: string, options: { small: boolean }): void };
  qrcode.generate(qr, { small: true });
}
