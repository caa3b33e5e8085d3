-- Planner
-- copy: changing the type of amount rewrites every row

-- Refusals

-- CreateCopy
CREATE TABLE "_orders_swap_new" (
  "id" INTEGER NOT NULL,
  "customer" VARCHAR(100) NOT NULL,
  "amount" NUMERIC(12,2) NOT NULL,
  "status" VARCHAR(20) NOT NULL DEFAULT 'new',
  PRIMARY KEY ("id")
);

-- InstallCapture
DROP INDEX IF EXISTS "_ix_orders_customer_swap_new";

CREATE INDEX "_ix_orders_customer_swap_new" ON "_orders_swap_new" ("customer");

DROP INDEX IF EXISTS "_ix_orders_status_swap_new";

CREATE INDEX "_ix_orders_status_swap_new" ON "_orders_swap_new" ("status");

DROP TABLE IF EXISTS "_orders_swap_log";

CREATE TABLE "_orders_swap_log" ("id" INTEGER PRIMARY KEY, "op" TEXT NOT NULL, "k0" INTEGER);

CREATE INDEX "_orders_swap_log_k" ON "_orders_swap_log" ("k0");

CREATE TRIGGER "_orders_swap_ins" AFTER INSERT ON "orders" BEGIN INSERT INTO "_orders_swap_log" ("op", "k0") VALUES ('i', NEW."id"); END;

CREATE TRIGGER "_orders_swap_upd" AFTER UPDATE ON "orders" BEGIN INSERT INTO "_orders_swap_log" ("op", "k0") VALUES ('u', OLD."id"); INSERT INTO "_orders_swap_log" ("op", "k0") SELECT 'u', NEW."id" WHERE NOT (OLD."id" IS NEW."id"); END;

CREATE TRIGGER "_orders_swap_del" AFTER DELETE ON "orders" BEGIN INSERT INTO "_orders_swap_log" ("op", "k0") VALUES ('d', OLD."id"); END;

-- Boundary(first)
SELECT o."id" FROM "orders" o ORDER BY o."id" LIMIT 1 OFFSET 999;

-- Boundary(next)
SELECT o."id" FROM "orders" o WHERE o."id" > @l0 ORDER BY o."id" LIMIT 1 OFFSET 999;

-- CopyChunk(first)
INSERT INTO "_orders_swap_new" ("id", "customer", "amount") SELECT "id", "customer", "amount" FROM "orders" o WHERE (o."id" <= @u0) ON CONFLICT DO NOTHING;

-- CopyChunk(middle)
INSERT INTO "_orders_swap_new" ("id", "customer", "amount") SELECT "id", "customer", "amount" FROM "orders" o WHERE (o."id" > @l0) AND (o."id" <= @u0) ON CONFLICT DO NOTHING;

-- CopyChunk(last)
INSERT INTO "_orders_swap_new" ("id", "customer", "amount") SELECT "id", "customer", "amount" FROM "orders" o WHERE (o."id" > @l0) ON CONFLICT DO NOTHING;

-- BuildIndexesPlan

-- ReadLog(100)
SELECT "id", "k0", "op" FROM "_orders_swap_log" ORDER BY "id" LIMIT 100;

-- DeleteFromCopy(3)
DELETE FROM "_orders_swap_new" WHERE "id" IN (@a0_0, @a1_0, @a2_0);

-- ApplyRows(3)
INSERT INTO "_orders_swap_new" ("id", "customer", "amount") SELECT "id", "customer", "amount" FROM "orders" o WHERE o."id" IN (@a0_0, @a1_0, @a2_0) ON CONFLICT DO NOTHING;

-- DeleteLog(2)
DELETE FROM "_orders_swap_log" WHERE "id" BETWEEN @r0a AND @r0b OR "id" BETWEEN @r1a AND @r1b;

-- MissingOrDifferent
SELECT s."k0" FROM (SELECT o."id" AS "k0", "id" AS "m0", "customer" AS "m1", "amount" AS "m2" FROM "orders" o WHERE (o."id" > @l0) AND (o."id" <= @u0)) s LEFT JOIN "_orders_swap_new" c ON c."id" = s."k0" WHERE (c."id" IS NULL OR NOT (s."m0" IS c."id" AND s."m1" IS c."customer" AND s."m2" IS c."amount")) AND NOT EXISTS (SELECT 1 FROM "_orders_swap_log" l WHERE l."k0" = s."k0") LIMIT 1;

-- Extra
SELECT c."id" FROM "_orders_swap_new" c WHERE (c."id" > @l0) AND (c."id" <= @u0) AND NOT EXISTS (SELECT 1 FROM "orders" o WHERE c."id" = o."id") AND NOT EXISTS (SELECT 1 FROM "_orders_swap_log" l WHERE l."k0" = c."id") LIMIT 1;

-- DefinitionQueries
SELECT type, name, sql FROM sqlite_master WHERE tbl_name = @t COLLATE NOCASE AND instr(name, '_swap_') = 0 ORDER BY type, name;

-- CutOverPlan
PRAGMA foreign_keys = OFF;

PRAGMA busy_timeout = 1000;

BEGIN IMMEDIATE;

-- apply the rest of the change log (batches of: read log, delete keys from the copy, insert current rows, delete the log rows)

PRAGMA legacy_alter_table = ON;

ALTER TABLE "orders" RENAME TO "_orders_swap_old";

ALTER TABLE "_orders_swap_new" RENAME TO "orders";

PRAGMA writable_schema = ON;

UPDATE sqlite_master SET name = '_ix_orders_customer_swap_old', sql = <its definition on _orders_swap_old> WHERE type = 'index' AND name = 'ix_orders_customer';

UPDATE sqlite_master SET name = 'ix_orders_customer', sql = 'CREATE INDEX "ix_orders_customer" ON "orders" ("customer")' WHERE type = 'index' AND name = '_ix_orders_customer_swap_new';

UPDATE sqlite_master SET name = 'ix_orders_status', sql = 'CREATE INDEX "ix_orders_status" ON "orders" ("status")' WHERE type = 'index' AND name = '_ix_orders_status_swap_new';

PRAGMA schema_version = <current + 1>;

PRAGMA writable_schema = OFF;

PRAGMA legacy_alter_table = OFF;

-- check that the views on the tables still compile; PRAGMA foreign_key_check on each table and the tables that reference it

COMMIT;

PRAGMA foreign_keys = ON -- if it was on

-- RemoveCapture
DROP TRIGGER IF EXISTS "_orders_swap_ins";

DROP TRIGGER IF EXISTS "_orders_swap_upd";

DROP TRIGGER IF EXISTS "_orders_swap_del";

DROP TABLE IF EXISTS "_orders_swap_log";

DROP INDEX IF EXISTS "_ix_orders_customer_swap_new";

DROP INDEX IF EXISTS "_ix_orders_status_swap_new";

-- AfterCutOver

-- DropOld
DROP TABLE IF EXISTS "_orders_swap_old";

