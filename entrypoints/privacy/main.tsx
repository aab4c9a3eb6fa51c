// The privacy policy (PRIVACY.md, bundled at build time), linked from Options.
import { render } from 'preact';
import { Markdown } from '../../components/Markdown.tsx';
import policy from '../../PRIVACY.md?raw';
import '../../components/theme.css';

render(
  <main class="markdown-page">
    <Markdown text={policy} />
  </main>,
  document.getElementById('app')!,
);
