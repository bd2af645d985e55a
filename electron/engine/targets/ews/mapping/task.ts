import type { Task } from '../../../../contract/index.js';
import { el, utcDateTime } from '../soap/xml.js';
import { body, categories, importance, sourceKeyProperty } from './common.js';
import { recurrenceXml } from './recurrence.js';
import { utcClock } from '../../exchange/time-zones.js';

const statuses: Record<Task['status'], string> = {
  notStarted: 'NotStarted',
  inProgress: 'InProgress',
  completed: 'Completed',
  waiting: 'WaitingOnOthers',
  deferred: 'Deferred',
};

export function taskXml(task: Task, keyHash: string): string {
  const date = (value: Date | undefined) => (value === undefined ? undefined : utcDateTime(value));
  let xml = '<t:Task>';
  xml += el('t:Subject', task.subject);
  xml += body(task.body);
  xml += categories(task.categories);
  xml += importance(task.importance);
  xml += el('t:ReminderDueBy', date(task.reminder));
  xml += el('t:ReminderIsSet', task.reminder !== undefined);
  xml += sourceKeyProperty(keyHash);
  // CompleteDate, PercentComplete and Status each set the others, the last one processed wins (EWSREF:percentcomplete,
  // EWSREF:status-taskstatustype): a completed task sends only CompleteDate (which makes it Completed at 100%), any
  // other task only Status and PercentComplete (issue 9 point 10).
  const completed = task.status === 'completed' && task.completed !== undefined;
  if (completed) xml += el('t:CompleteDate', date(task.completed));
  xml += el('t:DueDate', date(task.due));
  if (!completed) xml += el('t:PercentComplete', Math.min(100, Math.max(0, Math.round(task.percentComplete))));
  const anchor = task.start ?? task.due;
  if (task.recurrence && anchor) xml += recurrenceXml(task.recurrence, utcClock(anchor), task.recurrence.until ? utcClock(task.recurrence.until) : undefined);
  xml += el('t:StartDate', date(task.start));
  if (!completed) xml += el('t:Status', statuses[task.status]);
  return `${xml}</t:Task>`;
}
