import { readFileSync } from 'node:fs';
import path from 'node:path';

import { DOMParser } from '@xmldom/xmldom';

import { fixturesDir } from '../../support/fixtures.js';

/**
 * Microsoft Graph v1.0 metadata (../shared/fixtures/graph-schema/cleanMetadata.xml, OData CSDL 4.0),
 * reduced to what a body validator needs: each type's structural and navigation properties with their
 * types, base type, abstract/open flags, and enum members. Parsed once per process (about 1 s).
 */
export interface CsdlProperty {
  readonly name: string;
  /** Full name without Collection(): 'Edm.String', 'microsoft.graph.recipient'. */
  readonly type: string;
  readonly collection: boolean;
  readonly nullable: boolean;
  readonly navigation: boolean;
}

export interface CsdlType {
  readonly name: string;
  readonly kind: 'entity' | 'complex' | 'enum';
  readonly base?: string;
  readonly abstract: boolean;
  readonly open: boolean;
  readonly properties: ReadonlyMap<string, CsdlProperty>;
  readonly members: readonly string[];
}

export interface Csdl {
  readonly types: ReadonlyMap<string, CsdlType>;
  /** Own and inherited properties, base first. */
  propertiesOf(typeName: string): ReadonlyMap<string, CsdlProperty>;
  /** Concrete types derived (at any depth) from the given type, itself included. */
  isDerivedFrom(typeName: string, baseName: string): boolean;
}

export const metadataFile = path.join(fixturesDir, 'graph-schema', 'cleanMetadata.xml');
const namespace = 'microsoft.graph';


function qualify(type: string): string {
  return type.startsWith('graph.') ? `${namespace}.${type.slice('graph.'.length)}` : type;
}

function children(parent: Element, local: string): Element[] {
  const out: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === 1 && (node as Element).localName === local) out.push(node as Element);
  }
  return out;
}

let cached: Csdl | undefined;

export function loadCsdl(file = metadataFile): Csdl {
  if (cached && file === metadataFile) return cached;
  // The file starts with a UTF-8 BOM (SOURCE.md); strip it before parsing.
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const doc = new DOMParser().parseFromString(text, 'text/xml');
  const types = new Map<string, CsdlType>();
  const schemas = Array.from(doc.getElementsByTagName('Schema'));
  for (const schema of schemas) {
    const ns = schema.getAttribute('Namespace') ?? '';
    if (ns !== namespace) continue;
    for (const kind of ['EntityType', 'ComplexType', 'EnumType'] as const) {
      for (const element of children(schema, kind)) {
        const name = `${ns}.${element.getAttribute('Name') ?? ''}`;
        const properties = new Map<string, CsdlProperty>();
        for (const local of ['Property', 'NavigationProperty']) {
          for (const prop of children(element, local)) {
            const raw = prop.getAttribute('Type') ?? 'Edm.String';
            const collection = raw.startsWith('Collection(');
            const inner = qualify(collection ? raw.slice('Collection('.length, -1) : raw);
            properties.set(prop.getAttribute('Name') ?? '', {
              name: prop.getAttribute('Name') ?? '',
              type: inner,
              collection,
              nullable: prop.getAttribute('Nullable') !== 'false',
              navigation: local === 'NavigationProperty',
            });
          }
        }
        const base = element.getAttribute('BaseType');
        types.set(name, {
          name,
          kind: kind === 'EntityType' ? 'entity' : kind === 'ComplexType' ? 'complex' : 'enum',
          ...(base ? { base: qualify(base) } : {}),
          abstract: element.getAttribute('Abstract') === 'true',
          open: element.getAttribute('OpenType') === 'true',
          properties,
          members: children(element, 'Member').map((member) => member.getAttribute('Name') ?? ''),
        });
      }
    }
  }
  const flattened = new Map<string, ReadonlyMap<string, CsdlProperty>>();
  const csdl: Csdl = {
    types,
    propertiesOf(typeName) {
      const known = flattened.get(typeName);
      if (known) return known;
      const type = types.get(typeName);
      const out = new Map<string, CsdlProperty>(type?.base ? csdl.propertiesOf(type.base) : []);
      for (const [name, prop] of type?.properties ?? []) out.set(name, prop);
      flattened.set(typeName, out);
      return out;
    },
    isDerivedFrom(typeName, baseName) {
      for (let current: string | undefined = typeName; current; current = types.get(current)?.base) {
        if (current === baseName) return true;
      }
      return false;
    },
  };
  if (file === metadataFile) cached = csdl;
  return csdl;
}
