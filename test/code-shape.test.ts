import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { REPO } from './support/request.js';

/**
 * Functions fit on a screen (issue 19): no function under functions/ (outside the generated models)
 * is longer than MAX_LINES unless the comment before it says why, with the words "long because".
 */
const MAX_LINES = 60;

interface LongFunction {
  where: string;
  lines: number;
}

function sourceFiles(): string[] {
  return execFileSync('git', ['ls-files', 'functions/*.ts'], { cwd: REPO, encoding: 'utf8' })
    .trim()
    .split('\n')
    .filter((path) => !path.startsWith('functions/models/') && !path.endsWith('.d.ts'));
}

function isFunction(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isArrowFunction(node) ||
    ts.isFunctionExpression(node) ||
    ts.isConstructorDeclaration(node)
  );
}

/** The comments before the statement a function is declared in (a const's arrow function: the const). */
function leadingComments(source: ts.SourceFile, node: ts.Node): string {
  let holder: ts.Node = node;
  while (holder.parent !== undefined && !ts.isSourceFile(holder.parent) && !ts.isBlock(holder.parent)) {
    if (ts.isClassDeclaration(holder.parent)) break;
    holder = holder.parent;
  }
  const ranges = ts.getLeadingCommentRanges(source.text, holder.getFullStart()) ?? [];
  return ranges.map((r) => source.text.slice(r.pos, r.end)).join('\n');
}

function longFunctions(path: string, text = readFileSync(join(REPO, path), 'utf8')): LongFunction[] {
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const found: LongFunction[] = [];
  const visit = (node: ts.Node): void => {
    if (isFunction(node)) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = last - first + 1;
      if (lines > MAX_LINES && !/long because/i.test(leadingComments(source, node))) {
        found.push({ where: `${path}:${first + 1} ${node.name?.getText(source) ?? '(anonymous)'}`, lines });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('code shape', () => {
  it(`has no function longer than ${MAX_LINES} lines without a comment saying why`, () => {
    const files = sourceFiles();
    expect(files.length).toBeGreaterThan(50);
    expect(files.flatMap((path) => longFunctions(path))).toEqual([]);
  });

  it('finds a long function, and accepts one whose comment says why', () => {
    const body = (n: number) => Array.from({ length: n }, (_, i) => `  const x${i} = ${i};`).join('\n');
    const long = `function f() {\n${body(MAX_LINES)}\n}\n`;
    expect(longFunctions('x.ts', `/** Does things. */\n${long}`)).toEqual([
      { where: 'x.ts:2 f', lines: MAX_LINES + 2 },
    ]);
    expect(longFunctions('x.ts', `/** Long because it lists every field once. */\n${long}`)).toEqual([]);
    expect(longFunctions('x.ts', `const g = () => {\n${body(MAX_LINES)}\n};\n`)).toHaveLength(1);
    expect(longFunctions('x.ts', `function f() {\n${body(MAX_LINES - 2)}\n}\n`)).toEqual([]);
  });
});
