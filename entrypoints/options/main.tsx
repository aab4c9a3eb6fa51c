import { render } from 'preact';
import { browser } from 'wxt/browser';
import { Options, type OptionsPort } from '../../components/Options.tsx';
import { readCaptures, readLearnedKeys, readPins, readSettings, sendCommand, writeLearnedKeys, writePins, writeSettings } from '../../lib/store/browser.ts';
import { toExpectations } from '../../lib/settings.ts';
import { compareWithTraffic } from '../../lib/signature/metadata.ts';
import { loadVerifier } from '../../lib/signature/load.ts';
import '../../components/theme.css';

const port: OptionsPort = {
  // Options shows what is locked: it waits for managed storage (seconds only right after the browser starts).
  load: () => readSettings({ waitForPolicy: true }),
  async save(s) {
    await writeSettings(s);
    await sendCommand({ type: 'settings-changed' });
  },
  async requestOrigins(origins) {
    return browser.permissions.request({ origins });
  },
  async hasOrigins(origins) {
    return browser.permissions.contains({ origins });
  },
  loadPins: readPins,
  loadLearnedKeys: readLearnedKeys,
  saveLearnedKeys: writeLearnedKeys,
  async clearPins() {
    await writePins({});
  },
  // The verifier loads only when metadata is imported.
  async compareWithTraffic(imported) {
    const [{ settings }, verifier, { analyze }] = await Promise.all([readSettings(), loadVerifier(), import('../../lib/analyze.ts')]);
    const captures = await readCaptures(settings);
    if (!captures.messages.length) return [];
    const r = await analyze({ messages: captures.messages, steps: captures.steps, expectations: toExpectations(settings) }, { verifier });
    return compareWithTraffic(r, imported.idp, imported.sp).map((d) => d.text);
  },
};

render(<Options port={port} />, document.getElementById('app')!);
