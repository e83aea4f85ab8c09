/**
 * Validates the configurable table name. It is spliced into SQL (identifiers cannot be bound as
 * parameters), so only plain lower-case identifiers pass, and it is double-quoted on use as well.
 */
import { DEFAULT_AUDIT_TABLE } from './audit-store';

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
/** Leaves room for the longest derived name (`<table>_finished_idx`) within PostgreSQL's 63-byte limit. */
const MAX_TABLE_LENGTH = 48;

/** A checked table name and the quoted names derived from it. */
export interface AuditTableNames {
  /** As configured: `table` or `schema.table`. */
  display: string;
  /** Quoted, possibly schema-qualified, table. */
  table: string;
  /** Quoted, possibly schema-qualified, table of applied migration versions. */
  migrations: string;
  /** Unqualified index names (an index always lives in its table's schema). */
  targetIndex: string;
  finishedIndex: string;
}

function quote(identifier: string): string {
  return `"${identifier}"`;
}

/**
 * Checks a table name (`name` or, where the dialect has schemas, `schema.name`) and derives the
 * related names. Throws a message naming the rule when the name is unsafe.
 */
export function auditTableNames(configured = DEFAULT_AUDIT_TABLE, options: { allowSchema: boolean }): AuditTableNames {
  const parts = configured.split('.');
  const valid =
    (parts.length === 1 || (parts.length === 2 && options.allowSchema)) &&
    parts.every((part) => IDENTIFIER.test(part) && part.length <= MAX_TABLE_LENGTH);
  if (!valid) {
    const shape = options.allowSchema ? 'name or schema.name' : 'name';
    throw new RangeError(
      `audit table ${JSON.stringify(configured)} is not allowed: use a ${shape} of lower-case letters, digits and _ ` +
        `(at most ${MAX_TABLE_LENGTH} characters each, not starting with a digit)`,
    );
  }
  const name = parts[parts.length - 1]!;
  const prefix = parts.length === 2 ? `${quote(parts[0]!)}.` : '';
  return {
    display: configured,
    table: `${prefix}${quote(name)}`,
    migrations: `${prefix}${quote(`${name}_migrations`)}`,
    targetIndex: quote(`${name}_target_idx`),
    finishedIndex: quote(`${name}_finished_idx`),
  };
}
