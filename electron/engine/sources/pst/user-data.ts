/**
 * What Outlook shows a user, and so what is migrated. Outlook keeps its own state in ordinary folders
 * and contents tables: hidden folders (PR_ATTR_HIDDEN, [MS-OXPROPS] 2.602; e.g. PersonMetadata, Quick
 * Step Settings, Yammer Root) and items of configuration classes. Copied, they arrive as empty
 * "untitled" messages in folders the user never had.
 */

/** PR_ATTR_HIDDEN: Outlook does not show a folder (nor what is below it) that has it set. */
export const PR_ATTR_HIDDEN = 0x10f4;

/**
 * Message classes ([MS-OXCMSG] 2.2.1.3 PidTagMessageClass) of Outlook's and Exchange's own data that
 * can sit in a contents table: configuration ([MS-OXOCFG]), conversation actions ([MS-OXOCFG] 2.2.8),
 * rules ([MS-OXORULE]), the People hub's PersonMetadata ("IPM.AbchPerson"), aggregation and content
 * class definitions. Compared case-insensitively as a prefix.
 */
const systemClasses = ['ipm.configuration', 'ipm.microsoft', 'ipm.conversationaction', 'ipm.extendedrule', 'ipm.rule', 'ipm.abchperson', 'ipm.aggregation', 'ipm.contentclassdef'];

/**
 * Why an item of this class is not user data, or undefined when it is. A missing class is kept (as
 * mail): dropping a message because its class was damaged would lose mail.
 */
export function notUserData(messageClass: string | undefined): string | undefined {
  const c = (messageClass ?? '').trim().toLowerCase();
  if (c === '') return undefined;
  const visible = c === 'ipm' || c.startsWith('ipm.') || c.startsWith('report.ipm');
  const system = systemClasses.some((prefix) => c === prefix || c.startsWith(`${prefix}.`));
  if (visible && !system) return undefined;
  return `message class ${messageClass ?? ''} is Outlook's own data, not an item it shows`;
}

/** The reason a folder hidden by Outlook (or below one) is not migrated. */
export function hiddenFolderReason(path: readonly string[], hiddenAt: readonly string[]): string {
  const at = hiddenAt.join('/');
  return at === path.join('/') ? `hidden system folder ${at} (Outlook does not show it)` : `inside the hidden system folder ${at} (Outlook does not show it)`;
}
