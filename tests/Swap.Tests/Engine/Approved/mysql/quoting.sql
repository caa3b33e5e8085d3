-- Planner
-- copy: changing the type of sp ace"col rewrites every row

-- Refusals

-- CreateCopy
CREATE TABLE `_we"ird_swap_new` LIKE `we"ird`;

ALTER TABLE `_we"ird_swap_new` MODIFY COLUMN `sp ace"col` VARCHAR(80) NOT NULL;

ALTER TABLE `_we"ird_swap_new` ADD COLUMN `note` VARCHAR(20) NOT NULL DEFAULT 'it''s' AFTER `plain`;

-- InstallCapture
DROP TABLE IF EXISTS `_we"ird_swap_log`;

CREATE TABLE `_we"ird_swap_log` (`id` BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, `op` CHAR(1) NOT NULL, `k0` int(11) NOT NULL, KEY `k` (`k0`)) ENGINE=InnoDB;

CREATE TRIGGER `_we"ird_swap_ins` AFTER INSERT ON `we"ird` FOR EACH ROW INSERT INTO `_we"ird_swap_log` (`op`, `k0`) VALUES ('i', NEW.`k``ey`);

CREATE TRIGGER `_we"ird_swap_upd` AFTER UPDATE ON `we"ird` FOR EACH ROW BEGIN INSERT INTO `_we"ird_swap_log` (`op`, `k0`) VALUES ('u', OLD.`k``ey`); IF NOT (OLD.`k``ey` <=> NEW.`k``ey`) THEN INSERT INTO `_we"ird_swap_log` (`op`, `k0`) VALUES ('u', NEW.`k``ey`); END IF; END;

CREATE TRIGGER `_we"ird_swap_del` AFTER DELETE ON `we"ird` FOR EACH ROW INSERT INTO `_we"ird_swap_log` (`op`, `k0`) VALUES ('d', OLD.`k``ey`);

-- Boundary(first)
SELECT o.`k``ey` FROM `we"ird` o ORDER BY o.`k``ey` LIMIT 1 OFFSET 999;

-- Boundary(next)
SELECT o.`k``ey` FROM `we"ird` o WHERE o.`k``ey` > @l0 ORDER BY o.`k``ey` LIMIT 1 OFFSET 999;

-- CopyChunk(first)
INSERT INTO `_we"ird_swap_new` (`k``ey`, `sp ace"col`, `plain`) SELECT `k``ey`, `sp ace"col`, `plain` FROM `we"ird` o WHERE (o.`k``ey` <= @u0) ON DUPLICATE KEY UPDATE `_we"ird_swap_new`.`k``ey` = `_we"ird_swap_new`.`k``ey`;

-- CopyChunk(middle)
INSERT INTO `_we"ird_swap_new` (`k``ey`, `sp ace"col`, `plain`) SELECT `k``ey`, `sp ace"col`, `plain` FROM `we"ird` o WHERE (o.`k``ey` > @l0) AND (o.`k``ey` <= @u0) ON DUPLICATE KEY UPDATE `_we"ird_swap_new`.`k``ey` = `_we"ird_swap_new`.`k``ey`;

-- CopyChunk(last)
INSERT INTO `_we"ird_swap_new` (`k``ey`, `sp ace"col`, `plain`) SELECT `k``ey`, `sp ace"col`, `plain` FROM `we"ird` o WHERE (o.`k``ey` > @l0) ON DUPLICATE KEY UPDATE `_we"ird_swap_new`.`k``ey` = `_we"ird_swap_new`.`k``ey`;

-- BuildIndexesPlan
ALTER TABLE `_we"ird_swap_new` ADD INDEX `ix_weird_space` (`sp ace"col`), LOCK=NONE;

-- ReadLog(100)
SELECT `id`, `k0`, `op` FROM `_we"ird_swap_log` ORDER BY `id` LIMIT 100;

-- KeysWithValues(copy, 3)
SELECT `_we"ird_swap_new`.`k``ey` FROM `_we"ird_swap_new` WHERE `_we"ird_swap_new`.`k``ey` IN (@c0_0, @c1_0, @c2_0);

-- KeysWithValues(original, 3)
SELECT `we"ird`.`k``ey` FROM `we"ird` WHERE `we"ird`.`k``ey` IN (@o0_0, @o1_0, @o2_0);

-- DeleteFromCopy(3)
DELETE FROM `_we"ird_swap_new` WHERE `k``ey` IN (@a0_0, @a1_0, @a2_0);

-- ResyncInPlace(3)
INSERT INTO `_we"ird_swap_new` (`k``ey`, `sp ace"col`, `plain`) SELECT `k``ey`, `sp ace"col`, `plain` FROM `we"ird` WHERE `we"ird`.`k``ey` IN (@a0_0, @a1_0, @a2_0) ON DUPLICATE KEY UPDATE `sp ace"col` = VALUES(`sp ace"col`), `plain` = VALUES(`plain`);

-- ApplyRows(3)
INSERT INTO `_we"ird_swap_new` (`k``ey`, `sp ace"col`, `plain`) SELECT `k``ey`, `sp ace"col`, `plain` FROM `we"ird` WHERE `we"ird`.`k``ey` IN (@a0_0, @a1_0, @a2_0) ON DUPLICATE KEY UPDATE `_we"ird_swap_new`.`k``ey` = `_we"ird_swap_new`.`k``ey`;

-- DeleteLog(2)
DELETE FROM `_we"ird_swap_log` WHERE `id` BETWEEN @r0a AND @r0b OR `id` BETWEEN @r1a AND @r1b;

-- MissingOrDifferent
SELECT s.`k0` FROM (SELECT o.`k``ey` AS `k0`, `k``ey` AS `m0`, `sp ace"col` AS `m1`, `plain` AS `m2` FROM `we"ird` o WHERE (o.`k``ey` > @l0) AND (o.`k``ey` <= @u0)) s LEFT JOIN `_we"ird_swap_new` c ON c.`k``ey` = s.`k0` WHERE (c.`k``ey` IS NULL OR NOT (s.`m0` <=> c.`k``ey` AND CAST(s.`m1` AS BINARY) <=> CAST(c.`sp ace"col` AS BINARY) AND s.`m2` <=> c.`plain`)) AND NOT EXISTS (SELECT 1 FROM `_we"ird_swap_log` l WHERE l.`k0` = s.`k0`) LIMIT 1;

-- Extra
SELECT c.`k``ey` FROM `_we"ird_swap_new` c WHERE (c.`k``ey` > @l0) AND (c.`k``ey` <= @u0) AND NOT EXISTS (SELECT 1 FROM `we"ird` o WHERE c.`k``ey` = o.`k``ey`) AND NOT EXISTS (SELECT 1 FROM `_we"ird_swap_log` l WHERE l.`k0` = c.`k``ey`) LIMIT 1;

-- DefinitionQueries
SHOW CREATE TABLE `we"ird`;

SELECT TRIGGER_NAME, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER, ACTION_STATEMENT, DEFINER, SQL_MODE FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = @t AND INSTR(TRIGGER_NAME, '_swap_') = 0 ORDER BY TRIGGER_NAME;

-- CutOverPlan
ANALYZE TABLE `_we"ird_swap_new`;

-- locker session per table: SET SESSION lock_wait_timeout = 1

-- locker: LOCK TABLES `we"ird` READ

-- apply the rest of the change log (batches of: read log, delete keys from the copy, insert current rows, delete the log rows)

-- renamer session, queued behind the lockers:

RENAME TABLE `we"ird` TO `_we"ird_swap_old`, `_we"ird_swap_new` TO `we"ird`;

-- lockers: UNLOCK TABLES, in name order (the RENAME goes first)

-- RemoveCapture
DROP TRIGGER IF EXISTS `_we"ird_swap_ins`;

DROP TRIGGER IF EXISTS `_we"ird_swap_upd`;

DROP TRIGGER IF EXISTS `_we"ird_swap_del`;

DROP TABLE IF EXISTS `_we"ird_swap_log`;

-- AfterCutOver

-- DropOld
DROP TABLE IF EXISTS `_we"ird_swap_old`;

