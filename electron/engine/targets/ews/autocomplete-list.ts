import { MailboxAutocompleteList } from '../../autocomplete/index.js';
import { getUserConfiguration, type UserConfigurationRef, writeUserConfiguration } from './operations/user-configuration.js';
import type { EwsClient } from './soap/client.js';

/**
 * The mailbox's autocomplete list over EWS: the BinaryData of the user configuration `Autocomplete` on the
 * inbox (IPM.Configuration.Autocomplete; shared/docs/formats.md). The merge itself is the engine's.
 */
export class EwsAutocompleteList extends MailboxAutocompleteList {
  constructor(client: () => EwsClient, mailbox: string, retrying: <T>(action: () => Promise<T>, signal: AbortSignal) => Promise<T>) {
    const ref: UserConfigurationRef = { name: 'Autocomplete', folder: 'inbox', mailbox };
    super(
      {
        read: (signal) => getUserConfiguration(client(), ref, signal),
        write: (data, exists, signal) => writeUserConfiguration(client(), ref, data, !exists, signal),
      },
      retrying,
    );
  }
}
