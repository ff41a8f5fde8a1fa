import type { ResourceInfo } from '../registry/resource-info.ts';
import { EVENT_ROWS } from './event-rows.ts';
import { POD_ROWS } from './pod-rows.ts';
import type { TableColumnDefinition, TableRowCondition } from './table-shape.ts';

export interface RenderedRow {
  readonly cells: readonly unknown[];
  readonly conditions?: readonly TableRowCondition[];
}

/**
 * The Table columns and cells of a built-in kind whose printer computes its cells (kubectl's
 * pkg/printers/internalversion, always in wide mode as the API server runs it) instead of JSONPath columns.
 */
export interface RowRenderer {
  readonly columns: readonly TableColumnDefinition[];
  render(object: unknown, now: number): RenderedRow;
}

const RENDERERS: ReadonlyMap<string, RowRenderer> = new Map([
  ['/events', EVENT_ROWS],
  ['/pods', POD_ROWS],
]);

/** The renderer registered under `${group}/${plural}`, or undefined for kinds rendered from printer columns. */
export function rowRendererFor(resource: Pick<ResourceInfo, 'group' | 'plural'>): RowRenderer | undefined {
  return RENDERERS.get(`${resource.group}/${resource.plural}`);
}
