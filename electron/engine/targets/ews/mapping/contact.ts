import type { Contact, DistributionList } from '../../../../contract/index.js';
import { el, escapeAttr } from '../soap/xml.js';
import { body, categories, sourceKeyProperty, tagProperty } from './common.js';

const PR_DISPLAY_NAME_PREFIX = 0x3a45;

const phoneKeys: Record<string, readonly string[]> = {
  business: ['BusinessPhone', 'BusinessPhone2'],
  home: ['HomePhone', 'HomePhone2'],
  mobile: ['MobilePhone'],
  businessfax: ['BusinessFax'],
  homefax: ['HomeFax'],
  otherfax: ['OtherFax'],
  pager: ['Pager'],
  car: ['CarPhone'],
  other: ['OtherTelephone'],
  assistant: ['AssistantPhone'],
  callback: ['Callback'],
  company: ['CompanyMainPhone'],
  isdn: ['Isdn'],
  primary: ['PrimaryPhone'],
  radio: ['RadioPhone'],
  telex: ['Telex'],
  ttytdd: ['TtyTddPhone'],
};
const spareKeys = ['OtherTelephone', 'BusinessPhone2', 'HomePhone2', 'PrimaryPhone'];

/** Contact phone numbers onto Exchange's fixed slots; what finds no slot is returned so it can go into the notes. */
export function phoneEntries(contact: Contact): { entries: [string, string][]; leftover: string[] } {
  const used = new Set<string>();
  const entries: [string, string][] = [];
  const leftover: string[] = [];
  for (const phone of contact.phones) {
    const wanted = phoneKeys[phone.type.toLowerCase()] ?? [];
    const key = [...wanted, ...spareKeys].find((candidate) => !used.has(candidate));
    if (key === undefined) {
      leftover.push(`${phone.type}: ${phone.number}`);
      continue;
    }
    used.add(key);
    entries.push([key, phone.number]);
  }
  return { entries, leftover };
}

/** A calendar date as Exchange stores birthdays: noon UTC keeps the day the same in every zone. */
function dateOnly(value: string | undefined): string | undefined {
  if (value === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  return `${value}T12:00:00Z`;
}

export function contactXml(contact: Contact, keyHash: string): string {
  const { entries: phones, leftover } = phoneEntries(contact);
  const emails = contact.emails.slice(0, 3);
  const extraEmails = contact.emails.slice(3).map((email) => `E-mail: ${email.address}`);
  const notes = [contact.notes, ...[...leftover, ...extraEmails].map((line) => line)].filter((part) => part !== undefined && part !== '').join('\n');
  const addresses = ['business', 'home', 'other']
    .map((type) => contact.addresses.find((address) => address.type === type))
    .filter((address) => address !== undefined);
  let xml = '<t:Contact>';
  xml += body(notes);
  xml += categories(contact.categories);
  if (contact.prefix) xml += tagProperty(PR_DISPLAY_NAME_PREFIX, 'String', contact.prefix);
  xml += sourceKeyProperty(keyHash);
  xml += el('t:FileAs', contact.fileAs);
  xml += el('t:DisplayName', contact.displayName);
  xml += el('t:GivenName', contact.givenName);
  xml += el('t:MiddleName', contact.middleName);
  xml += el('t:Nickname', contact.nickname);
  xml += el('t:CompanyName', contact.company);
  if (emails.length > 0) {
    xml += '<t:EmailAddresses>';
    emails.forEach((email, index) => {
      const name = email.name ? ` Name="${escapeAttr(email.name)}"` : '';
      xml += `<t:Entry Key="EmailAddress${index + 1}"${name}>${escapeAttr(email.address)}</t:Entry>`;
    });
    xml += '</t:EmailAddresses>';
  }
  if (addresses.length > 0) {
    xml += '<t:PhysicalAddresses>';
    for (const address of addresses) {
      const key = address.type === 'business' ? 'Business' : address.type === 'home' ? 'Home' : 'Other';
      xml += `<t:Entry Key="${key}">${el('t:Street', address.street)}${el('t:City', address.city)}${el('t:State', address.state)}${el('t:CountryOrRegion', address.country)}${el('t:PostalCode', address.postalCode)}</t:Entry>`;
    }
    xml += '</t:PhysicalAddresses>';
  }
  if (phones.length > 0) {
    xml += `<t:PhoneNumbers>${phones.map(([key, number]) => `<t:Entry Key="${key}">${escapeAttr(number)}</t:Entry>`).join('')}</t:PhoneNumbers>`;
  }
  xml += el('t:AssistantName', contact.assistant);
  xml += el('t:Birthday', dateOnly(contact.birthday));
  xml += el('t:BusinessHomePage', contact.webPage);
  xml += el('t:Department', contact.department);
  xml += el('t:Generation', contact.suffix);
  if (contact.imAddress) xml += `<t:ImAddresses><t:Entry Key="ImAddress1">${escapeAttr(contact.imAddress)}</t:Entry></t:ImAddresses>`;
  xml += el('t:JobTitle', contact.jobTitle);
  xml += el('t:Manager', contact.manager);
  xml += el('t:OfficeLocation', contact.office);
  xml += el('t:SpouseName', contact.spouse);
  xml += el('t:Surname', contact.surname);
  xml += el('t:WeddingAnniversary', dateOnly(contact.anniversary));
  return `${xml}</t:Contact>`;
}

export function distributionListXml(list: DistributionList, keyHash: string): string {
  let xml = '<t:DistributionList>';
  xml += body(list.notes);
  xml += categories(list.categories);
  xml += sourceKeyProperty(keyHash);
  xml += el('t:DisplayName', list.displayName);
  if (list.members.length > 0) {
    xml += '<t:Members>';
    for (const member of list.members) {
      xml += `<t:Member><t:Mailbox>${el('t:Name', member.name)}${el('t:EmailAddress', member.address)}<t:RoutingType>SMTP</t:RoutingType></t:Mailbox></t:Member>`;
    }
    xml += '</t:Members>';
  }
  return `${xml}</t:DistributionList>`;
}
