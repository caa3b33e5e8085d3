-- Planner
-- instant: PostgreSQL makes these column changes in its catalog, without touching rows

ALTER TABLE "line_items" DROP COLUMN "note";

ALTER TABLE "line_items" RENAME COLUMN "sku" TO "product_code";

-- Refusals

-- CreateCopy
CREATE TABLE "_line_items_swap_new" (
  "tenant" integer NOT NULL,
  "id" bigint NOT NULL,
  "sku" character varying(40) NOT NULL,
  "qty" integer NOT NULL
) WITH (autovacuum_enabled = false);

ALTER TABLE "_line_items_swap_new" RENAME COLUMN "sku" TO "product_code";

-- InstallCapture
DROP TABLE IF EXISTS "public"."_line_items_swap_log";

CREATE TABLE "public"."_line_items_swap_log" (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, op "char" NOT NULL, "k0" integer NOT NULL, "k1" bigint NOT NULL);

CREATE INDEX ON "public"."_line_items_swap_log" ("k0", "k1");

CREATE OR REPLACE FUNCTION "public"."_line_items_swap_fn"() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $swap$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    TRUNCATE "public"."_line_items_swap_new";
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    INSERT INTO "public"."_line_items_swap_log" (op, "k0", "k1") VALUES (lower(left(TG_OP, 1)), OLD."tenant", OLD."id");
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND (OLD."tenant" IS DISTINCT FROM NEW."tenant" OR OLD."id" IS DISTINCT FROM NEW."id")) THEN
    INSERT INTO "public"."_line_items_swap_log" (op, "k0", "k1") VALUES (lower(left(TG_OP, 1)), NEW."tenant", NEW."id");
  END IF;
  RETURN NULL;
END
$swap$;

CREATE TRIGGER "_line_items_swap_ins" AFTER INSERT OR UPDATE OR DELETE ON "public"."line_items" FOR EACH ROW EXECUTE FUNCTION "public"."_line_items_swap_fn"();

CREATE TRIGGER "_line_items_swap_del" AFTER TRUNCATE ON "public"."line_items" FOR EACH STATEMENT EXECUTE FUNCTION "public"."_line_items_swap_fn"();

-- Boundary(first)
SELECT o."tenant", o."id" FROM "line_items" o ORDER BY o."tenant", o."id" LIMIT 1 OFFSET 999;

-- Boundary(next)
SELECT o."tenant", o."id" FROM "line_items" o WHERE o."tenant" >= @l0 AND ((o."tenant" > @l0) OR (o."tenant" = @l0 AND o."id" > @l1)) ORDER BY o."tenant", o."id" LIMIT 1 OFFSET 999;

-- CopyChunk(first)
INSERT INTO "public"."_line_items_swap_new" ("tenant", "id", "product_code", "qty") SELECT "tenant", "id", "sku", "qty" FROM "public"."line_items" o WHERE (o."tenant" <= @u0 AND ((o."tenant" < @u0) OR (o."tenant" = @u0 AND o."id" <= @u1)));

-- CopyChunk(middle)
INSERT INTO "public"."_line_items_swap_new" ("tenant", "id", "product_code", "qty") SELECT "tenant", "id", "sku", "qty" FROM "public"."line_items" o WHERE (o."tenant" >= @l0 AND ((o."tenant" > @l0) OR (o."tenant" = @l0 AND o."id" > @l1))) AND (o."tenant" <= @u0 AND ((o."tenant" < @u0) OR (o."tenant" = @u0 AND o."id" <= @u1)));

-- CopyChunk(last)
INSERT INTO "public"."_line_items_swap_new" ("tenant", "id", "product_code", "qty") SELECT "tenant", "id", "sku", "qty" FROM "public"."line_items" o WHERE (o."tenant" >= @l0 AND ((o."tenant" > @l0) OR (o."tenant" = @l0 AND o."id" > @l1)));

-- BuildIndexesPlan
CREATE UNIQUE INDEX "_line_items_pkey_swap_new" ON "_line_items_swap_new" ("tenant", "id");

-- ReadLog(100)
SELECT "id", "k0", "k1", "op" FROM "_line_items_swap_log" ORDER BY "id" LIMIT 100;

-- DeleteFromCopy(3)
DELETE FROM "_line_items_swap_new" WHERE ("tenant", "id") IN ((@a0_0, @a0_1), (@a1_0, @a1_1), (@a2_0, @a2_1));

-- ApplyRows(3)
INSERT INTO "public"."_line_items_swap_new" ("tenant", "id", "product_code", "qty") SELECT "tenant", "id", "sku", "qty" FROM "public"."line_items" o WHERE (o."tenant", o."id") IN ((@a0_0, @a0_1), (@a1_0, @a1_1), (@a2_0, @a2_1)) ON CONFLICT DO NOTHING;

-- DeleteLog(2)
DELETE FROM "_line_items_swap_log" WHERE "id" BETWEEN @r0a AND @r0b OR "id" BETWEEN @r1a AND @r1b;

-- Compare
SELECT CASE WHEN c."tenant" IS NULL THEN 'missing' WHEN s."k0" IS NULL THEN 'extra' ELSE 'different' END, COALESCE(s."k0", c."tenant"), COALESCE(s."k1", c."id") FROM (SELECT o."tenant" AS "k0", o."id" AS "k1", "tenant" AS "m0", "id" AS "m1", "sku" AS "m2", "qty" AS "m3" FROM "line_items" o WHERE (o."tenant" >= @l0 AND ((o."tenant" > @l0) OR (o."tenant" = @l0 AND o."id" > @l1))) AND (o."tenant" <= @u0 AND ((o."tenant" < @u0) OR (o."tenant" = @u0 AND o."id" <= @u1)))) s FULL OUTER JOIN (SELECT * FROM "_line_items_swap_new" c WHERE (c."tenant" >= @l0 AND ((c."tenant" > @l0) OR (c."tenant" = @l0 AND c."id" > @l1))) AND (c."tenant" <= @u0 AND ((c."tenant" < @u0) OR (c."tenant" = @u0 AND c."id" <= @u1)))) c ON c."tenant" = s."k0" AND c."id" = s."k1" WHERE (c."tenant" IS NULL OR s."k0" IS NULL OR NOT (CAST(s."m0" AS integer) IS NOT DISTINCT FROM c."tenant" AND CAST(s."m1" AS bigint) IS NOT DISTINCT FROM c."id" AND CAST(s."m2" AS character varying(40)) IS NOT DISTINCT FROM c."product_code" AND CAST(s."m3" AS integer) IS NOT DISTINCT FROM c."qty")) AND NOT EXISTS (SELECT 1 FROM "_line_items_swap_log" l WHERE l."k0" = COALESCE(s."k0", c."tenant") AND l."k1" = COALESCE(s."k1", c."id")) LIMIT 1;

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

LOCK TABLE "public"."line_items", "public"."_line_items_swap_new" IN ACCESS EXCLUSIVE MODE;

-- apply the rest of the change log (batches of: read log, delete keys from the copy, insert current rows, delete the log rows)

ALTER TABLE "public"."line_items" RENAME CONSTRAINT "line_items_pkey" TO "_line_items_pkey_swap_old";

ALTER TABLE "public"."line_items" RENAME TO "_line_items_swap_old";

ALTER TABLE "public"."_line_items_swap_new" RENAME TO "line_items";

ALTER TABLE "public"."line_items" ADD CONSTRAINT "line_items_pkey" PRIMARY KEY USING INDEX "_line_items_pkey_swap_new";

-- move serial sequences to the new table, carry identity values over

COMMIT;

-- RemoveCapture
DROP FUNCTION IF EXISTS "public"."_line_items_swap_fn"() CASCADE;

DROP TABLE IF EXISTS "public"."_line_items_swap_log";

-- AfterCutOver
ALTER TABLE "public"."line_items" RESET (autovacuum_enabled);

ANALYZE "public"."line_items";

-- DropOld
DROP TABLE IF EXISTS "public"."_line_items_swap_old";

