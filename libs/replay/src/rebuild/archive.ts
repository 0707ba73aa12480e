import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { ReplayOptionError } from '../plan/position';

/** Postgres keeps the first 63 bytes of an identifier; schema and rebuild names are ASCII. */
const MAX_IDENTIFIER = 63;

/**
 * Where a rebuild keeps the live tables it replaced: `<live, cut as needed>_before_<name>_<hash>`, the
 * hash (8 hex digits of sha256 over live schema and name) keeping two rebuilds apart even when the live
 * schema had to be cut. Always at most 63 characters and never the live schema. (Archives made before
 * this naming, `<live>_before_<name>` cut to 63, keep their names: nothing looks them up.)
 */
export function archiveSchemaOf(liveSchema: string, name: string): string {
  const hash = createHash('sha256').update(`${liveSchema}\0${name}`).digest('hex').slice(0, 8);
  const suffix = `_before_${name}_${hash}`;
  const archive = liveSchema.slice(0, Math.max(0, MAX_IDENTIFIER - suffix.length)) + suffix;
  if (archive === liveSchema || archive.length > MAX_IDENTIFIER) {
    throw new Error(`rebuild: no archive schema name for ${liveSchema} and rebuild "${name}"`);
  }
  return archive;
}

/** The comment the swap puts on the archive schema, by which a later rebuild recognises it. */
export const archiveComment = (liveSchema: string, name: string): string =>
  `retention rebuild archive: the projection tables of ${liveSchema} replaced by rebuild "${name}"`;

/**
 * Refuses the rebuild (before it reads anything) when its archive schema already exists. Dropping it is
 * suggested only when the swap recorded it as this rebuild's archive; any other schema of that name is
 * only named.
 */
export async function checkArchiveFree(
  live: DataSource,
  liveSchema: string,
  name: string,
  archive: string,
): Promise<void> {
  if (archive === liveSchema) throw new Error(`rebuild: archive schema ${archive} is the live schema`);
  const [found] = await live.query<{ comment: string | null }[]>(
    `SELECT obj_description(oid, 'pg_namespace') AS comment FROM pg_namespace WHERE nspname = $1`,
    [archive],
  );
  if (!found) return;
  if (found.comment === archiveComment(liveSchema, name)) {
    throw new ReplayOptionError(
      `--rebuild --name ${name}: schema ${archive} (the tables an earlier rebuild "${name}" replaced in ${liveSchema}) ` +
        `still exists; drop it when you no longer need it (DROP SCHEMA "${archive}" CASCADE) or choose another --name`,
    );
  }
  throw new ReplayOptionError(
    `--rebuild --name ${name}: schema ${archive}, where this rebuild would keep the tables it replaces, already exists ` +
      `and is not an archive of rebuild "${name}" of ${liveSchema}; choose another --name`,
  );
}
