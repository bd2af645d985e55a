import { CloudwardError } from '../../../../contract/index.js';
import { errorFromInfo, itemErrorFor } from '../errors.js';
import type { EwsClient } from '../soap/client.js';
import { find, responseMessages, textOf } from '../soap/parse.js';
import { escapeAttr } from '../soap/xml.js';
import { folderIdXml } from './folder-ref.js';

/**
 * A user configuration object (a hidden FAI item) on a distinguished folder of the target mailbox:
 * Get/Create/UpdateUserConfiguration with BinaryData (Microsoft Learn, "GetUserConfiguration operation",
 * "CreateUserConfiguration operation", "UpdateUserConfiguration operation"). The mailbox is always named
 * in the DistinguishedFolderId: without it Exchange uses the caller's own mailbox.
 */
export interface UserConfigurationRef {
  /** e.g. 'Autocomplete' (Outlook's list lives on the inbox as IPM.Configuration.Autocomplete). */
  name: string;
  /** Distinguished folder id, e.g. 'inbox'. */
  folder: string;
  mailbox: string;
}

function nameXml(ref: UserConfigurationRef, prefix: 'm' | 't'): string {
  return `<${prefix}:UserConfigurationName Name="${escapeAttr(ref.name)}">${folderIdXml(`@${ref.folder}`, ref.mailbox)}</${prefix}:UserConfigurationName>`;
}

export function getUserConfigurationBody(ref: UserConfigurationRef): string {
  return `<m:GetUserConfiguration>${nameXml(ref, 'm')}<m:UserConfigurationProperties>BinaryData</m:UserConfigurationProperties></m:GetUserConfiguration>`;
}

export function writeUserConfigurationBody(operation: 'CreateUserConfiguration' | 'UpdateUserConfiguration', ref: UserConfigurationRef, data: Uint8Array): string {
  const base64 = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
  return `<m:${operation}><m:UserConfiguration>${nameXml(ref, 't')}<t:BinaryData>${base64}</t:BinaryData></m:UserConfiguration></m:${operation}>`;
}

/** The object's BinaryData; undefined when the object does not exist (ErrorItemNotFound). */
export async function getUserConfiguration(client: EwsClient, ref: UserConfigurationRef, signal: AbortSignal): Promise<{ exists: boolean; data: Uint8Array | undefined }> {
  const root = await client.call('GetUserConfiguration', getUserConfigurationBody(ref), signal);
  const [message] = responseMessages(root);
  if (!message) throw new CloudwardError('TARGET_FAILED', 'GetUserConfiguration: no response message');
  if (message.responseCode === 'ErrorItemNotFound') return { exists: false, data: undefined };
  if (message.responseCode !== 'NoError') throw errorFromInfo(itemErrorFor(message.responseCode, message.messageText, message.backOffMs, client.options.maxItemMb));
  const binary = textOf(find(message.element, 'BinaryData'));
  return { exists: true, data: binary === undefined ? undefined : new Uint8Array(Buffer.from(binary, 'base64')) };
}

export async function writeUserConfiguration(client: EwsClient, ref: UserConfigurationRef, data: Uint8Array, create: boolean, signal: AbortSignal): Promise<void> {
  const operation = create ? 'CreateUserConfiguration' : 'UpdateUserConfiguration';
  const root = await client.call(operation, writeUserConfigurationBody(operation, ref, data), signal);
  const [message] = responseMessages(root);
  if (!message) throw new CloudwardError('TARGET_FAILED', `${operation}: no response message`);
  if (message.responseCode !== 'NoError') throw errorFromInfo(itemErrorFor(message.responseCode, message.messageText, message.backOffMs, client.options.maxItemMb));
}
