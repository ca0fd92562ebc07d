import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { tableOwners } from '../../migrations/owners';

/**
 * Reads the code as a newcomer would, with the TypeScript compiler: its
 * functions and their length, its imports, the tables each file names, the SQL
 * in routes. The tidy test (test/tidy.test.ts) holds the code to what it finds.
 */
export const root = path.resolve(__dirname, '../..');
const codeFolders = ['src', 'workflows', 'templates'];

export type SourceFile = { file: string; module: string; source: ts.SourceFile };

/** The module a file belongs to: its folder under src/ ('' for the composition files beside main.ts), or its top folder. */
export function moduleOf(file: string): string {
  const parts = file.split('/');
  if (parts[0] !== 'src') return parts[0]!;
  return parts.length > 2 ? parts[1]! : '';
}

export function sourceFiles(): SourceFile[] {
  return codeFolders.flatMap((folder) =>
    (fs.readdirSync(path.join(root, folder), { recursive: true }) as string[])
      .filter((name) => /\.tsx?$/.test(name))
      .sort()
      .map((name) => {
        const file = `${folder}/${name}`;
        const text = fs.readFileSync(path.join(root, file), 'utf8');
        return { file, module: moduleOf(file), source: ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true) };
      }),
  );
}

function walk(node: ts.Node, visit: (node: ts.Node) => void): void {
  visit(node);
  node.forEachChild((child) => walk(child, visit));
}

const lineOf = (source: ts.SourceFile, position: number) => source.getLineAndCharacterOfPosition(position).line + 1;

function nameOf(node: ts.Node): string {
  if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) && node.name) return node.name.getText();
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent)) return parent.name.getText();
  if (parent && ts.isPropertyAssignment(parent)) return parent.name.getText();
  if (parent && ts.isCallExpression(parent)) return `${parent.expression.getText().split('(')[0]!.slice(-40)}(…)`;
  return '<anonymous>';
}

/** Functions of more than `linesMax` lines, as `file: name` (a nested function is named within its enclosing one). */
export function longFunctions(files: SourceFile[], linesMax: number): Map<string, number> {
  const found = new Map<string, number>();
  for (const { file, source } of files) {
    const names: string[] = [];
    const visit = (node: ts.Node) => {
      const isFunction =
        ts.isFunctionDeclaration(node) ||
        ts.isMethodDeclaration(node) ||
        ts.isArrowFunction(node) ||
        ts.isFunctionExpression(node);
      if (isFunction) {
        names.push(nameOf(node));
        const lines = lineOf(source, node.getEnd()) - lineOf(source, node.getStart()) + 1;
        if (lines > linesMax) found.set(`${file}: ${names.join(' › ')}`, lines);
      }
      node.forEachChild(visit);
      if (isFunction) names.pop();
    };
    visit(source);
  }
  return found;
}

/** The files each file imports (relative imports only, resolved to their path from the root). */
export function importsOf({ file, source }: SourceFile): string[] {
  const imported: string[] = [];
  for (const statement of source.statements) {
    if (!(ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) || !statement.moduleSpecifier)
      continue;
    const specifier = (statement.moduleSpecifier as ts.StringLiteral).text;
    if (!specifier.startsWith('.')) continue;
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
    const candidates = [`${target}.ts`, `${target}.tsx`, `${target}/index.ts`];
    imported.push(candidates.find((candidate) => fs.existsSync(path.join(root, candidate))) ?? `${target}/index.ts`);
  }
  return imported;
}

/** Groups of files that import one another in a ring (Tarjan's strongly connected components of more than one file). */
export function importCycles(files: SourceFile[]): string[][] {
  const graph = new Map(files.map((file) => [file.file, importsOf(file)]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let counter = 0;
  const connect = (node: string) => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (!index.has(next)) {
        connect(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) cycles.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) connect(node);
  return cycles.sort((left, right) => left[0]!.localeCompare(right[0]!));
}

const tables = Object.keys(tableOwners);
const tablePattern = tables.join('|');
// A call's argument naming a table ('donors', 'donors as d', 'donors.id'), or a table in SQL text.
const tableArgument = new RegExp(`^(${tablePattern})(\\s+as\\s+\\w+|\\.[\\w*]+(\\s+as\\s+\\w+)?)?$`, 'i');
const tableInSql = new RegExp(`\\b(?:from|join|into|update|table|exists)\\s+(?:only\\s+)?(${tablePattern})\\b`, 'gi');
const qualifiedColumnInSql = new RegExp(`(?<![\\w.])(${tablePattern})\\.(?:[a-z_]+|\\*)`, 'g');

/** The tables a file names: in the arguments of its calls (knex) and in its SQL text. */
export function tablesNamed({ source }: SourceFile): Set<string> {
  const named = new Set<string>();
  walk(source, (node) => {
    if (!(ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateLiteralToken(node)))
      return;
    const text = node.text;
    const isArgument = node.parent && ts.isCallExpression(node.parent) && node.parent.arguments.includes(node as never);
    const asArgument = isArgument ? tableArgument.exec(text.trim()) : null;
    if (asArgument) named.add(asArgument[1]!.toLowerCase());
    for (const match of text.matchAll(tableInSql)) named.add(match[1]!.toLowerCase());
    if (/\b(select|where|returning|on)\b/i.test(text) || isArgument)
      for (const match of text.matchAll(qualifiedColumnInSql)) named.add(match[1]!);
  });
  return named;
}

/** Where a file reads or writes a table it does not own: `file → table (owner)`. */
export function foreignTables(files: SourceFile[]): string[] {
  return files.flatMap((file) =>
    [...tablesNamed(file)]
      .filter((table) => tableOwners[table] !== file.module)
      .sort()
      .map((table) => `${file.file} → ${table} (${tableOwners[table]})`),
  );
}

/** Queries in a file: a knex call on a table (`db('…')`, `trx('…')`, `app.db('…')`) or raw SQL. */
export function queriesIn({ source }: SourceFile): string[] {
  const found: string[] = [];
  walk(source, (node) => {
    if (!ts.isCallExpression(node)) return;
    const callee = node.expression.getText().replace(/\s+/g, '');
    const first = node.arguments[0];
    const onTable = /^(?:(?:app|api\.app|context)\.)?(?:db|trx)$/.test(callee) && first && ts.isStringLiteral(first);
    if (onTable || /\.raw$/.test(callee))
      found.push(`${lineOf(source, node.getStart())}: ${node.getText().slice(0, 60)}`);
  });
  return found;
}

const isWords = (node: ts.Node): node is ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | ts.TemplateExpression =>
  (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) &&
  / /.test(node.getText());

const programmerErrors = ['TypeError', 'RangeError', 'AssertionError'];

/** Words written for people outside a catalogue: a refusal's text (a typed error's argument, a field issue's `message`). */
export function wordsOutsideCatalogue({ source }: SourceFile): string[] {
  const found: string[] = [];
  walk(source, (node) => {
    const refusal =
      // A plain Error is a programmer's (a 500, in English); the typed ones carry words for people.
      ts.isNewExpression(node) &&
      /.Error$/.test(node.expression.getText()) &&
      !programmerErrors.includes(node.expression.getText())
        ? (node.arguments ?? []).filter(isWords)
        : [];
    const issue =
      ts.isPropertyAssignment(node) && node.name.getText() === 'message' && isWords(node.initializer)
        ? [node.initializer]
        : [];
    for (const words of [...refusal, ...issue])
      found.push(`${lineOf(source, words.getStart())}: ${words.getText().slice(0, 60)}`);
  });
  return found;
}
