// Reads what kubectl prints: its aligned tables and the `<resource>/<name> <verb>` lines of apply and create.
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

export interface PrintedTable {
  readonly columns: readonly string[];
  readonly rows: readonly Readonly<Record<string, string>>[];
}

/** Splits a kubectl table by the header's column offsets (tabwriter pads with at least 3 spaces). */
export function printedTable(stdout: string): PrintedTable {
  const lines = stdout.split('\n').filter((line) => line.trim() !== '');
  const header = lines[0] ?? '';
  const starts = [...header.matchAll(/\S+(?: \S+)*/g)].map((match) => ({
    name: match[0],
    at: match.index ?? 0,
  }));
  const rows = lines
    .slice(1)
    .map((line) =>
      Object.fromEntries(
        starts.map((column, index) => [
          column.name,
          line.slice(column.at, starts[index + 1]?.at ?? line.length).trim(),
        ]),
      ),
    );
  return { columns: starts.map((column) => column.name), rows };
}

/** `<kind>.<group>/<name>` (or `<kind>/<name>` for the core group) of every document of a manifest file. */
export function manifestResources(file: string): string[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map(
      (document) =>
        document.toJS() as { apiVersion: string; kind: string; metadata: { name: string } } | null,
    )
    .filter((object) => object !== null)
    .map((object) => {
      const group = object.apiVersion.includes('/') ? `.${object.apiVersion.split('/')[0]}` : '';
      return `${object.kind.toLowerCase()}${group}/${object.metadata.name}`;
    });
}
