import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { NtlmAuth } from '../../../electron/engine/targets/ews/auth/auth.js';
import { EwsClient } from '../../../electron/engine/targets/ews/soap/client.js';
import { NtlmTransport } from '../../../electron/engine/targets/ews/transport/ntlm-transport.js';

/** A minimal NTLM type 2 challenge (MS-NLMP 2.2.1.2) asking for NTLMv2 (v1 needs DES, which OpenSSL 3 keeps in its legacy provider). */
function type2(): string {
  const domain = Buffer.from('CONTOSO', 'utf16le');
  const info = Buffer.concat([Buffer.from([2, 0, domain.length, 0]), domain, Buffer.from([0, 0, 0, 0])]);
  const buf = Buffer.alloc(48);
  buf.write('NTLMSSP\0', 0, 'ascii');
  buf.writeUInt32LE(2, 8);
  buf.writeUInt32LE(48, 16);
  buf.writeUInt32LE(0x00880201, 20); // Unicode, NTLM, NTLM2 key, target info
  Buffer.from('0123456789abcdef', 'hex').copy(buf, 24);
  buf.writeUInt16LE(info.length, 40);
  buf.writeUInt16LE(info.length, 42);
  buf.writeUInt32LE(48, 44);
  return Buffer.concat([buf, info]).toString('base64');
}

const ok =
  '<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>' +
  '<m:GetFolderResponse xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types">' +
  '<m:ResponseMessages><m:GetFolderResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode><m:Folders><t:Folder><t:FolderId Id="root"/></t:Folder></m:Folders>' +
  '</m:GetFolderResponseMessage></m:ResponseMessages></m:GetFolderResponse></s:Body></s:Envelope>';

describe('NTLM for on-premises Exchange (through @ewsjs/xhr)', () => {
  let server: http.Server;
  let url = '';
  const seen: { method: string; type: number; text: string }[] = [];
  let refuseType3 = false;

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        const header = request.headers.authorization ?? '';
        const message = /^NTLM (.+)$/.exec(header)?.[1];
        const decoded = message ? Buffer.from(message, 'base64') : Buffer.alloc(0);
        const type = decoded.length >= 12 ? decoded.readUInt32LE(8) : 0;
        seen.push({ method: request.method ?? '', type, text: decoded.toString('utf16le') + decoded.toString('latin1') });
        if (type === 1) return void response.writeHead(401, { 'WWW-Authenticate': `NTLM ${type2()}` }).end();
        if (type === 3 && refuseType3) return void response.writeHead(401, { 'WWW-Authenticate': 'NTLM' }).end();
        if (type === 3) return void response.writeHead(200, { 'content-type': 'text/xml' }).end(ok);
        response.writeHead(401, { 'WWW-Authenticate': 'NTLM' }).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/EWS/Exchange.asmx`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('negotiates (type 1 → challenge → type 3 with the domain user) and gets the answer', async () => {
    const client = new EwsClient(new NtlmTransport(url, 'CONTOSO\\alice', 'pw'), new NtlmAuth(), { mailbox: 'alice@contoso.example', requestTimeoutMs: 5_000, maxItemMb: 35 });
    const root = await client.call('GetFolder', '<m:GetFolder><m:FolderShape><t:BaseShape>IdOnly</t:BaseShape></m:FolderShape><m:FolderIds><t:DistinguishedFolderId Id="msgfolderroot"/></m:FolderIds></m:GetFolder>', new AbortController().signal);
    expect(root.localName).toBe('Envelope');
    expect(seen.map((s) => s.type)).toEqual([1, 3]);
    const final = seen[1]?.text ?? '';
    expect(final).toContain('alice');
    expect(final).toContain('CONTOSO');
  });

  it('a password the server refuses after the handshake is forgotten once, and the error says the next run asks', async () => {
    refuseType3 = true;
    let forgotten = 0;
    const client = new EwsClient(new NtlmTransport(url, 'CONTOSO\\alice', 'wrong'), new NtlmAuth(async () => void (forgotten += 1)), { mailbox: 'alice@contoso.example', requestTimeoutMs: 5_000, maxItemMb: 35 });
    const body = '<m:GetFolder><m:FolderShape><t:BaseShape>IdOnly</t:BaseShape></m:FolderShape><m:FolderIds><t:DistinguishedFolderId Id="msgfolderroot"/></m:FolderIds></m:GetFolder>';
    for (let i = 0; i < 2; i += 1) {
      await expect(client.call('GetFolder', body, new AbortController().signal)).rejects.toMatchObject({ code: 'TARGET_AUTH_FAILED', message: expect.stringContaining('asks for it') });
    }
    expect(forgotten).toBe(1);
  });
});
