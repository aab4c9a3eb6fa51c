// Host access granted or taken away while the extension runs: the badge follows (capture.ts).
import { browser } from 'wxt/browser';
import type { CaptureService } from './capture.ts';

export function setupHostAccess(service: CaptureService): void {
  browser.permissions.onAdded.addListener(() => service.hostAccessChanged());
  browser.permissions.onRemoved.addListener(() => service.hostAccessChanged());
}
