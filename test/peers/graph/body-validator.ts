import type { Csdl, CsdlProperty } from './csdl.js';

/**
 * Checks a JSON request body against a Graph type from the CSDL, the way Graph's OData reader does:
 * an unknown property, a value of the wrong JSON/Edm type, an unknown enum member, or null where the
 * metadata says Nullable="false" is a 400 `RequestBodyRead`. Microsoft's wording for the unknown
 * property case: "The property 'x' does not exist on type 'microsoft.graph.message'. Make sure to only
 * use property names that are defined by the type" (learn.microsoft.com/graph/errors; seen in
 * microsoftgraph/msgraph-sdk-* issues). Outlook's entities are OpenType in the CSDL, yet Exchange
 * refuses undeclared names, so this validator does too (stricter than the metadata, deliberately).
 */
export interface BodyProblem {
  readonly path: string;
  readonly message: string;
}

const isoOffset = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$/;
const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const base64 = /^[A-Za-z0-9+/]*={0,2}$/;
const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function primitive(type: string, value: unknown): string | undefined {
  switch (type) {
    case 'Edm.String':
      return typeof value === 'string' ? undefined : 'a string';
    case 'Edm.Boolean':
      return typeof value === 'boolean' ? undefined : 'true or false';
    case 'Edm.Int32':
      return Number.isInteger(value) && Math.abs(value as number) <= 2 ** 31 ? undefined : 'a 32-bit integer';
    case 'Edm.Int64':
      return Number.isInteger(value) || (typeof value === 'string' && /^-?\d+$/.test(value)) ? undefined : 'an integer';
    case 'Edm.Byte':
      return Number.isInteger(value) && (value as number) >= 0 && (value as number) < 256 ? undefined : 'a byte';
    case 'Edm.Double':
    case 'Edm.Single':
    case 'Edm.Decimal':
      return typeof value === 'number' || (typeof value === 'string' && ['NaN', 'INF', '-INF'].includes(value)) ? undefined : 'a number';
    case 'Edm.DateTimeOffset':
      return typeof value === 'string' && isoOffset.test(value) && Number.isFinite(Date.parse(value)) ? undefined : 'an ISO 8601 date-time with offset';
    case 'Edm.Date':
      return typeof value === 'string' && isoDate.test(value) ? undefined : 'a date YYYY-MM-DD';
    case 'Edm.Binary':
      return typeof value === 'string' && value.length % 4 === 0 && base64.test(value) ? undefined : 'base64';
    case 'Edm.Guid':
      return typeof value === 'string' && guid.test(value) ? undefined : 'a GUID';
    case 'Edm.TimeOfDay':
      return typeof value === 'string' && /^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value) ? undefined : 'a time of day';
    case 'Edm.Duration':
      return typeof value === 'string' && /^-?P/.test(value) ? undefined : 'an ISO 8601 duration';
    default:
      return `a value of ${type}`;
  }
}

export function validateBody(csdl: Csdl, typeName: string, body: unknown, at = ''): BodyProblem[] {
  const problems: BodyProblem[] = [];
  checkObject(csdl, typeName, body, at, problems);
  return problems;
}

function checkObject(csdl: Csdl, declared: string, value: unknown, at: string, problems: BodyProblem[]): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push({ path: at || '/', message: `expected an object of type ${declared}` });
    return;
  }
  const record = value as Record<string, unknown>;
  let typeName = declared;
  const annotated = record['@odata.type'];
  if (annotated !== undefined) {
    const name = typeof annotated === 'string' ? annotated.replace(/^#/, '') : '';
    if (!csdl.types.has(name) || !csdl.isDerivedFrom(name, declared)) {
      problems.push({ path: `${at}/@odata.type`, message: `'${String(annotated)}' is not ${declared} or a type derived from it` });
      return;
    }
    typeName = name;
  }
  const type = csdl.types.get(typeName);
  if (!type) {
    problems.push({ path: at || '/', message: `unknown type ${typeName}` });
    return;
  }
  if (type.abstract) problems.push({ path: at || '/', message: `${typeName} is abstract: say which derived type with @odata.type` });
  const properties = csdl.propertiesOf(typeName);
  for (const [name, inner] of Object.entries(record)) {
    if (name.includes('@odata.')) continue;
    const prop = properties.get(name);
    if (!prop) {
      problems.push({ path: `${at}/${name}`, message: `The property '${name}' does not exist on type '${typeName}'` });
      continue;
    }
    checkValue(csdl, prop, inner, `${at}/${name}`, problems);
  }
}

function checkValue(csdl: Csdl, prop: CsdlProperty, value: unknown, at: string, problems: BodyProblem[]): void {
  if (value === null) {
    if (!prop.nullable || prop.collection) problems.push({ path: at, message: `null is not allowed (Nullable="false")` });
    return;
  }
  if (prop.collection) {
    if (!Array.isArray(value)) {
      problems.push({ path: at, message: `expected an array of ${prop.type}` });
      return;
    }
    value.forEach((element, index) => checkSingle(csdl, prop, element, `${at}/${index}`, problems));
    return;
  }
  checkSingle(csdl, prop, value, at, problems);
}

function checkSingle(csdl: Csdl, prop: CsdlProperty, value: unknown, at: string, problems: BodyProblem[]): void {
  if (prop.type.startsWith('Edm.')) {
    if (value === null) {
      problems.push({ path: at, message: 'null in a collection' });
      return;
    }
    const expected = primitive(prop.type, value);
    if (expected) problems.push({ path: at, message: `expected ${expected} (${prop.type}), got ${JSON.stringify(value)?.slice(0, 60)}` });
    return;
  }
  const type = csdl.types.get(prop.type);
  if (!type) {
    problems.push({ path: at, message: `unknown type ${prop.type}` });
    return;
  }
  if (type.kind === 'enum') {
    // Microsoft's own samples write "HTML" for bodyType: Graph compares enum members case-insensitively.
    if (typeof value !== 'string' || !type.members.some((member) => member.toLowerCase() === value.toLowerCase())) {
      problems.push({ path: at, message: `${JSON.stringify(value)} is not a member of ${prop.type} (${type.members.join(', ')})` });
    }
    return;
  }
  checkObject(csdl, prop.type, value, at, problems);
}
