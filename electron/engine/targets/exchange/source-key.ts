import { createHash } from 'node:crypto';

/**
 * The one named property Cloudward sets on every item it creates, in both targets: a hash of the
 * mailbox and the source key. Reconcile after a crash looks for it, so a resume never writes an
 * item twice, and because EWS and Graph name the SAME MAPI property (PS_PUBLIC_STRINGS, by name), a
 * mailbox started over EWS and finished over Graph (or the other way round) finds what is there.
 */
export const publicStringsGuid = '00020329-0000-0000-C000-000000000046';
export const sourceKeyPropertyName = 'CloudwardSourceKey';

/** sha256(mailbox lower-cased + "\n" + source key), hex. */
export function sourceKeyHash(mailbox: string, sourceKey: string): string {
  return createHash('sha256').update(`${mailbox.toLowerCase()}\n${sourceKey}`).digest('hex');
}

/**
 * EWS ExtendedFieldURI for it. DistinguishedPropertySetId="PublicStrings" is the same set as the
 * GUID above (EWSREF:extendedfielduri: PublicStrings = PS_PUBLIC_STRINGS).
 */
export const ewsSourceKeyFieldUri = `<t:ExtendedFieldURI DistinguishedPropertySetId="PublicStrings" PropertyName="${sourceKeyPropertyName}" PropertyType="String"/>`;

/**
 * Graph singleValueExtendedProperty id for it ("{type} {guid} Name {name}",
 * GRAPH:api/resources/singlevaluelegacyextendedproperty).
 */
export const graphSourceKeyPropertyId = `String {${publicStringsGuid}} Name ${sourceKeyPropertyName}`;

/** EWS `<t:ExtendedProperty>` that sets it. The hash is hex, so it needs no escaping. */
export function ewsSourceKeyProperty(hash: string): string {
  return `<t:ExtendedProperty>${ewsSourceKeyFieldUri}<t:Value>${hash}</t:Value></t:ExtendedProperty>`;
}

/** Graph `singleValueExtendedProperties` entry that sets it. */
export function graphSourceKeyProperty(hash: string): { id: string; value: string } {
  return { id: graphSourceKeyPropertyId, value: hash };
}

/** Graph `$filter` that finds items carrying one of these hashes. */
export function graphSourceKeyFilter(hashes: readonly string[]): string {
  return hashes.map((hash) => `singleValueExtendedProperties/Any(ep: ep/id eq '${graphSourceKeyPropertyId}' and ep/value eq '${hash}')`).join(' or ');
}
