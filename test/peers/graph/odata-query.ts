/**
 * The few OData query forms Cloudward sends, parsed strictly: anything else is a 400, so a client that
 * drifts from the documented syntax fails its test instead of passing on a lenient peer.
 * Forms (learn.microsoft.com/graph/query-parameters, .../api/singlevaluelegacyextendedproperty-get):
 *   displayName eq 'Name'            name eq 'Name'
 *   singleValueExtendedProperties/Any(ep: ep/id eq 'String {guid} Name X' and ep/value eq 'v')
 */
export type Filter =
  | { kind: 'eq'; property: string; value: string }
  /** One or more Any() clauses joined by `or` (Cloudward looks up several source keys at once). */
  | { kind: 'extended'; clauses: { id: string; value: string }[] };

const literal = "'((?:[^']|'')*)'";
const unquote = (text: string) => text.replace(/''/g, "'");

export function parseFilter(text: string): Filter | { error: string } {
  const trimmed = text.trim();
  const eq = new RegExp(`^(displayName|name)\\s+eq\\s+${literal}$`).exec(trimmed);
  if (eq) return { kind: 'eq', property: eq[1] ?? '', value: unquote(eq[2] ?? '') };
  const clauses: { id: string; value: string }[] = [];
  const any = new RegExp(`^singleValueExtendedProperties/any\\((\\w+):\\s*\\1/id\\s+eq\\s+${literal}\\s+and\\s+\\1/value\\s+eq\\s+${literal}\\)$`, 'i');
  for (const part of trimmed.split(/\)\s+or\s+(?=singleValueExtendedProperties\/)/i)) {
    const one = any.exec(part.endsWith(')') ? part : `${part})`);
    if (!one) {
      clauses.length = 0;
      break;
    }
    clauses.push({ id: unquote(one[2] ?? ''), value: unquote(one[3] ?? '') });
  }
  if (clauses.length > 0) return { kind: 'extended', clauses };
  return { error: `Invalid filter clause: ${trimmed.slice(0, 120)}` };
}

/** `$expand=singleValueExtendedProperties($filter=id eq 'a' or id eq 'b')` → ['a', 'b']; undefined when not asked. */
export function expandedPropertyIds(expand: string | null): string[] | undefined | { error: string } {
  if (expand === null) return undefined;
  const match = /^singleValueExtendedProperties\(\$filter=(.*)\)$/i.exec(expand.trim());
  if (!match) return { error: `Unsupported $expand: ${expand.slice(0, 120)}` };
  const ids: string[] = [];
  for (const clause of (match[1] ?? '').split(/\s+or\s+/i)) {
    const one = new RegExp(`^id\\s+eq\\s+${literal}$`).exec(clause.trim());
    if (!one) return { error: `Unsupported $expand filter: ${clause.slice(0, 120)}` };
    ids.push(unquote(one[1] ?? ''));
  }
  return ids;
}
