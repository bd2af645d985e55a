import ews from 'ews-javascript-api';

import { CloudwardError } from '../../../../contract/index.js';
import { networkError } from '../errors.js';
import type { XmlChunks } from '../soap/xml.js';
import type { EwsTransport, HttpAnswer, PostOptions } from './transport.js';

interface XhrLike {
  status?: number;
  responseText?: string;
  headers?: Record<string, unknown>;
  code?: string;
  message?: string;
}

/**
 * NTLM for on-premises Exchange through @ewsjs/xhr (shipped with ews-javascript-api), whose NTLM
 * handshake we would otherwise have to write. It takes the body as one string, so this path has the
 * library's memory profile on large items; on-premises servers cap requests at 64 MB anyway.
 */
export class NtlmTransport implements EwsTransport {
  private readonly xhr: InstanceType<typeof ews.XhrApi>;

  constructor(
    private readonly url: string,
    user: string,
    password: string,
  ) {
    this.xhr = new ews.XhrApi({}).useNtlmAuthentication(user, password);
  }

  async post(body: XmlChunks, options: PostOptions): Promise<HttpAnswer> {
    if (options.signal.aborted) throw new CloudwardError('CANCELLED', 'The job was cancelled');
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new CloudwardError('TIMEOUT', `Exchange did not answer within ${Math.round(options.timeoutMs / 1000)} s`)), options.timeoutMs);
    });
    const request = this.xhr
      .xhr({ url: this.url, type: 'POST', data: body.toString(), headers: { 'Content-Type': 'text/xml; charset=utf-8', ...options.headers } })
      .then(
        (answer) => answer as unknown as XhrLike,
        (failure: unknown) => failure as XhrLike,
      );
    try {
      const answer = await Promise.race([request, deadline]);
      if (typeof answer.status !== 'number' || answer.status === 0) throw networkError(answer, this.url);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(answer.headers ?? {})) headers[name.toLowerCase()] = String(value);
      return { status: answer.status, headers, body: answer.responseText ?? '' };
    } finally {
      clearTimeout(timer);
    }
  }

  close(): void {
    this.xhr.disconnect();
  }
}
