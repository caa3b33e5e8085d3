-- Planner
-- copy: changing the type of sp ace"col rewrites every row

-- Refusals

-- CreateCopy
CREATE TABLE "_we""ird_swap_new" (
  "k`ey" INTEGER NOT NULL,
  "sp ace""col" VARCHAR(80) NOT NULL,
  "plain" INTEGER,
  "note" VARCHAR(20) NOT NULL DEFAULT 'it''s',
  PRIMARY KEY ("k`ey")
);

-- InstallCapture
DROP INDEX IF EXISTS "_ix_weird_space_swap_new";

CREATE INDEX "_ix_weird_space_swap_new" ON "_we""ird_swap_new" ("sp ace""col");

DROP TABLE IF EXISTS "_we""ird_swap_log";

CREATE TABLE "_we""ird_swap_log" ("id" INTEGER PRIMARY KEY, "op" TEXT NOT NULL, "k0" INTEGER);

CREATE INDEX "_we""ird_swap_log_k" ON "_we""ird_swap_log" ("k0");

CREATE TRIGGER "_we""ird_swap_ins" AFTER INSERT ON "we""ird" BEGIN INSERT INTO "_we""ird_swap_log" ("op", "k0") VALUES ('i', NEW."k`ey"); END;

CREATE TRIGGER "_we""ird_swap_upd" AFTER UPDATE ON "we""ird" BEGIN INSERT INTO "_we""ird_swap_log" ("op", "k0") VALUES ('u', OLD."k`ey"); INSERT INTO "_we""ird_swap_log" ("op", "k0") SELECT 'u', NEW."k`ey" WHERE NOT (OLD."k`ey" IS NEW."k`ey"); END;

CREATE TRIGGER "_we""ird_swap_del" AFTER DELETE ON "we""ird" BEGIN INSERT INTO "_we""ird_swap_log" ("op", "k0") VALUES ('d', OLD."k`ey"); END;

-- Boundary(first)
SELECT o."k`ey" FROM "we""ird" o ORDER BY o."k`ey" LIMIT 1 OFFSET 999;

-- Boundary(next)
SELECT o."k`ey" FROM "we""ird" o WHERE o."k`ey" > @l0 ORDER BY o."k`ey" LIMIT 1 OFFSET 999;

-- CopyChunk(first)
INSERT INTO "_we""ird_swap_new" ("k`ey", "sp ace""col", "plain") SELECT "k`ey", "sp ace""col", "plain" FROM "we""ird" o WHERE (o."k`ey" <= @u0) ON CONFLICT DO NOTHING;

-- CopyChunk(middle)
INSERT INTO "_we""ird_swap_new" ("k`ey", "sp ace""col", "plain") SELECT "k`ey", "sp ace""col", "plain" FROM "we""ird" o WHERE (o."k`ey" > @l0) AND (o."k`ey" <= @u0) ON CONFLICT DO NOTHING;

-- CopyChunk(last)
INSERT INTO "_we""ird_swap_new" ("k`ey", "sp ace""col", "plain") SELECT "k`ey", "sp ace""col", "plain" FROM "we""ird" o WHERE (o."k`ey" > @l0) ON CONFLICT DO NOTHING;

-- BuildIndexesPlan

-- ReadLog(100)
SELECT "id", "k0", "op" FROM "_we""ird_swap_log" ORDER BY "id" LIMIT 100;

-- DeleteFromCopy(3)
DELETE FROM "_we""ird_swap_new" WHERE "k`ey" IN (@a0_0, @a1_0, @a2_0);

-- ApplyRows(3)
INSERT INTO "_we""ird_swap_new" ("k`ey", "sp ace""col", "plain") SELECT "k`ey", "sp ace""col", "plain" FROM "we""ird" o WHERE o."k`ey" IN (@a0_0, @a1_0, @a2_0) ON CONFLICT DO NOTHING;

-- DeleteLog(2)
DELETE FROM "_we""ird_swap_log" WHERE "id" BETWEEN @r0a AND @r0b OR "id" BETWEEN @r1a AND @r1b;

-- MissingOrDifferent
SELECT s."k0" FROM (SELECT o."k`ey" AS "k0", "k`ey" AS "m0", "sp ace""col" AS "m1", "plain" AS "m2" FROM "we""ird" o WHERE (o."k`ey" > @l0) AND (o."k`ey" <= @u0)) s LEFT JOIN "_we""ird_swap_new" c ON c."k`ey" = s."k0" WHERE (c."k`ey" IS NULL OR NOT (s."m0" IS c."k`ey" AND s."m1" IS c."sp ace""col" AND s."m2" IS c."plain")) AND NOT EXISTS (SELECT 1 FROM "_we""ird_swap_log" l WHERE l."k0" = s."k0") LIMIT 1;

-- Extra
SELECT c."k`ey" FROM "_we""ird_swap_new" c WHERE (c."k`ey" > @l0) AND (c."k`ey" <= @u0) AND NOT EXISTS (SELECT 1 FROM "we""ird" o WHERE c."k`ey" = o."k`ey") AND NOT EXISTS (SELECT 1 FROM "_we""ird_swap_log" l WHERE l."k0" = c."k`ey") LIMIT 1;

-- DefinitionQueries
SELECT type, name, sql FROM sqlite_master WHERE tbl_name = @t COLLATE NOCASE AND instr(name, '_swap_') = 0 ORDER BY type, name;

-- CutOverPlan
PRAGMA foreign_keys = OFF;

PRAGMA busy_timeout = 1000;

BEGIN IMMEDIATE;

-- apply the rest of the change log (batches of: read log, delete keys from the copy, insert current rows, delete the log rows)

PRAGMA legacy_alter_table = ON;

ALTER TABLE "we""ird" RENAME TO "_we""ird_swap_old";

ALTER TABLE "_we""ird_swap_new" RENAME TO "we""ird";

PRAGMA writable_schema = ON;

UPDATE sqlite_master SET name = 'ix_weird_space', sql = 'CREATE INDEX "ix_weird_space" ON "we""ird" ("sp ace""col")' WHERE type = 'index' AND name = '_ix_weird_space_swap_new';

PRAGMA schema_version = <current + 1>;

PRAGMA writable_schema = OFF;

PRAGMA legacy_alter_table = OFF;

-- check that the views on the tables still compile; PRAGMA foreign_key_check on each table and the tables that reference it

COMMIT;

PRAGMA foreign_keys = ON -- if it was on

-- RemoveCapture
DROP TRIGGER IF EXISTS "_we""ird_swap_ins";

DROP TRIGGER IF EXISTS "_we""ird_swap_upd";

DROP TRIGGER IF EXISTS "_we""ird_swap_del";

DROP TABLE IF EXISTS "_we""ird_swap_log";

DROP INDEX IF EXISTS "_ix_weird_space_swap_new";

-- AfterCutOver

-- DropOld
DROP TABLE IF EXISTS "_we""ird_swap_old";

