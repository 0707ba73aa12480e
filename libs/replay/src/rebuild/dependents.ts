import type { EntityManager } from 'typeorm';

export const quoteIdent = (s: string): string => `"${s.replace(/"/g, '""')}"`;

/** A view over the moved tables, as it must be recreated on the tables that replace them. */
export interface DependentView {
  schema: string;
  name: string;
  depth: number;
  /** `pg_get_viewdef` taken with the live schema on the search path: its tables are unqualified. */
  definition: string;
  options: string[] | null;
  comment: string | null;
  triggers: string[];
  grants: { grantee: string; privilege: string; grantable: boolean }[];
}

/**
 * Every view that reads `tables` of `schema`, directly or through another view, in creation order
 * (a view after those it reads). Postgres binds a view to its tables by identity, not by name, so a view
 * left in place after its tables moved to another schema would go on reading them there.
 */
export async function dependentViews(
  em: EntityManager,
  schema: string,
  tables: string[],
): Promise<DependentView[]> {
  const rows = await em.query<{ oid: number; schema: string; name: string; kind: string; depth: number }[]>(
    `WITH RECURSIVE base AS (
       SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relname = ANY($2::text[])),
     dep(oid, depth) AS (
       SELECT r.ev_class, 1 FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid
        WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass
          AND d.refobjid IN (SELECT oid FROM base) AND r.ev_class <> d.refobjid
       UNION
       SELECT r.ev_class, dep.depth + 1 FROM dep
         JOIN pg_depend d ON d.refclassid = 'pg_class'::regclass AND d.refobjid = dep.oid
         JOIN pg_rewrite r ON r.oid = d.objid AND d.classid = 'pg_rewrite'::regclass
        WHERE r.ev_class <> dep.oid)
     SELECT c.oid::int AS oid, n.nspname AS schema, c.relname AS name, c.relkind::text AS kind, max(dep.depth)::int AS depth
       FROM dep JOIN pg_class c ON c.oid = dep.oid JOIN pg_namespace n ON n.oid = c.relnamespace
      GROUP BY 1, 2, 3, 4 ORDER BY 5, 3`,
    [schema, tables],
  );
  const out: DependentView[] = [];
  for (const r of rows) {
    const [def] = await em.query<{ definition: string; options: string[] | null; comment: string | null }[]>(
      `SELECT pg_get_viewdef($1::oid) AS definition, c.reloptions AS options, obj_description($1::oid, 'pg_class') AS comment
         FROM pg_class c WHERE c.oid = $1::oid`,
      [r.oid],
    );
    const triggers = await em.query<{ def: string }[]>(
      `SELECT pg_get_triggerdef(oid) AS def FROM pg_trigger WHERE tgrelid = $1::oid AND NOT tgisinternal ORDER BY tgname`,
      [r.oid],
    );
    const grants = await em.query<{ grantee: string; privilege: string; grantable: boolean }[]>(
      `SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END AS grantee,
              a.privilege_type AS privilege, a.is_grantable AS grantable
         FROM pg_class c, aclexplode(c.relacl) a WHERE c.oid = $1::oid AND a.grantee <> c.relowner`,
      [r.oid],
    );
    if (r.kind !== 'v') {
      throw new Error(
        `rebuild: ${r.schema}.${r.name} (a materialized view) reads the projection tables; drop it before the rebuild and create it again after`,
      );
    }
    out.push({
      schema: r.schema,
      name: r.name,
      depth: r.depth,
      definition: def.definition,
      options: def.options,
      comment: def.comment,
      triggers: triggers.map((t) => t.def),
      grants,
    });
  }
  return out;
}

/** Creates `v` again in `schema` (the search path must be that schema: its definition is unqualified). */
export async function recreateView(em: EntityManager, schema: string, v: DependentView): Promise<void> {
  const name = `${quoteIdent(schema)}.${quoteIdent(v.name)}`;
  const withOptions = v.options?.length ? ` WITH (${v.options.join(', ')})` : '';
  await em.query(`CREATE VIEW ${name}${withOptions} AS ${v.definition.replace(/;\s*$/, '')}`);
  // Each trigger definition names the view qualified, which now resolves to the new view.
  for (const t of v.triggers) await em.query(t);
  if (v.comment !== null) await em.query(`COMMENT ON VIEW ${name} IS ${quoteLiteral(v.comment)}`);
  for (const g of v.grants) {
    const grantee = g.grantee === 'PUBLIC' ? 'PUBLIC' : quoteIdent(g.grantee);
    await em.query(`GRANT ${g.privilege} ON ${name} TO ${grantee}${g.grantable ? ' WITH GRANT OPTION' : ''}`);
  }
}

export const quoteLiteral = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** The schema of the object (class id, object id) of pg_depend, for the kinds that can depend on a table. */
const schemaOf = (cls: string, obj: string) => `CASE ${cls}
  WHEN 'pg_class'::regclass THEN (SELECT relnamespace FROM pg_class WHERE oid = ${obj})
  WHEN 'pg_type'::regclass THEN (SELECT typnamespace FROM pg_type WHERE oid = ${obj})
  WHEN 'pg_proc'::regclass THEN (SELECT pronamespace FROM pg_proc WHERE oid = ${obj})
  WHEN 'pg_constraint'::regclass THEN (SELECT connamespace FROM pg_constraint WHERE oid = ${obj})
  WHEN 'pg_statistic_ext'::regclass THEN (SELECT stxnamespace FROM pg_statistic_ext WHERE oid = ${obj})
  WHEN 'pg_rewrite'::regclass THEN (SELECT c.relnamespace FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class WHERE r.oid = ${obj})
  WHEN 'pg_trigger'::regclass THEN (SELECT c.relnamespace FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.oid = ${obj})
  WHEN 'pg_attrdef'::regclass THEN (SELECT c.relnamespace FROM pg_attrdef a JOIN pg_class c ON c.oid = a.adrelid WHERE a.oid = ${obj})
  WHEN 'pg_policy'::regclass THEN (SELECT c.relnamespace FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid WHERE p.oid = ${obj})
END`;

/**
 * Objects outside each of `schemas` that depend on an object inside it (a view, trigger, default or
 * constraint elsewhere bound to a table or function there): dropping that schema would take them along.
 */
export async function crossSchemaDependents(em: EntityManager, schemas: string[]): Promise<string[]> {
  const rows = await em.query<{ what: string; on_what: string }[]>(
    `WITH ns AS (SELECT oid FROM pg_namespace WHERE nspname = ANY($1::text[])),
     target AS (
       SELECT 'pg_class'::regclass::oid AS cls, oid, relnamespace AS ns FROM pg_class WHERE relnamespace IN (SELECT oid FROM ns)
       UNION ALL SELECT 'pg_proc'::regclass::oid, oid, pronamespace FROM pg_proc WHERE pronamespace IN (SELECT oid FROM ns)
       UNION ALL SELECT 'pg_type'::regclass::oid, oid, typnamespace FROM pg_type WHERE typnamespace IN (SELECT oid FROM ns)),
     deps AS (
       SELECT d.classid, d.objid, d.objsubid, d.refclassid, d.refobjid, d.refobjsubid, t.ns AS ref_ns
         FROM pg_depend d JOIN target t ON t.cls = d.refclassid AND t.oid = d.refobjid
        WHERE d.deptype IN ('n', 'a'))
     SELECT pg_describe_object(classid, objid, objsubid) AS what,
            pg_describe_object(refclassid, refobjid, refobjsubid) AS on_what
       FROM deps WHERE (${schemaOf('classid', 'objid')}) <> ref_ns ORDER BY 1, 2`,
    [schemas],
  );
  return rows.map((r) => `${r.what} → ${r.on_what}`);
}
