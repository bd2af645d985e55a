import { graphError, type RouteAnswer } from './routes.js';

/**
 * Graph beta user configurations (folder associated items), served only when the peer is started with
 * `userConfigurationsBeta`. Microsoft documents them at GRAPH:api/resources/userconfiguration?view=graph-rest-beta
 * (properties id, binaryData: Binary, xmlData: Binary, structuredData: structuredDataEntry collection),
 * GRAPH:api/userconfiguration-get, GRAPH:api/mailfolder-post-userconfigurations and GRAPH:api/userconfiguration-update
 * (PATCH /users/{id}/mailFolders/{id}/userConfigurations/{key}); permission MailboxConfigItem.ReadWrite.
 * The v1.0 CSDL in shared/fixtures/graph-schema has no userConfiguration type (only teamsUserConfiguration), so
 * bodies are checked by hand against that page: only those four properties, Binary as base64.
 * Not documented, so chosen here and marked in README.md: a GET of a missing key answers 404 ErrorItemNotFound
 * (Graph's answer for a missing Outlook item), a POST of an existing key 409 ErrorItemAlreadyExists (EWS's
 * CreateUserConfiguration answers ErrorItemSave/"already exists" for the same case).
 */
export class UserConfigurationStore {
  /** mailbox (lower-case) → folder (lower-case well-known name or id) → key → configuration. */
  private readonly boxes = new Map<string, Map<string, Map<string, { binaryData?: string; xmlData?: string; structuredData?: unknown[] }>>>();

  /** The binaryData bytes a mailbox holds under `inbox/{key}`; for tests. */
  binary(mailbox: string, key: string, folder = 'inbox'): Buffer | undefined {
    const data = this.boxes.get(mailbox.toLowerCase())?.get(folder.toLowerCase())?.get(key)?.binaryData;
    return data === undefined ? undefined : Buffer.from(data, 'base64');
  }

  /** Puts a blob there, as an Outlook that ran before would have left it. */
  seed(mailbox: string, key: string, bytes: Uint8Array, folder = 'inbox'): void {
    this.folder(mailbox, folder).set(key, { binaryData: Buffer.from(bytes).toString('base64') });
  }

  private folder(mailbox: string, folder: string): Map<string, { binaryData?: string; xmlData?: string; structuredData?: unknown[] }> {
    let box = this.boxes.get(mailbox.toLowerCase());
    if (!box) this.boxes.set(mailbox.toLowerCase(), (box = new Map()));
    let configurations = box.get(folder.toLowerCase());
    if (!configurations) box.set(folder.toLowerCase(), (configurations = new Map()));
    return configurations;
  }

  /** Problems of a body against the documented resource (empty when it is fine). */
  private static problems(body: unknown, creating: boolean): string[] {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return ['body is not a JSON object'];
    const problems: string[] = [];
    for (const [name, value] of Object.entries(body)) {
      if (name === 'binaryData' || name === 'xmlData') {
        if (value !== null && (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0)) problems.push(`${name} must be base64 (Edm.Binary)`);
      } else if (name === 'structuredData') {
        if (!Array.isArray(value)) problems.push('structuredData must be a collection');
      } else if (name === 'id') {
        if (!creating) problems.push('id cannot be updated');
        else if (typeof value !== 'string' || value === '') problems.push('id must be a non-empty string');
      } else problems.push(`unknown property ${name} on userConfiguration`);
    }
    if (creating && !('id' in body)) problems.push('a new userConfiguration needs its key as id');
    return problems;
  }

  /** `rest` is the path after /users/{id}: mailFolders/{folder}/userConfigurations[/{key}]. */
  answer(mailbox: string, method: string, rest: readonly string[], body: unknown, schemaErrors: { path: string; problems: string[] }[]): RouteAnswer | undefined {
    if (rest[0] !== 'mailFolders' || !rest[1] || rest[2] !== 'userConfigurations' || rest.length > 4) return undefined;
    const configurations = this.folder(mailbox, rest[1]);
    const key = rest[3];
    const path = `${method} /beta/users/${mailbox}/${rest.join('/')}`;
    const view = (id: string) => ({ '@odata.context': `/beta/$metadata#users('${mailbox}')/mailFolders('${rest[1]}')/userConfigurations/$entity`, id, ...configurations.get(id) });
    if (key === undefined) {
      if (method !== 'POST') return graphError(405, 'MethodNotAllowed', `${method} is not supported on userConfigurations`);
      const problems = UserConfigurationStore.problems(body, true);
      if (problems.length > 0) {
        schemaErrors.push({ path, problems });
        return graphError(400, 'RequestBodyRead', problems.join('; '));
      }
      const { id, ...data } = body as { id: string; binaryData?: string };
      if (configurations.has(id)) return graphError(409, 'ErrorItemAlreadyExists', `A user configuration named ${id} already exists in this folder.`);
      configurations.set(id, data);
      return { status: 201, body: view(id) };
    }
    if (method === 'GET') {
      if (!configurations.has(key)) return graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
      return { status: 200, body: view(key) };
    }
    if (method === 'PATCH') {
      if (!configurations.has(key)) return graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
      const problems = UserConfigurationStore.problems(body, false);
      if (problems.length > 0) {
        schemaErrors.push({ path, problems });
        return graphError(400, 'RequestBodyRead', problems.join('; '));
      }
      configurations.set(key, { ...configurations.get(key), ...(body as object) });
      return { status: 200, body: view(key) };
    }
    if (method === 'DELETE') {
      configurations.delete(key);
      return { status: 204 };
    }
    return graphError(405, 'MethodNotAllowed', `${method} is not supported on a userConfiguration`);
  }
}
