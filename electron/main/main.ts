import { app, BrowserWindow, ipcMain, session } from 'electron';

import { registerAppScheme, serveRenderer } from './app-protocol.js';
import { EngineHost } from './engine-host.js';
import { eventChannel } from './ipc-channels.js';
import { registerIpcHandlers } from './ipc-handlers.js';
import { builtPaths } from './paths.js';
import { saveReportPdf } from './report-pdf.js';
import { lockDownSession } from './security.js';
import { isSmokeTest, runSmokeTest } from './smoke.js';
import { createMainWindow } from './window.js';

let mainWindow: BrowserWindow | undefined;

registerAppScheme();
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // With no ledger named, the engine reads the same default ledger as the `cloudward` command.
  const engine = new EngineHost(builtPaths.engineEntry, (event) => {
    if (mainWindow !== undefined && !mainWindow.isDestroyed()) mainWindow.webContents.send(eventChannel, event);
  });

  const openWindow = (): void => {
    const window = createMainWindow(builtPaths.preload);
    window.on('closed', () => {
      if (mainWindow === window) mainWindow = undefined;
    });
    mainWindow = window;
  };

  app.on('second-instance', () => {
    if (mainWindow === undefined) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow();
  });
  app.on('will-quit', () => engine.stop());

  void app.whenReady().then(() => {
    lockDownSession(session.defaultSession);
    serveRenderer(builtPaths.rendererRoot);
    registerIpcHandlers(
      ipcMain,
      (command, payload) => engine.request(command, payload),
      saveReportPdf,
      () => mainWindow?.webContents,
    );
    openWindow();
    if (isSmokeTest(process.env)) void runSmokeTest((command, payload) => engine.request(command, payload), (code) => app.exit(code));
  });
}
