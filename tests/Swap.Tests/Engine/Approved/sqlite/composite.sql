-- Planner
-- copy: SQLite rewrites every row to drop a column

-- Refusals

-- CreateCopy
CREATE TABLE "_line_items_swap_new" (
  "tenant" INTEGER NOT NULL,
  "id" INTEGER NOT NULL,
  "sku" VARCHAR(40) NOT NULL,
  "qty" INTEGER NOT NULL,
  PRIMARY KEY ("tenant", "id")
);

ALTER TABLE "_line_items_swap_new" RENAME COLUMN "sku" TO "product_code";

-- InstallCapture
DROP TABLE IF EXISTS "_line_items_swap_log";

CREATE TABLE "_line_items_swap_log" ("id" INTEGER PRIMARY KEY, "op" TEXT NOT NULL, "k0" INTEGER, "k1" INTEGER);

CREATE INDEX "_line_items_swap_log_k" ON "_line_items_swap_log" ("k0", "k1");

CREATE TRIGGER "_line_items_swap_ins" AFTER INSERT ON "line_items" BEGIN INSERT INTO "_line_items_swap_log" ("op", "k0", "k1") VALUES ('i', NEW."tenant", NEW."id"); END;

CREATE TRIGGER "_line_items_swap_upd" AFTER UPDATE ON "line_items" BEGIN INSERT INTO "_line_items_swap_log" ("op", "k0", "k1") VALUES ('u', OLD."tenant", OLD."id"); INSERT INTO "_line_items_swap_log" ("op", "k0", "k1") SELECT 'u', NEW."tenant", NEW."id" WHERE NOT (OLD."tenant" IS NEW."tenant") OR NOT (OLD."id" IS NEW."id"); END;

CREATE TRIGGER "_line_items_swap_del" AFTER DELETE ON "line_items" BEGIN INSERT INTO "_line_items_swap_log" ("op", "k0", "k1") VALUES ('d', OLD."tenant", OLD."id"); END;

-- Boundary(first)
SELECT o."tenant", o."id" FROM "line_items" o ORDER BY o."tenant", o."id" LIMIT 1 OFFSET 999;

-- Boundary(next)
SELECT o."tenant", o."id" FROM "line_items" o WHERE o."tenant" >= @l0 AND ((o."tenant" > @l0) OR (o."tenant" = @l0 AND o."id" > @l1)) ORDER BY o."tenant", o."id" LIMIT 1 OFFSET 999;

-- CopyChunk(first)
INSERT INTO "_line_items_swap_new" ("tenant", "id", "product_code", "qty") SELECT "tenant", "id", "sku", "qty" FROM "line_items" o WHERE (o."tenant" <= @u0 AND ((o."tenant" < @u0) OR (o."tenant" = @u0 AND o."id" <= @u1))) ON CONFLICT DO NOTHING;

-- CopyChunk(middle)
INSERT INTO "_line_items_swap_new" ("tenant", "id", "product_code", "qty") SELECT "tenant", "id", "sku", "qty" FROM "line_items" o WHERE (o."tenant" >= @l0 AND ((o."tenant" > @l0) OR (o."tenant" = @l0 AND o."id" > @l1))) AND (o."tenant" <= @u0 AND ((o."tenant" < @u0) OR (o."tenant" = @u0 AND o."id" <= @u1))) ON CONFLICT DO NOTHING;

-- CopyChunk(last)
INSERT INTO "_line_items_swap_new" ("tenant", "id", "product_code", "qty") SELECT "tenant", "id", "sku", "qty" FROM "line_items" o WHERE (o."tenant" >= @l0 AND ((o."tenant" > @l0) OR (o."tenant" = @l0 AND o."id" > @l1))) ON CONFLICT DO NOTHING;

-- BuildIndexesPlan

-- ReadLog(100)
SELECT "id", "k0", "k1", "op" FROM "_line_items_swap_log" ORDER BY "id" LIMIT 100;

-- DeleteFromCopy(3)
DELETE FROM "_line_items_swap_new" WHERE ("tenant", "id") IN ((@a0_0, @a0_1), (@a1_0, @a1_1), (@a2_0, @a2_1));

-- ApplyRows(3)
INSERT INTO "_line_items_swap_new" ("tenant", "id", "product_code", "qty") SELECT "tenant", "id", "sku", "qty" FROM "line_items" o WHERE (o."tenant", o."id") IN ((@a0_0, @a0_1), (@a1_0, @a1_1), (@a2_0, @a2_1)) ON CONFLICT DO NOTHING;

-- DeleteLog(2)
DELETE FROM "_line_items_swap_log" WHERE "id" BETWEEN @r0a AND @r0b OR "id" BETWEEN @r1a AND @r1b;

-- MissingOrDifferent
SELECT s."k0", s."k1" FROM (SELECT o."tenant" AS "k0", o."id" AS "k1", "tenant" AS "m0", "id" AS "m1", "sku" AS "m2", "qty" AS "m3" FROM "line_items" o WHERE (o."tenant" >= @l0 AND ((o."tenant" > @l0) OR (o."tenant" = @l0 AND o."id" > @l1))) AND (o."tenant" <= @u0 AND ((o."tenant" < @u0) OR (o."tenant" = @u0 AND o."id" <= @u1)))) s LEFT JOIN "_line_items_swap_new" c ON c."tenant" = s."k0" AND c."id" = s."k1" WHERE (c."tenant" IS NULL OR NOT (s."m0" IS c."tenant" AND s."m1" IS c."id" AND s."m2" IS c."product_code" AND s."m3" IS c."qty")) AND NOT EXISTS (SELECT 1 FROM "_line_items_swap_log" l WHERE l."k0" = s."k0" AND l."k1" = s."k1") LIMIT 1;

-- Extra
SELECT c."tenant", c."id" FROM "_line_items_swap_new" c WHERE (c."tenant" >= @l0 AND ((c."tenant" > @l0) OR (c."tenant" = @l0 AND c."id" > @l1))) AND (c."tenant" <= @u0 AND ((c."tenant" < @u0) OR (c."tenant" = @u0 AND c."id" <= @u1))) AND NOT EXISTS (SELECT 1 FROM "line_items" o WHERE c."tenant" = o."tenant" AND c."id" = o."id") AND NOT EXISTS (SELECT 1 FROM "_line_items_swap_log" l WHERE l."k0" = c."tenant" AND l."k1" = c."id") LIMIT 1;

-- DefinitionQueries
SELECT type, name, sql FROM sqlite_master WHERE tbl_name = @t COLLATE NOCASE AND instr(name, '_swap_') = 0 ORDER BY type, name;

-- CutOverPlan
PRAGMA foreign_keys = OFF;

PRAGMA busy_timeout = 1000;

BEGIN IMMEDIATE;

-- apply the rest of the change log (batches of: read log, delete keys from the copy, insert current rows, delete the log rows)

PRAGMA legacy_alter_table = ON;

ALTER TABLE "line_items" RENAME TO "_line_items_swap_old";

ALTER TABLE "_line_items_swap_new" RENAME TO "line_items";

PRAGMA writable_schema = ON;

PRAGMA schema_version = <current + 1>;

PRAGMA writable_schema = OFF;

PRAGMA legacy_alter_table = OFF;

-- check that the views on the tables still compile; PRAGMA foreign_key_check on each table and the tables that reference it

COMMIT;

PRAGMA foreign_keys = ON -- if it was on

-- RemoveCapture
DROP TRIGGER IF EXISTS "_line_items_swap_ins";

DROP TRIGGER IF EXISTS "_line_items_swap_upd";

DROP TRIGGER IF EXISTS "_line_items_swap_del";

DROP TABLE IF EXISTS "_line_items_swap_log";

-- AfterCutOver

-- DropOld
DROP TABLE IF EXISTS "_line_items_swap_old";

