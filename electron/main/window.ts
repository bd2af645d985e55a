import { BrowserWindow, shell, type WebPreferences } from 'electron';

import { appIndexUrl } from './app-origin.js';
import { lockDownContents } from './security.js';

/** The renderer gets no Node, its own JS world, the OS sandbox and full web security. */
export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  };
}

export function createMainWindow(preload: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1100,
    height: 760,
    minWidth: 720,
    minHeight: 520,
    title: 'Cloudward',
    show: false,
    webPreferences: secureWebPreferences(preload),
  });
  lockDownContents(window.webContents, (url) => void shell.openExternal(url));
  window.once('ready-to-show', () => window.show());
  void window.loadURL(appIndexUrl);
  return window;
}
