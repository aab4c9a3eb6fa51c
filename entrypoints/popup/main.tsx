import { render } from 'preact';
import { createAppStore } from '../../lib/store/index.ts';
import { browserPort } from '../../lib/store/browser.ts';
import { Popup } from '../../components/Popup.tsx';
import '../../components/theme.css';

const store = createAppStore(browserPort());
void store.getState().load();
render(<Popup store={store} />, document.getElementById('app')!);
