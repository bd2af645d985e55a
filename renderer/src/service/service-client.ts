import {
  CloudwardError,
  parseResponse,
  serviceEventSchema,
  type ErrorInfo,
  type ServiceCommand,
  type ServiceEvent,
  type ServiceRequest,
  type ServiceResponse,
  type ServiceResult,
} from '../../../electron/contract/index.js';

/**
 * What the whole UI talks to: the job service, through the preload bridge (desktop app) or over
 * HTTP + Server-Sent Events (browser mode). Answers and events are validated against the contract
 * here too, so a screen never renders something the contract does not promise.
 */
export interface ServiceClient {
  readonly host: 'electron' | 'browser';
  request<C extends ServiceCommand>(command: C, payload: ServiceRequest<C>): Promise<ServiceResponse<C>>;
  subscribe(listener: (event: ServiceEvent) => void): () => void;
  /** Desktop only: print a report to PDF and save it. Browser mode prints the HTML page instead. */
  readonly savePdf?: (html: string, fileName: string) => Promise<{ saved: boolean }>;
}

/** How a transport moves one request: never throws, every outcome is a ServiceResult. */
export type Transport = (command: string, payload: unknown) => Promise<ServiceResult>;

export function errorFromInfo(info: ErrorInfo): CloudwardError {
  return new CloudwardError(info.code, info.message, { retryable: info.retryable, retryAfterMs: info.retryAfterMs, item: info.item });
}

export async function requestThrough<C extends ServiceCommand>(
  transport: Transport,
  command: C,
  payload: ServiceRequest<C>,
): Promise<ServiceResponse<C>> {
  const result = await transport(command, payload);
  if (!result.ok) throw errorFromInfo(result.error);
  return parseResponse(command, result.value);
}

/** An event that does not fit the contract is dropped (an older window talking to a newer engine). */
export function toServiceEvent(value: unknown): ServiceEvent | undefined {
  const parsed = serviceEventSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** Fans one incoming stream out to many listeners. */
export class Listeners {
  private readonly set = new Set<(event: ServiceEvent) => void>();
  get size(): number {
    return this.set.size;
  }
  add(listener: (event: ServiceEvent) => void): () => void {
    this.set.add(listener);
    return () => this.set.delete(listener);
  }
  emit(raw: unknown): void {
    const event = toServiceEvent(raw);
    if (event === undefined) return;
    for (const listener of [...this.set]) listener(event);
  }
}
