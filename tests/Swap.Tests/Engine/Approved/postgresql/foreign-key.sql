-- Planner
-- copy: changing the type of amount rewrites every row

-- Refusals

-- CreateCopy
CREATE TABLE "_invoices_swap_new" (
  "id" integer NOT NULL,
  "customer_id" integer,
  "amount" numeric(12,2) NOT NULL
) WITH (autovacuum_enabled = false);

-- InstallCapture
DROP TABLE IF EXISTS "public"."_invoices_swap_log";

CREATE TABLE "public"."_invoices_swap_log" (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, op "char" NOT NULL, "k0" integer NOT NULL);

CREATE INDEX ON "public"."_invoices_swap_log" ("k0");

CREATE OR REPLACE FUNCTION "public"."_invoices_swap_fn"() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $swap$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    TRUNCATE "public"."_invoices_swap_new";
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    INSERT INTO "public"."_invoices_swap_log" (op, "k0") VALUES (lower(left(TG_OP, 1)), OLD."id");
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND (OLD."id" IS DISTINCT FROM NEW."id")) THEN
    INSERT INTO "public"."_invoices_swap_log" (op, "k0") VALUES (lower(left(TG_OP, 1)), NEW."id");
  END IF;
  RETURN NULL;
END
$swap$;

CREATE TRIGGER "_invoices_swap_ins" AFTER INSERT OR UPDATE OR DELETE ON "public"."invoices" FOR EACH ROW EXECUTE FUNCTION "public"."_invoices_swap_fn"();

CREATE TRIGGER "_invoices_swap_del" AFTER TRUNCATE ON "public"."invoices" FOR EACH STATEMENT EXECUTE FUNCTION "public"."_invoices_swap_fn"();

-- Boundary(first)
SELECT o."id" FROM "invoices" o ORDER BY o."id" LIMIT 1 OFFSET 999;

-- Boundary(next)
SELECT o."id" FROM "invoices" o WHERE o."id" > @l0 ORDER BY o."id" LIMIT 1 OFFSET 999;

-- CopyChunk(first)
INSERT INTO "public"."_invoices_swap_new" ("id", "customer_id", "amount") SELECT "id", "customer_id", CAST("amount" AS numeric(12,2)) FROM "public"."invoices" o WHERE (o."id" <= @u0);

-- CopyChunk(middle)
INSERT INTO "public"."_invoices_swap_new" ("id", "customer_id", "amount") SELECT "id", "customer_id", CAST("amount" AS numeric(12,2)) FROM "public"."invoices" o WHERE (o."id" > @l0) AND (o."id" <= @u0);

-- CopyChunk(last)
INSERT INTO "public"."_invoices_swap_new" ("id", "customer_id", "amount") SELECT "id", "customer_id", CAST("amount" AS numeric(12,2)) FROM "public"."invoices" o WHERE (o."id" > @l0);

-- BuildIndexesPlan
CREATE UNIQUE INDEX "_invoices_pkey_swap_new" ON "_invoices_swap_new" ("id");

-- ReadLog(100)
SELECT "id", "k0", "op" FROM "_invoices_swap_log" ORDER BY "id" LIMIT 100;

-- DeleteFromCopy(3)
DELETE FROM "_invoices_swap_new" WHERE "id" IN (@a0_0, @a1_0, @a2_0);

-- ApplyRows(3)
INSERT INTO "public"."_invoices_swap_new" ("id", "customer_id", "amount") SELECT "id", "customer_id", CAST("amount" AS numeric(12,2)) FROM "public"."invoices" o WHERE o."id" IN (@a0_0, @a1_0, @a2_0) ON CONFLICT DO NOTHING;

-- DeleteLog(2)
DELETE FROM "_invoices_swap_log" WHERE "id" BETWEEN @r0a AND @r0b OR "id" BETWEEN @r1a AND @r1b;

-- Compare
SELECT CASE WHEN c."id" IS NULL THEN 'missing' WHEN s."k0" IS NULL THEN 'extra' ELSE 'different' END, COALESCE(s."k0", c."id") FROM (SELECT o."id" AS "k0", "id" AS "m0", "customer_id" AS "m1", CAST("amount" AS numeric(12,2)) AS "m2" FROM "invoices" o WHERE (o."id" > @l0) AND (o."id" <= @u0)) s FULL OUTER JOIN (SELECT * FROM "_invoices_swap_new" c WHERE (c."id" > @l0) AND (c."id" <= @u0)) c ON c."id" = s."k0" WHERE (c."id" IS NULL OR s."k0" IS NULL OR NOT (CAST(s."m0" AS integer) IS NOT DISTINCT FROM c."id" AND CAST(s."m1" AS integer) IS NOT DISTINCT FROM c."customer_id" AND CAST(s."m2" AS numeric(12,2)) IS NOT DISTINCT FROM c."amount")) AND NOT EXISTS (SELECT 1 FROM "_invoices_swap_log" l WHERE l."k0" = COALESCE(s."k0", c."id")) LIMIT 1;

-- FirstOrphan(fk_invoices_customer_id)
SELECT c."id", c."customer_id" FROM "_invoices_swap_new" c WHERE c."customer_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "customers" p WHERE p."id" = c."customer_id") ORDER BY c."id" LIMIT 1;

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

LOCK TABLE "public"."invoices", "public"."_invoices_swap_new" IN ACCESS EXCLUSIVE MODE;

-- apply the rest of the change log (batches of: read log, delete keys from the copy, insert current rows, delete the log rows)

ALTER TABLE "public"."invoices" RENAME CONSTRAINT "invoices_pkey" TO "_invoices_pkey_swap_old";

ALTER TABLE "public"."invoices" RENAME TO "_invoices_swap_old";

ALTER TABLE "public"."_invoices_swap_new" RENAME TO "invoices";

ALTER TABLE "public"."invoices" ADD CONSTRAINT "invoices_pkey" PRIMARY KEY USING INDEX "_invoices_pkey_swap_new";

-- move serial sequences to the new table, carry identity values over

ALTER TABLE "public"."invoices" ADD CONSTRAINT "fk_invoices_customer_id" FOREIGN KEY ("customer_id") REFERENCES "public"."customers" ("id") NOT VALID;

COMMIT;

-- RemoveCapture
DROP FUNCTION IF EXISTS "public"."_invoices_swap_fn"() CASCADE;

DROP TABLE IF EXISTS "public"."_invoices_swap_log";

-- AfterCutOver
DO $swap$ BEGIN IF EXISTS (SELECT 1 FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = 'public' AND t.relname = 'invoices' AND c.conname = 'fk_invoices_customer_id' AND NOT c.convalidated) THEN EXECUTE 'ALTER TABLE "public"."invoices" VALIDATE CONSTRAINT "fk_invoices_customer_id"'; END IF; END $swap$;

ALTER TABLE "public"."invoices" RESET (autovacuum_enabled);

ANALYZE "public"."invoices";

-- DropOld
DROP TABLE IF EXISTS "public"."_invoices_swap_old";

