import ICAL from 'ical.js';

import type { Contact, DistributionList } from '../../contract/index.js';

const phoneTypes: Record<string, string[]> = {
  business: ['WORK', 'VOICE'],
  home: ['HOME', 'VOICE'],
  mobile: ['CELL', 'VOICE'],
  businessFax: ['WORK', 'FAX'],
  homeFax: ['HOME', 'FAX'],
  otherFax: ['FAX'],
  pager: ['PAGER'],
  car: ['CAR', 'VOICE'],
  isdn: ['ISDN'],
  primary: ['PREF', 'VOICE'],
  other: ['VOICE'],
};

/** vCard 3.0: the version every address book still imports (Outlook's own export writes 2.1/3.0). */
export function renderContact(contact: Contact, key: string): string {
  const card = new ICAL.Component('vcard');
  // VERSION must come first: ical.js picks the 3.0 grammar from it.
  card.addPropertyWithValue('version', '3.0');
  card.addPropertyWithValue('prodid', '-//Cloudward//PST export//EN');
  card.addPropertyWithValue('uid', key);
  const formatted =
    contact.displayName ??
    [contact.prefix, contact.givenName, contact.middleName, contact.surname, contact.suffix].filter(Boolean).join(' ') ??
    '';
  card.addPropertyWithValue('fn', formatted || contact.emails[0]?.address || contact.company || '');
  const n = new ICAL.Property('n', card);
  n.setValue([
    contact.surname ?? '',
    contact.givenName ?? '',
    contact.middleName ?? '',
    contact.prefix ?? '',
    contact.suffix ?? '',
  ] as unknown as string);
  card.addProperty(n);
  if (contact.nickname) card.addPropertyWithValue('nickname', contact.nickname);
  if (contact.fileAs) card.addPropertyWithValue('x-ms-ol-fileas', contact.fileAs);
  if (contact.company || contact.department) {
    const org = new ICAL.Property('org', card);
    org.setValue([contact.company ?? '', contact.department ?? ''] as unknown as string);
    card.addProperty(org);
  }
  if (contact.jobTitle) card.addPropertyWithValue('title', contact.jobTitle);
  if (contact.office) card.addPropertyWithValue('x-ms-ol-office', contact.office);
  contact.emails.forEach((email, index) => {
    const prop = card.addPropertyWithValue('email', email.address);
    prop.setParameter('type', index === 0 ? ['INTERNET', 'PREF'] : ['INTERNET']);
    // vCard has no display name per address; Outlook's own vCards carry it like this.
    if (email.name && email.name !== email.address) prop.setParameter('x-cn', email.name);
  });
  for (const phone of contact.phones) {
    const prop = card.addPropertyWithValue('tel', phone.number);
    const types = phoneTypes[phone.type];
    if (types) prop.setParameter('type', types);
    else prop.setParameter('x-type', phone.type);
  }
  for (const address of contact.addresses) {
    const prop = new ICAL.Property('adr', card);
    prop.setValue([
      '',
      '',
      address.street ?? '',
      address.city ?? '',
      address.state ?? '',
      address.postalCode ?? '',
      address.country ?? '',
    ] as unknown as string);
    prop.setParameter('type', address.type === 'business' ? 'WORK' : address.type === 'home' ? 'HOME' : 'OTHER');
    card.addProperty(prop);
  }
  if (contact.webPage) card.addPropertyWithValue('url', contact.webPage);
  if (contact.imAddress) card.addPropertyWithValue('x-ms-imaddress', contact.imAddress);
  if (contact.birthday) card.addPropertyWithValue('bday', contact.birthday);
  if (contact.anniversary) card.addPropertyWithValue('x-anniversary', contact.anniversary);
  if (contact.manager) card.addPropertyWithValue('x-ms-manager', contact.manager);
  if (contact.assistant) card.addPropertyWithValue('x-ms-assistant', contact.assistant);
  if (contact.spouse) card.addPropertyWithValue('x-ms-spouse', contact.spouse);
  if (contact.notes) card.addPropertyWithValue('note', contact.notes);
  if (contact.categories.length > 0) {
    const prop = new ICAL.Property('categories', card);
    prop.setValues(contact.categories);
    card.addProperty(prop);
  }
  if (contact.photo) {
    const prop = card.addPropertyWithValue('photo', Buffer.from(contact.photo.data).toString('base64'));
    prop.setParameter('encoding', 'b');
    prop.setParameter('type', (contact.photo.mediaType.split('/')[1] ?? 'jpeg').toUpperCase());
  }
  return card.toString() + '\r\n';
}

/** A contact group as vCard 4.0 KIND:group with one MEMBER per address (3.0 has no group members). */
export function renderDistributionList(list: DistributionList, key: string): string {
  const card = new ICAL.Component('vcard');
  card.addPropertyWithValue('version', '4.0');
  card.addPropertyWithValue('prodid', '-//Cloudward//PST export//EN');
  card.addPropertyWithValue('uid', key);
  card.addPropertyWithValue('kind', 'group');
  card.addPropertyWithValue('fn', list.displayName);
  for (const member of list.members) {
    const prop = card.addPropertyWithValue('member', `mailto:${member.address}`);
    if (member.name) prop.setParameter('cn', member.name);
  }
  if (list.notes) card.addPropertyWithValue('note', list.notes);
  if (list.categories.length > 0) {
    const prop = new ICAL.Property('categories', card);
    prop.setValues(list.categories);
    card.addProperty(prop);
  }
  return card.toString() + '\r\n';
}
