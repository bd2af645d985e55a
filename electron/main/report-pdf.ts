import { BrowserWindow, dialog, type WebContents } from 'electron';
import { writeFile } from 'node:fs/promises';

/**
 * Prints a report (self-contained HTML, no script) to PDF in a hidden window that may run no
 * JavaScript and load nothing but the page itself, then asks the person where to save it.
 */
export async function saveReportPdf(owner: WebContents, html: string, fileName: string): Promise<{ saved: boolean }> {
  const printer = new BrowserWindow({
    show: false,
    webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false, webSecurity: true },
  });
  try {
    printer.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
    printer.webContents.on('will-navigate', (event) => event.preventDefault());
    await printer.loadURL(`data:text/html;charset=utf-8;base64,${Buffer.from(html, 'utf8').toString('base64')}`);
    const pdf = await printer.webContents.printToPDF({ printBackground: true, pageSize: 'A4' });
    const parent = BrowserWindow.fromWebContents(owner);
    const safeName = fileName.replace(/[\\/:*?"<>|]+/g, '_').replace(/\.html?$/i, '') + '.pdf';
    const options = { defaultPath: safeName, filters: [{ name: 'PDF', extensions: ['pdf'] }] };
    const choice = parent === null ? await dialog.showSaveDialog(options) : await dialog.showSaveDialog(parent, options);
    if (choice.canceled || choice.filePath === undefined) return { saved: false };
    await writeFile(choice.filePath, pdf);
    return { saved: true };
  } finally {
    printer.destroy();
  }
}
