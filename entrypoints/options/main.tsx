import { render } from 'preact';
import { browser } from 'wxt/browser';
import { Options, type OptionsPort } from '../../components/Options.tsx';
import { readSettings, sendCommand, writeSettings } from '../../lib/store/browser.ts';
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
};

render(<Options port={port} />, document.getElementById('app')!);
