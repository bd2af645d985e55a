// @ts-check
import ignore from 'ignore';

/**
 * The layering rule of shared/docs/architecture.md for EVERY way a module can reach another:
 * ESLint's no-restricted-imports sees only static `import`/`export ... from`, so `await import('electron')`,
 * `require('electron')` and `type T = import('electron').App` used to pass. Patterns come from
 * build/layering.js and are matched exactly as no-restricted-imports matches them (the `ignore` package,
 * gitignore semantics, case-insensitive, relative paths allowed), so one list means one thing everywhere.
 *
 * A specifier that is not a string (e.g. `import(name)`) cannot be checked, so it is reported too:
 * a room that needs a computed import must say so with an eslint-disable comment and a reason.
 */

/** @typedef {{ group: string[], message: string }} Forbidden */

/** @param {Forbidden[]} forbidden */
function compile(forbidden) {
  return forbidden.map(({ group, message }) => ({ matcher: ignore({ allowRelativePaths: true, ignorecase: true }).add(group), message }));
}

/**
 * The string a specifier node stands for, or undefined when it is computed at run time.
 * @param {any} node
 * @returns {string | undefined}
 */
function literal(node) {
  if (!node) return undefined;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0]?.value.cooked ?? undefined;
  // TSImportType wraps its argument: TSLiteralType { literal: Literal }.
  if (node.type === 'TSLiteralType') return literal(node.literal);
  return undefined;
}

/** @type {import('eslint').Rule.RuleModule} */
const importsRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Room layering (build/layering.js) for static, dynamic, require, re-export and type imports.' },
    schema: [{ type: 'object', properties: { forbidden: { type: 'array' } }, required: ['forbidden'], additionalProperties: false }],
    messages: {
      forbidden: "'{{source}}' ({{form}}) is not allowed here: {{message}}",
      computed: '{{form}} with a computed specifier: the layering cannot be checked; use a string literal.',
    },
  },
  create(context) {
    const groups = compile(/** @type {{ forbidden: Forbidden[] }} */ (context.options[0]).forbidden);
    /**
     * @param {any} node the node to report on
     * @param {any} specifier the specifier node
     * @param {string} form how the module is reached, for the message
     */
    const check = (node, specifier, form) => {
      const source = literal(specifier);
      if (source === undefined) {
        context.report({ node, messageId: 'computed', data: { form } });
        return;
      }
      const hit = groups.find((group) => group.matcher.ignores(source));
      if (hit) context.report({ node, messageId: 'forbidden', data: { source, form, message: hit.message } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source, 'import'),
      ExportAllDeclaration: (node) => check(node, node.source, 'export * from'),
      ExportNamedDeclaration: (node) => {
        if (node.source) check(node, node.source, 'export from');
      },
      ImportExpression: (node) => check(node, node.source, 'import()'),
      CallExpression: (node) => {
        const callee = node.callee;
        const isRequire =
          (callee.type === 'Identifier' && callee.name === 'require') ||
          (callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier' && callee.property.name === 'require' && callee.object.type === 'Identifier' && callee.object.name === 'module');
        if (isRequire) check(node, node.arguments[0], 'require()');
      },
      // typescript-eslint node types: ESLint's own types do not list them.
      .../** @type {Record<string, (node: any) => void>} */ ({
        TSImportEqualsDeclaration: (node) => {
          if (node.moduleReference.type === 'TSExternalModuleReference') check(node, node.moduleReference.expression, 'import = require()');
        },
        TSImportType: (node) => check(node, node.source ?? node.argument, 'import() type'),
      }),
    };
  },
};

export const layeringPlugin = { meta: { name: 'cloudward-layering' }, rules: { imports: importsRule } };
