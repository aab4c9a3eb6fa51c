// Real Firefox for end-to-end tests (see /work/shared/BROWSER-TESTING.md): Debian's firefox-esr
// driven by puppeteer-core over WebDriver BiDi (never a browser download), a fresh profile, the
// built Firefox MV3 extension installed unpacked under a fixed UUID, and every HTTPS request sent
// through a local CONNECT proxy to the lab, so pages and the extension see the real Entra / AWS
// host names without DNS tricks or port 443.
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { isAbsolute, join, resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

const CANDIDATES = ['/usr/bin/firefox-esr', '/usr/bin/firefox', '/usr/lib/firefox-esr/firefox-esr'];

export const FIREFOX_INSTALL_HINT =
  "Firefox not found at /usr/bin/firefox-esr. Install Debian's package: " +
  'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y firefox-esr (or set FIREFOX_PATH).';

/** The Firefox to drive, or undefined. FIREFOX_PATH overrides. */
export function findFirefox(): string | undefined {
  const env = process.env.FIREFOX_PATH;
  if (env) return existsSync(env) ? env : undefined;
  return CANDIDATES.find((p) => existsSync(p));
}

/** The extension's gecko id (wxt.config.ts) and the moz-extension:// host the tests give it. */
export const GECKO_ID = 'samlscope@samlscope.dev';
export const FIREFOX_EXTENSION_UUID = '5a3c0b6e-2f1d-4c8e-9a7b-51e0d3f2c6a4';

export interface LaunchedFirefox {
  browser: Browser;
  /** moz-extension://<uuid> */
  extensionOrigin: string;
  /** Firefox's stdout/stderr lines (console output of the extension with the prefs set below). */
  log: string[];
  close(): Promise<void>;
}

/** A CONNECT proxy that sends every tunnel to 127.0.0.1:port (the lab). */
function startTunnel(port: number): Promise<Server> {
  const server = createServer((_req, res) => {
    res.writeHead(405).end();
  });
  server.on('connect', (req, client, head) => {
    const upstream = connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    const end = () => {
      upstream.destroy();
      client.destroy();
    };
    upstream.on('error', end);
    client.on('error', end);
    void req;
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)));
}

export async function launchFirefox(o: {
  extensionDir: string;
  labPort: number;
  /** Suspend the idle background page after this many ms (Firefox's default is 30 s). */
  backgroundIdleMs?: number;
  prefs?: Record<string, string | number | boolean>;
}): Promise<LaunchedFirefox> {
  const executablePath = findFirefox();
  if (!executablePath) throw new Error(FIREFOX_INSTALL_HINT);
  const dir = isAbsolute(o.extensionDir) ? o.extensionDir : resolve(o.extensionDir);
  if (!existsSync(join(dir, 'manifest.json'))) throw new Error(`no manifest.json in ${dir}: build the extension first (npm run build:firefox)`);
  const tunnel = await startTunnel(o.labPort);
  const proxyPort = (tunnel.address() as { port: number }).port;
  const log: string[] = [];
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      browser: 'firefox',
      protocol: 'webDriverBiDi',
      executablePath,
      headless: true,
      acceptInsecureCerts: true,
      dumpio: false,
      // Opening moz-extension:// pages over BiDi needs system access.
      args: ['--remote-allow-system-access'],
      extraPrefsFirefox: {
        'xpinstall.signatures.required': false,
        'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: FIREFOX_EXTENSION_UUID }),
        // Every request through the tunnel to the lab; nothing reaches the network.
        'network.proxy.type': 1,
        'network.proxy.ssl': '127.0.0.1',
        'network.proxy.ssl_port': proxyPort,
        'network.proxy.http': '127.0.0.1',
        'network.proxy.http_port': proxyPort,
        'network.proxy.no_proxies_on': '',
        'network.proxy.allow_hijacking_localhost': true,
        'network.trr.mode': 5,
        'devtools.console.stdout.content': true,
        'devtools.console.stdout.chrome': true,
        // Host permissions granted at install (Firefox MV3 lets users withhold them; the
        // permission test withdraws them on purpose).
        'extensions.originControls.grantByDefault': true,
        ...(o.backgroundIdleMs ? { 'extensions.background.idle.timeout': o.backgroundIdleMs } : {}),
        ...o.prefs,
      },
    });
  } catch (e) {
    tunnel.close();
    throw e;
  }
  browser.process()?.stdout?.on('data', (d: Buffer) => log.push(...d.toString().split('\n').filter(Boolean)));
  browser.process()?.stderr?.on('data', (d: Buffer) => log.push(...d.toString().split('\n').filter(Boolean)));
  const close = async () => {
    await browser.close().catch(() => undefined);
    tunnel.close();
  };
  try {
    await browser.installExtension(dir);
  } catch (e) {
    await close();
    throw e;
  }
  return { browser, extensionOrigin: `moz-extension://${FIREFOX_EXTENSION_UUID}`, log, close };
}

/** Opens an extension page and waits for `selector` (load events may never come for them). */
export async function openExtensionPage(f: LaunchedFirefox, path: string, selector: string, timeoutMs = 15_000): Promise<Page> {
  const page = await f.browser.newPage();
  void page.goto(`${f.extensionOrigin}/${path}`, { waitUntil: [] as never }).catch(() => undefined);
  await page.waitForSelector(selector, { timeout: timeoutMs });
  return page;
}
