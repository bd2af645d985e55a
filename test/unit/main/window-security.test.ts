import type { Session, WebContents } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { contentSecurityPolicyHeader } from '../../../electron/main/csp.js';
import { lockDownSession } from '../../../electron/main/security.js';
import { createMainWindow } from '../../../electron/main/window.js';
import { fakeElectron, FakeBrowserWindow, fakeSession } from './fake-electron.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).fakeElectron);

describe('the main window', () => {
  beforeEach(() => {
    FakeBrowserWindow.created.length = 0;
  });

  it('runs the renderer sandboxed, context-isolated, without Node and with web security on', () => {
    createMainWindow('/app/preload.cjs');
    const [window] = FakeBrowserWindow.created;
    const prefs = window?.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      preload: '/app/preload.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('loads our own bundle from app://cloudward, not a file:// or http:// page', () => {
    createMainWindow('/app/preload.cjs');
    expect(FakeBrowserWindow.created[0]?.loadURL).toHaveBeenCalledWith('app://cloudward/index.html');
  });

  it('denies every new window and every navigation, including to our own origin', () => {
    createMainWindow('/app/preload.cjs');
    const contents = FakeBrowserWindow.created[0]!.webContents;
    expect(contents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'app://cloudward/index.html' })).toEqual({ action: 'deny' });
    expect(fakeElectron.shell.openExternal).not.toHaveBeenCalled();
    expect(contents.emitPreventable('will-navigate', 'https://evil.example/')).toBe(true);
    expect(contents.emitPreventable('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(contents.emitPreventable('will-redirect', 'https://evil.example/')).toBe(true);
    expect(contents.emitPreventable('will-attach-webview')).toBe(true);
  });
});

describe('links to the outside', () => {
  it('hands only https Microsoft sign-in pages to the system browser, and still opens no window', () => {
    createMainWindow('/app/preload.cjs');
    const contents = FakeBrowserWindow.created.at(-1)!.webContents;
    fakeElectron.shell.openExternal.mockClear();
    expect(contents.windowOpenHandler?.({ url: 'https://microsoft.com/devicelogin' })).toEqual({ action: 'deny' });
    expect(fakeElectron.shell.openExternal).toHaveBeenCalledWith('https://microsoft.com/devicelogin');
    for (const url of ['http://microsoft.com/devicelogin', 'https://microsoft.com.evil.example/', 'https://user:pw@microsoft.com/', 'file:///C:/Windows/system32/calc.exe', 'https://microsoft.com:8443/']) {
      fakeElectron.shell.openExternal.mockClear();
      expect(contents.windowOpenHandler?.({ url })).toEqual({ action: 'deny' });
      expect(fakeElectron.shell.openExternal, url).not.toHaveBeenCalled();
    }
  });
});

describe('the session', () => {
  it('puts our CSP on every response, replacing whatever CSP the response carried', () => {
    const { session, handlers } = fakeSession();
    lockDownSession(session as unknown as Session);
    let answer: { responseHeaders?: Record<string, string[]> } | undefined;
    handlers.headers?.(
      { responseHeaders: { 'content-security-policy': ["default-src *; script-src 'unsafe-eval'"], 'Content-Type': ['text/html'] } },
      (response) => (answer = response as typeof answer),
    );
    const headers = answer?.responseHeaders ?? {};
    const csp = Object.entries(headers).filter(([name]) => name.toLowerCase() === 'content-security-policy');
    expect(csp).toEqual([['Content-Security-Policy', [contentSecurityPolicyHeader]]]);
    expect(headers['Content-Type']).toEqual(['text/html']);
  });

  it('sets the CSP even on a response without headers', () => {
    const { session, handlers } = fakeSession();
    lockDownSession(session as unknown as Session);
    let answer: { responseHeaders?: Record<string, string[]> } | undefined;
    handlers.headers?.({}, (response) => (answer = response as typeof answer));
    expect(answer?.responseHeaders?.['Content-Security-Policy']).toEqual([contentSecurityPolicyHeader]);
  });

  it('refuses every permission request and check', () => {
    const { session, handlers } = fakeSession();
    lockDownSession(session as unknown as Session);
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read']) {
      const callback = vi.fn();
      handlers.permissionRequest?.({} as WebContents, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
    }
    expect(handlers.permissionCheck?.(null, 'media', 'app://cloudward', {})).toBe(false);
  });
});
