/**
 * What one source file contributes to a stage's source digest: a digest of its code, and the modules it loads at
 * run time. The digest is taken over the file's tokens, not its text, so a comment, a blank line or the formatter's
 * re-wrapping is not a code change, while every identifier, operator and literal is. Two formatter habits are
 * normalised as well: biome.jsonc's `trailingCommas: "all"` adds a comma before `)`/`]`/`}` when a list breaks over
 * lines and drops it when the list fits one line again, and a string literal counts by its value, not its quotes.
 *
 * The tokens come from the TypeScript parser (`typescript` `createSourceFile` + `Node.getChildren`), which drives
 * the TypeScript scanner in context: a bare scanner cannot tell a regular expression such as `/\/\//` from the start
 * of a comment, nor a template literal's `}` from a block's (the parser rescans them: `Scanner.reScanSlashToken`,
 * `Scanner.reScanTemplateToken`), and would drop code after such a token as if it were a comment.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import ts from 'typescript';

export interface SourceFacts {
  /** sha256 hex over the code's tokens (over the bytes for a file that is not JavaScript or TypeScript). */
  readonly digest: string;
  /**
   * Specifiers this file loads at run time: static imports and re-exports (not `import type` / `export type`, which
   * are erased: tsconfig.json `verbatimModuleSyntax`) and `import()` with a literal specifier.
   */
  readonly imports: readonly string[];
  /**
   * Literals resolved against `import.meta.url` (`new URL('./x.ts', import.meta.url)`,
   * src/threads/spawn-thread.ts `moduleBeside('./decoder-thread', import.meta.url)`): the modules a worker
   * thread starts on, which no import names.
   */
  readonly moduleUrls: readonly string[];
}

const SCRIPT_KINDS: Readonly<Record<string, ts.ScriptKind>> = {
  '.ts': ts.ScriptKind.TS,
  '.mts': ts.ScriptKind.TS,
  '.js': ts.ScriptKind.JS,
  '.mjs': ts.ScriptKind.JS,
};

const CLOSERS = new Set([
  ts.SyntaxKind.CloseParenToken,
  ts.SyntaxKind.CloseBracketToken,
  ts.SyntaxKind.CloseBraceToken,
  ts.SyntaxKind.GreaterThanToken,
]);

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

const isImportMetaUrl = (node: ts.Node | undefined): boolean =>
  node !== undefined &&
  ts.isPropertyAccessExpression(node) &&
  ts.isMetaProperty(node.expression) &&
  node.expression.keywordToken === ts.SyntaxKind.ImportKeyword &&
  node.name.text === 'url';

/** The facts of a file on disk. */
export function readSourceFacts(path: string): SourceFacts {
  const bytes = readFileSync(path);
  const kind = SCRIPT_KINDS[extname(path)];
  if (kind === undefined) return { digest: sha256(bytes), imports: [], moduleUrls: [] };
  return sourceFacts(path, bytes.toString('utf8'), kind);
}

/** The facts of source text (`fileName` only names it in the parser's diagnostics). */
export function sourceFacts(fileName: string, text: string, kind: ts.ScriptKind = ts.ScriptKind.TS): SourceFacts {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, kind);
  const tokens: { kind: ts.SyntaxKind; text: string }[] = [];
  const imports: string[] = [];
  const moduleUrls: string[] = [];
  const visit = (node: ts.Node): void => {
    // JSDoc comments are children of the node they document; they are comments all the same.
    if (ts.isJSDoc(node)) return;
    if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly && ts.isStringLiteral(node.moduleSpecifier)) {
      imports.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && !node.isTypeOnly && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      imports.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const [first, second] = node.arguments ?? [];
      const literal = first !== undefined && ts.isStringLiteralLike(first) ? first.text : undefined;
      if (literal !== undefined && node.expression.kind === ts.SyntaxKind.ImportKeyword) imports.push(literal);
      else if (literal !== undefined && isImportMetaUrl(second)) moduleUrls.push(literal);
    }
    const children = node.getChildren(file);
    if (children.length > 0) {
      for (const child of children) visit(child);
      return;
    }
    const previous = tokens.at(-1);
    if (previous?.kind === ts.SyntaxKind.CommaToken && CLOSERS.has(node.kind)) tokens.pop();
    tokens.push({ kind: node.kind, text: ts.isStringLiteral(node) ? JSON.stringify(node.text) : node.getText(file) });
  };
  visit(file);
  return { digest: sha256(JSON.stringify(tokens.map((token) => token.text))), imports, moduleUrls };
}
