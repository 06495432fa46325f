/**
 * Which table the source reads: the profile's table, its schema resolved against the connection
 * (the profile says when the schema follows current_schema()), and identifiers quoted for SQL.
 */
import type { TableSource } from "../../../../shared/profiles/profile";

/** A schema-qualified table. */
export interface QualifiedTable {
  schema: string;
  table: string;
}

/** A quoted SQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * The schema and table to read. An explicit schema wins. When the profile gives a
 * `runtimeSchemaSuffix` (duckgres, whose control plane uses `cp_runtime` while the connection's
 * `current_schema()` is `public` or none and `<current_schema>_runtime` otherwise), the schema of a
 * qualified `table` is resolved the same way; any other qualified name is taken as it is; an
 * unqualified one is in `current_schema()`.
 */
export function resolveTable(
  spec: Pick<TableSource, "table" | "runtimeSchemaSuffix">,
  currentSchema: string | null,
  explicitSchema?: string,
): QualifiedTable {
  const dot = spec.table.indexOf(".");
  const schemaPart = dot >= 0 ? spec.table.slice(0, dot) : undefined;
  const table = dot >= 0 ? spec.table.slice(dot + 1) : spec.table;
  if (explicitSchema !== undefined && explicitSchema !== "") return { schema: explicitSchema, table };
  if (schemaPart !== undefined && spec.runtimeSchemaSuffix !== undefined) {
    const cs = currentSchema ?? "";
    return { schema: cs === "" || cs === "public" ? schemaPart : `${cs}${spec.runtimeSchemaSuffix}`, table };
  }
  if (schemaPart !== undefined) return { schema: schemaPart, table };
  return { schema: currentSchema ?? "public", table };
}
