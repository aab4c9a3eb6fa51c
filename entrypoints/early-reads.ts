// A classic script in the head of popup.html, sidepanel.html and fullview.html: it starts the
// page's first storage reads before its modules load (lib/store/early.ts).
import { startEarlyReads } from '../lib/store/early.ts';

export default defineUnlistedScript(() => {
  startEarlyReads();
});
