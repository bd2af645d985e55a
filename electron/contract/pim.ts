/**
 * Typed shapes of the personal-information items (contacts, calendar, tasks, notes) that sources
 * produce and targets consume. Field names follow what Outlook shows, not MAPI property names,
 * so every source and every target maps to one vocabulary.
 */

export interface EmailAddress {
  address: string;
  name?: string;
}

export interface PhoneNumber {
  /** Outlook's slots: business, home, mobile, businessFax, homeFax, pager, car, other, assistant, callback, company, isdn, primary, radio, telex, ttytdd */
  type: string;
  number: string;
}

export interface PostalAddress {
  type: 'business' | 'home' | 'other';
  street?: string;
  city?: string;
  state?: string;
  postalCode?: string;
  country?: string;
}

export interface Contact {
  displayName?: string;
  givenName?: string;
  middleName?: string;
  surname?: string;
  prefix?: string;
  suffix?: string;
  nickname?: string;
  fileAs?: string;
  emails: EmailAddress[];
  phones: PhoneNumber[];
  addresses: PostalAddress[];
  company?: string;
  department?: string;
  jobTitle?: string;
  office?: string;
  manager?: string;
  assistant?: string;
  spouse?: string;
  webPage?: string;
  imAddress?: string;
  /** Calendar date, no time of day: YYYY-MM-DD. */
  birthday?: string;
  anniversary?: string;
  notes?: string;
  categories: string[];
  photo?: { mediaType: string; data: Uint8Array };
}

export interface DistributionListMember {
  name?: string;
  address: string;
}

export interface DistributionList {
  displayName: string;
  members: DistributionListMember[];
  notes?: string;
  categories: string[];
}

export type Weekday = 'SU' | 'MO' | 'TU' | 'WE' | 'TH' | 'FR' | 'SA';

/** Recurrence as iCalendar understands it; sources convert their own shapes into this. */
export interface Recurrence {
  frequency: 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';
  interval: number;
  byDay?: Weekday[];
  /** For "the second Monday": setPosition 2 with byDay ['MO']; -1 is "the last". */
  setPosition?: number;
  byMonthDay?: number;
  byMonth?: number;
  firstDayOfWeek?: Weekday;
  /** Exactly one of until / count, or neither for "never ends". */
  until?: Date;
  count?: number;
}

export interface Attendee {
  address: string;
  name?: string;
  role: 'required' | 'optional' | 'resource';
  response?: 'accepted' | 'declined' | 'tentative' | 'none';
}

export interface Reminder {
  /** Minutes before the start. */
  minutesBefore: number;
}

export type BusyStatus = 'free' | 'tentative' | 'busy' | 'oof' | 'workingElsewhere';

export interface CalendarEventFields {
  subject: string;
  start: Date;
  end: Date;
  allDay: boolean;
  /** Windows time zone id (e.g. "W. Europe Standard Time") or IANA id, as the source knew it. */
  timeZone?: string;
  location?: string;
  body?: string;
  bodyHtml?: string;
  busyStatus?: BusyStatus;
  reminder?: Reminder;
  sensitivity?: 'normal' | 'personal' | 'private' | 'confidential';
  importance?: 'low' | 'normal' | 'high';
  categories: string[];
}

export interface EventException extends Partial<CalendarEventFields> {
  /** Start of the occurrence as the series would have placed it. */
  originalStart: Date;
}

export interface CalendarEvent extends CalendarEventFields {
  uid: string;
  organizer?: EmailAddress;
  attendees: Attendee[];
  recurrence?: Recurrence;
  /** Occurrences removed from the series. */
  deletedOccurrences: Date[];
  /** Occurrences changed from the series. */
  modifiedOccurrences: EventException[];
  created?: Date;
  lastModified?: Date;
}

export interface Task {
  uid: string;
  subject: string;
  body?: string;
  start?: Date;
  due?: Date;
  completed?: Date;
  status: 'notStarted' | 'inProgress' | 'completed' | 'waiting' | 'deferred';
  percentComplete: number;
  importance?: 'low' | 'normal' | 'high';
  reminder?: Date;
  recurrence?: Recurrence;
  categories: string[];
  created?: Date;
  lastModified?: Date;
}

/** Sticky notes and journal entries: kept as text with their dates; targets choose how to carry them. */
export interface Note {
  subject: string;
  body: string;
  created?: Date;
  lastModified?: Date;
  categories: string[];
  /** Journal entries have a type (Phone call, E-mail message, ...) and a start and end. */
  journal?: { type: string; start?: Date; end?: Date };
}

export interface AutocompleteEntry {
  address: string;
  displayName?: string;
  /** Outlook's weight; higher comes first. */
  weight?: number;
  lastUsed?: Date;
}
