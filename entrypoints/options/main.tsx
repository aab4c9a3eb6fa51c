import { render } from 'preact';
import { browser } from 'wxt/browser';
import { Options, type OptionsPort } from '../../components/Options.tsx';
import { readCaptures, readLearnedKeys, readPins, readSettings, sendCommand, writeLearnedKeys, writePins, writeSettings } from '../../lib/store/browser.ts';
import { toExpectations } from '../../lib/settings.ts';
import { compareWithTraffic } from '../../lib/signature/metadata.ts';
import '../../components/theme.css';

const port: OptionsPort = {
  load: readSettings,
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
    const [{ settings }, { analyzeWithSignatures }] = await Promise.all([readSettings(), import('../../lib/signature/verify.ts')]);
    const captures = await readCaptures(settings);
    if (!captures.messages.length) return [];
    const r = await analyzeWithSignatures({ messages: captures.messages, steps: captures.steps, expectations: toExpectations(settings) });
    return compareWithTraffic(r, imported.idp, imported.sp).map((d) => d.text);
  },
};

render(<Options port={port} />, document.getElementById('app')!);
