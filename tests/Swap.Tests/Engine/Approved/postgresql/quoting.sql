-- Planner
-- in place: PostgreSQL changes these columns in its catalog and builds or drops indexes CONCURRENTLY, without blocking writes

ALTER TABLE "we""ird" ADD COLUMN "note" character varying(20) NOT NULL DEFAULT 'it''s', ALTER COLUMN "sp ace""col" TYPE character varying(80);

DROP INDEX CONCURRENTLY IF EXISTS "ix_weird_space";

CREATE INDEX CONCURRENTLY "ix_weird_space" ON "we""ird" ("sp ace""col");

-- Refusals

-- CreateCopy
CREATE TABLE "_we""ird_swap_new" (
  "k`ey" integer NOT NULL,
  "sp ace""col" character varying(80) NOT NULL,
  "plain" integer,
  "note" character varying(20) DEFAULT 'it''s' NOT NULL
) WITH (autovacuum_enabled = false);

-- InstallCapture
DROP TABLE IF EXISTS "public"."_we""ird_swap_log";

CREATE TABLE "public"."_we""ird_swap_log" (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, op "char" NOT NULL, "k0" integer NOT NULL);

CREATE INDEX ON "public"."_we""ird_swap_log" ("k0");

CREATE OR REPLACE FUNCTION "public"."_we""ird_swap_fn"() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $swap$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    TRUNCATE "public"."_we""ird_swap_new";
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    INSERT INTO "public"."_we""ird_swap_log" (op, "k0") VALUES (lower(left(TG_OP, 1)), OLD."k`ey");
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND (OLD."k`ey" IS DISTINCT FROM NEW."k`ey")) THEN
    INSERT INTO "public"."_we""ird_swap_log" (op, "k0") VALUES (lower(left(TG_OP, 1)), NEW."k`ey");
  END IF;
  RETURN NULL;
END
$swap$;

CREATE TRIGGER "_we""ird_swap_ins" AFTER INSERT OR UPDATE OR DELETE ON "public"."we""ird" FOR EACH ROW EXECUTE FUNCTION "public"."_we""ird_swap_fn"();

CREATE TRIGGER "_we""ird_swap_del" AFTER TRUNCATE ON "public"."we""ird" FOR EACH STATEMENT EXECUTE FUNCTION "public"."_we""ird_swap_fn"();

-- Boundary(first)
SELECT o."k`ey" FROM "we""ird" o ORDER BY o."k`ey" LIMIT 1 OFFSET 999;

-- Boundary(next)
SELECT o."k`ey" FROM "we""ird" o WHERE o."k`ey" > @l0 ORDER BY o."k`ey" LIMIT 1 OFFSET 999;

-- CopyChunk(first)
INSERT INTO "public"."_we""ird_swap_new" ("k`ey", "sp ace""col", "plain") SELECT "k`ey", CAST("sp ace""col" AS character varying), "plain" FROM "public"."we""ird" o WHERE (o."k`ey" <= @u0);

-- CopyChunk(middle)
INSERT INTO "public"."_we""ird_swap_new" ("k`ey", "sp ace""col", "plain") SELECT "k`ey", CAST("sp ace""col" AS character varying), "plain" FROM "public"."we""ird" o WHERE (o."k`ey" > @l0) AND (o."k`ey" <= @u0);

-- CopyChunk(last)
INSERT INTO "public"."_we""ird_swap_new" ("k`ey", "sp ace""col", "plain") SELECT "k`ey", CAST("sp ace""col" AS character varying), "plain" FROM "public"."we""ird" o WHERE (o."k`ey" > @l0);

-- BuildIndexesPlan
CREATE UNIQUE INDEX "_we""ird_pkey_swap_new" ON "_we""ird_swap_new" ("k`ey");

CREATE INDEX "_ix_weird_space_swap_new" ON "_we""ird_swap_new" ("sp ace""col");

-- ReadLog(100)
SELECT "id", "k0", "op" FROM "_we""ird_swap_log" ORDER BY "id" LIMIT 100;

-- DeleteFromCopy(3)
DELETE FROM "_we""ird_swap_new" WHERE "k`ey" IN (@a0_0, @a1_0, @a2_0);

-- ApplyRows(3)
INSERT INTO "public"."_we""ird_swap_new" ("k`ey", "sp ace""col", "plain") SELECT "k`ey", CAST("sp ace""col" AS character varying), "plain" FROM "public"."we""ird" o WHERE o."k`ey" IN (@a0_0, @a1_0, @a2_0) ON CONFLICT DO NOTHING;

-- DeleteLog(2)
DELETE FROM "_we""ird_swap_log" WHERE "id" BETWEEN @r0a AND @r0b OR "id" BETWEEN @r1a AND @r1b;

-- Compare
SELECT CASE WHEN c."k`ey" IS NULL THEN 'missing' WHEN s."k0" IS NULL THEN 'extra' ELSE 'different' END, COALESCE(s."k0", c."k`ey") FROM (SELECT o."k`ey" AS "k0", "k`ey" AS "m0", CAST("sp ace""col" AS character varying) AS "m1", "plain" AS "m2" FROM "we""ird" o WHERE (o."k`ey" > @l0) AND (o."k`ey" <= @u0)) s FULL OUTER JOIN (SELECT * FROM "_we""ird_swap_new" c WHERE (c."k`ey" > @l0) AND (c."k`ey" <= @u0)) c ON c."k`ey" = s."k0" WHERE (c."k`ey" IS NULL OR s."k0" IS NULL OR NOT (CAST(s."m0" AS integer) IS NOT DISTINCT FROM c."k`ey" AND CAST(s."m1" AS character varying(80)) IS NOT DISTINCT FROM c."sp ace""col" AND CAST(s."m2" AS integer) IS NOT DISTINCT FROM c."plain")) AND NOT EXISTS (SELECT 1 FROM "_we""ird_swap_log" l WHERE l."k0" = COALESCE(s."k0", c."k`ey")) LIMIT 1;

-- DefinitionQueries
WITH t AS (SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relname = @t)
SELECT d.part FROM (
  SELECT 'table ' || c.relkind::text || c.relpersistence::text || c.relreplident::text || c.relrowsecurity::text || c.relforcerowsecurity::text || ' ' || coalesce(c.relacl::text, '') || ' ' || coalesce(array_to_string(c.reloptions, ','), '') AS part FROM pg_class c JOIN t ON c.oid = t.oid
  UNION ALL SELECT 'column ' || a.attnum || ' ' || a.xmin::text FROM pg_attribute a JOIN t ON a.attrelid = t.oid WHERE a.attnum > 0
  UNION ALL SELECT 'default ' || f.adnum || ' ' || f.xmin::text FROM pg_attrdef f JOIN t ON f.adrelid = t.oid
  UNION ALL SELECT 'index ' || i.indexrelid || ' ' || i.xmin::text || ' ' || ic.relname FROM pg_index i JOIN t ON i.indrelid = t.oid JOIN pg_class ic ON ic.oid = i.indexrelid
  UNION ALL SELECT 'constraint ' || CASE WHEN k.contype = 'f' THEN k.conname || ' ' || pg_get_constraintdef(k.oid) ELSE k.oid || ' ' || k.xmin::text END FROM pg_constraint k JOIN t ON k.conrelid = t.oid
  UNION ALL SELECT 'trigger ' || g.oid || ' ' || g.xmin::text FROM pg_trigger g JOIN t ON g.tgrelid = t.oid WHERE NOT g.tgisinternal AND position('_swap_' in g.tgname) = 0
  UNION ALL SELECT 'comment ' || e.objsubid || ' ' || e.xmin::text FROM pg_description e JOIN t ON e.objoid = t.oid WHERE e.classoid = 'pg_class'::regclass
  UNION ALL SELECT 'policy ' || p.oid || ' ' || p.xmin::text FROM pg_policy p JOIN t ON p.polrelid = t.oid
  UNION ALL SELECT 'rule ' || r.oid || ' ' || r.xmin::text FROM pg_rewrite r JOIN t ON r.ev_class = t.oid WHERE r.rulename <> '_RETURN'
) d ORDER BY d.part;

-- CutOverPlan
BEGIN;

SET LOCAL lock_timeout = '1000ms';

LOCK TABLE "public"."we""ird", "public"."_we""ird_swap_new" IN ACCESS EXCLUSIVE MODE;

-- apply the rest of the change log (batches of: read log, delete keys from the copy, insert current rows, delete the log rows)

ALTER TABLE "public"."we""ird" RENAME CONSTRAINT "we""ird_pkey" TO "_we""ird_pkey_swap_old";

ALTER TABLE "public"."we""ird" RENAME TO "_we""ird_swap_old";

ALTER TABLE "public"."_we""ird_swap_new" RENAME TO "we""ird";

ALTER TABLE "public"."we""ird" ADD CONSTRAINT "we""ird_pkey" PRIMARY KEY USING INDEX "_we""ird_pkey_swap_new";

ALTER INDEX "public"."_ix_weird_space_swap_new" RENAME TO "ix_weird_space";

-- move serial sequences to the new table, carry identity values over

COMMIT;

-- RemoveCapture
DROP FUNCTION IF EXISTS "public"."_we""ird_swap_fn"() CASCADE;

DROP TABLE IF EXISTS "public"."_we""ird_swap_log";

-- AfterCutOver
ALTER TABLE "public"."we""ird" RESET (autovacuum_enabled);

ANALYZE "public"."we""ird";

-- DropOld
DROP TABLE IF EXISTS "public"."_we""ird_swap_old";

