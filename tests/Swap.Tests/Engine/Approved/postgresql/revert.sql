-- RevertRefusals

-- InstallCapture(window)
DROP TABLE IF EXISTS "public"."_line_items_swap_rlog";

CREATE TABLE "public"."_line_items_swap_rlog" (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, op "char" NOT NULL, "k0" integer NOT NULL, "k1" bigint NOT NULL);

CREATE INDEX ON "public"."_line_items_swap_rlog" ("k0", "k1");

CREATE OR REPLACE FUNCTION "public"."_line_items_swap_rfn"() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $swap$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    IF to_regclass('"public"."_line_items_swap_old"') IS NOT NULL THEN TRUNCATE "public"."_line_items_swap_old"; END IF;
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    INSERT INTO "public"."_line_items_swap_rlog" (op, "k0", "k1") VALUES (lower(left(TG_OP, 1)), OLD."tenant", OLD."id");
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND (OLD."tenant" IS DISTINCT FROM NEW."tenant" OR OLD."id" IS DISTINCT FROM NEW."id")) THEN
    INSERT INTO "public"."_line_items_swap_rlog" (op, "k0", "k1") VALUES (lower(left(TG_OP, 1)), NEW."tenant", NEW."id");
  END IF;
  RETURN NULL;
END
$swap$;

CREATE TRIGGER "_line_items_swap_rins" AFTER INSERT OR UPDATE OR DELETE ON "public"."_line_items_swap_new" FOR EACH ROW EXECUTE FUNCTION "public"."_line_items_swap_rfn"();

CREATE TRIGGER "_line_items_swap_rdel" AFTER TRUNCATE ON "public"."_line_items_swap_new" FOR EACH STATEMENT EXECUTE FUNCTION "public"."_line_items_swap_rfn"();

-- DetachOld

-- ReadLog(100)
SELECT "id", "k0", "k1", "op" FROM "_line_items_swap_rlog" ORDER BY "id" LIMIT 100;

-- KeysPresent(original, 3)
SELECT "line_items"."tenant", "line_items"."id" FROM "line_items" WHERE ("line_items"."tenant", "line_items"."id") IN ((@v0_0, @v0_1), (@v1_0, @v1_1), (@v2_0, @v2_1));

-- DeleteFromCopy(3)
DELETE FROM "_line_items_swap_old" WHERE ("tenant", "id") IN ((@a0_0, @a0_1), (@a1_0, @a1_1), (@a2_0, @a2_1));

-- UpsertRows(3)
INSERT INTO "public"."_line_items_swap_old" ("tenant", "id", "sku", "note", "qty") SELECT "tenant", "id", "product_code", ('reverted'), "qty" FROM "public"."line_items" o WHERE (o."tenant", o."id") IN ((@a0_0, @a0_1), (@a1_0, @a1_1), (@a2_0, @a2_1)) ON CONFLICT ("tenant", "id") DO UPDATE SET "sku" = EXCLUDED."sku", "qty" = EXCLUDED."qty";

-- DeleteLog(2)
DELETE FROM "_line_items_swap_rlog" WHERE "id" BETWEEN @r0a AND @r0b OR "id" BETWEEN @r1a AND @r1b;

-- Boundary(next)
SELECT o."tenant", o."id" FROM "line_items" o WHERE o."tenant" >= @l0 AND ((o."tenant" > @l0) OR (o."tenant" = @l0 AND o."id" > @l1)) ORDER BY o."tenant", o."id" LIMIT 1 OFFSET 19999;

-- Compare
SELECT CASE WHEN c."tenant" IS NULL THEN 'missing' WHEN s."k0" IS NULL THEN 'extra' ELSE 'different' END, COALESCE(s."k0", c."tenant"), COALESCE(s."k1", c."id") FROM (SELECT o."tenant" AS "k0", o."id" AS "k1", "tenant" AS "m0", "id" AS "m1", "product_code" AS "m2", "qty" AS "m3" FROM "line_items" o WHERE (o."tenant" >= @l0 AND ((o."tenant" > @l0) OR (o."tenant" = @l0 AND o."id" > @l1))) AND (o."tenant" <= @u0 AND ((o."tenant" < @u0) OR (o."tenant" = @u0 AND o."id" <= @u1)))) s FULL OUTER JOIN (SELECT * FROM "_line_items_swap_old" c WHERE (c."tenant" >= @l0 AND ((c."tenant" > @l0) OR (c."tenant" = @l0 AND c."id" > @l1))) AND (c."tenant" <= @u0 AND ((c."tenant" < @u0) OR (c."tenant" = @u0 AND c."id" <= @u1)))) c ON c."tenant" = s."k0" AND c."id" = s."k1" WHERE (c."tenant" IS NULL OR s."k0" IS NULL OR NOT (CAST(s."m0" AS integer) IS NOT DISTINCT FROM c."tenant" AND CAST(s."m1" AS bigint) IS NOT DISTINCT FROM c."id" AND CAST(s."m2" AS character varying(40)) IS NOT DISTINCT FROM c."sku" AND CAST(s."m3" AS integer) IS NOT DISTINCT FROM c."qty")) AND NOT EXISTS (SELECT 1 FROM "_line_items_swap_rlog" l WHERE l."k0" = COALESCE(s."k0", c."tenant") AND l."k1" = COALESCE(s."k1", c."id")) LIMIT 1;

-- CutOverPlan
BEGIN;

SET LOCAL lock_timeout = '1000ms';

LOCK TABLE "public"."line_items", "public"."_line_items_swap_old" IN ACCESS EXCLUSIVE MODE;

-- apply the rest of the change log (batches of: read log, delete keys from the copy, insert current rows, delete the log rows)

ALTER TABLE "public"."line_items" RENAME CONSTRAINT "line_items_pkey" TO "_line_items_pkey_swap_new";

ALTER TABLE "public"."line_items" RENAME TO "_line_items_swap_new";

ALTER TABLE "public"."_line_items_swap_old" RENAME TO "line_items";

ALTER TABLE "public"."line_items" RENAME CONSTRAINT "_line_items_pkey_swap_old" TO "line_items_pkey";

-- move serial sequences to the new table, carry identity values over

COMMIT;

-- RemoveCapture
DROP FUNCTION IF EXISTS "public"."_line_items_swap_rfn"() CASCADE;

DROP TABLE IF EXISTS "public"."_line_items_swap_rlog";

-- AfterCutOver
ALTER TABLE "public"."line_items" RESET (autovacuum_enabled);

ANALYZE "public"."line_items";

-- DropOld
DROP TABLE IF EXISTS "public"."_line_items_swap_new";

