-- Planner
-- copy: changing the type of amount rewrites every row

-- Refusals

-- CreateCopy
CREATE TABLE "_invoices_swap_new" (
  "id" INTEGER NOT NULL,
  "customer_id" INTEGER,
  "amount" NUMERIC(12,2) NOT NULL,
  PRIMARY KEY ("id"),
  CONSTRAINT "fk_invoices_customer_id" FOREIGN KEY ("customer_id") REFERENCES "customers" ("id")
);

-- InstallCapture
DROP TABLE IF EXISTS "_invoices_swap_log";

CREATE TABLE "_invoices_swap_log" ("id" INTEGER PRIMARY KEY, "op" TEXT NOT NULL, "k0" INTEGER);

CREATE INDEX "_invoices_swap_log_k" ON "_invoices_swap_log" ("k0");

CREATE TRIGGER "_invoices_swap_ins" AFTER INSERT ON "invoices" BEGIN INSERT INTO "_invoices_swap_log" ("op", "k0") VALUES ('i', NEW."id"); END;

CREATE TRIGGER "_invoices_swap_upd" AFTER UPDATE ON "invoices" BEGIN INSERT INTO "_invoices_swap_log" ("op", "k0") VALUES ('u', OLD."id"); INSERT INTO "_invoices_swap_log" ("op", "k0") SELECT 'u', NEW."id" WHERE NOT (OLD."id" IS NEW."id"); END;

CREATE TRIGGER "_invoices_swap_del" AFTER DELETE ON "invoices" BEGIN INSERT INTO "_invoices_swap_log" ("op", "k0") VALUES ('d', OLD."id"); END;

-- Boundary(first)
SELECT o."id" FROM "invoices" o ORDER BY o."id" LIMIT 1 OFFSET 999;

-- Boundary(next)
SELECT o."id" FROM "invoices" o WHERE o."id" > @l0 ORDER BY o."id" LIMIT 1 OFFSET 999;

-- CopyChunk(first)
INSERT INTO "_invoices_swap_new" ("id", "customer_id", "amount") SELECT "id", "customer_id", "amount" FROM "invoices" o WHERE (o."id" <= @u0) ON CONFLICT DO NOTHING;

-- CopyChunk(middle)
INSERT INTO "_invoices_swap_new" ("id", "customer_id", "amount") SELECT "id", "customer_id", "amount" FROM "invoices" o WHERE (o."id" > @l0) AND (o."id" <= @u0) ON CONFLICT DO NOTHING;

-- CopyChunk(last)
INSERT INTO "_invoices_swap_new" ("id", "customer_id", "amount") SELECT "id", "customer_id", "amount" FROM "invoices" o WHERE (o."id" > @l0) ON CONFLICT DO NOTHING;

-- BuildIndexesPlan

-- ReadLog(100)
SELECT "id", "k0", "op" FROM "_invoices_swap_log" ORDER BY "id" LIMIT 100;

-- DeleteFromCopy(3)
DELETE FROM "_invoices_swap_new" WHERE "id" IN (@a0_0, @a1_0, @a2_0);

-- ApplyRows(3)
INSERT INTO "_invoices_swap_new" ("id", "customer_id", "amount") SELECT "id", "customer_id", "amount" FROM "invoices" o WHERE o."id" IN (@a0_0, @a1_0, @a2_0) ON CONFLICT DO NOTHING;

-- DeleteLog(2)
DELETE FROM "_invoices_swap_log" WHERE "id" BETWEEN @r0a AND @r0b OR "id" BETWEEN @r1a AND @r1b;

-- MissingOrDifferent
SELECT s."k0" FROM (SELECT o."id" AS "k0", "id" AS "m0", "customer_id" AS "m1", "amount" AS "m2" FROM "invoices" o WHERE (o."id" > @l0) AND (o."id" <= @u0)) s LEFT JOIN "_invoices_swap_new" c ON c."id" = s."k0" WHERE (c."id" IS NULL OR NOT (s."m0" IS c."id" AND s."m1" IS c."customer_id" AND s."m2" IS c."amount")) AND NOT EXISTS (SELECT 1 FROM "_invoices_swap_log" l WHERE l."k0" = s."k0") LIMIT 1;

-- Extra
SELECT c."id" FROM "_invoices_swap_new" c WHERE (c."id" > @l0) AND (c."id" <= @u0) AND NOT EXISTS (SELECT 1 FROM "invoices" o WHERE c."id" = o."id") AND NOT EXISTS (SELECT 1 FROM "_invoices_swap_log" l WHERE l."k0" = c."id") LIMIT 1;

-- DefinitionQueries
SELECT type, name, sql FROM sqlite_master WHERE tbl_name = @t COLLATE NOCASE AND instr(name, '_swap_') = 0 ORDER BY type, name;

-- CutOverPlan
PRAGMA foreign_keys = OFF;

PRAGMA busy_timeout = 1000;

BEGIN IMMEDIATE;

-- apply the rest of the change log (batches of: read log, delete keys from the copy, insert current rows, delete the log rows)

PRAGMA legacy_alter_table = ON;

ALTER TABLE "invoices" RENAME TO "_invoices_swap_old";

ALTER TABLE "_invoices_swap_new" RENAME TO "invoices";

PRAGMA writable_schema = ON;

PRAGMA schema_version = <current + 1>;

PRAGMA writable_schema = OFF;

PRAGMA legacy_alter_table = OFF;

-- check that the views on the tables still compile; PRAGMA foreign_key_check on each table and the tables that reference it

COMMIT;

PRAGMA foreign_keys = ON -- if it was on

-- RemoveCapture
DROP TRIGGER IF EXISTS "_invoices_swap_ins";

DROP TRIGGER IF EXISTS "_invoices_swap_upd";

DROP TRIGGER IF EXISTS "_invoices_swap_del";

DROP TABLE IF EXISTS "_invoices_swap_log";

-- AfterCutOver

-- DropOld
DROP TABLE IF EXISTS "_invoices_swap_old";

