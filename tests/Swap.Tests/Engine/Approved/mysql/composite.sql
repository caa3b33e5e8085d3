-- Planner
-- instant: MariaDB 10.4+ / MySQL 8.0.29+ add, drop and rename columns and change defaults with ALGORITHM=INSTANT

ALTER TABLE `line_items` DROP COLUMN `note`, RENAME COLUMN `sku` TO `product_code`, ALGORITHM=INSTANT;

-- Refusals

-- CreateCopy
CREATE TABLE `_line_items_swap_new` LIKE `line_items`;

ALTER TABLE `_line_items_swap_new` DROP COLUMN `note`;

ALTER TABLE `_line_items_swap_new` RENAME COLUMN `sku` TO `product_code`;

-- InstallCapture
DROP TABLE IF EXISTS `_line_items_swap_log`;

CREATE TABLE `_line_items_swap_log` (`id` BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, `op` CHAR(1) NOT NULL, `k0` int(11) NOT NULL, `k1` bigint(20) NOT NULL, KEY `k` (`k0`, `k1`)) ENGINE=InnoDB;

CREATE TRIGGER `_line_items_swap_ins` AFTER INSERT ON `line_items` FOR EACH ROW INSERT INTO `_line_items_swap_log` (`op`, `k0`, `k1`) VALUES ('i', NEW.`tenant`, NEW.`id`);

CREATE TRIGGER `_line_items_swap_upd` AFTER UPDATE ON `line_items` FOR EACH ROW BEGIN INSERT INTO `_line_items_swap_log` (`op`, `k0`, `k1`) VALUES ('u', OLD.`tenant`, OLD.`id`); IF NOT (OLD.`tenant` <=> NEW.`tenant`) OR NOT (OLD.`id` <=> NEW.`id`) THEN INSERT INTO `_line_items_swap_log` (`op`, `k0`, `k1`) VALUES ('u', NEW.`tenant`, NEW.`id`); END IF; END;

CREATE TRIGGER `_line_items_swap_del` AFTER DELETE ON `line_items` FOR EACH ROW INSERT INTO `_line_items_swap_log` (`op`, `k0`, `k1`) VALUES ('d', OLD.`tenant`, OLD.`id`);

-- Boundary(first)
SELECT o.`tenant`, o.`id` FROM `line_items` o ORDER BY o.`tenant`, o.`id` LIMIT 1 OFFSET 999;

-- Boundary(next)
SELECT o.`tenant`, o.`id` FROM `line_items` o WHERE o.`tenant` >= @l0 AND ((o.`tenant` > @l0) OR (o.`tenant` = @l0 AND o.`id` > @l1)) ORDER BY o.`tenant`, o.`id` LIMIT 1 OFFSET 999;

-- CopyChunk(first)
INSERT INTO `_line_items_swap_new` (`tenant`, `id`, `product_code`, `qty`) SELECT `tenant`, `id`, `sku`, `qty` FROM `line_items` o WHERE (o.`tenant` <= @u0 AND ((o.`tenant` < @u0) OR (o.`tenant` = @u0 AND o.`id` <= @u1))) ON DUPLICATE KEY UPDATE `_line_items_swap_new`.`tenant` = `_line_items_swap_new`.`tenant`;

-- CopyChunk(middle)
INSERT INTO `_line_items_swap_new` (`tenant`, `id`, `product_code`, `qty`) SELECT `tenant`, `id`, `sku`, `qty` FROM `line_items` o WHERE (o.`tenant` >= @l0 AND ((o.`tenant` > @l0) OR (o.`tenant` = @l0 AND o.`id` > @l1))) AND (o.`tenant` <= @u0 AND ((o.`tenant` < @u0) OR (o.`tenant` = @u0 AND o.`id` <= @u1))) ON DUPLICATE KEY UPDATE `_line_items_swap_new`.`tenant` = `_line_items_swap_new`.`tenant`;

-- CopyChunk(last)
INSERT INTO `_line_items_swap_new` (`tenant`, `id`, `product_code`, `qty`) SELECT `tenant`, `id`, `sku`, `qty` FROM `line_items` o WHERE (o.`tenant` >= @l0 AND ((o.`tenant` > @l0) OR (o.`tenant` = @l0 AND o.`id` > @l1))) ON DUPLICATE KEY UPDATE `_line_items_swap_new`.`tenant` = `_line_items_swap_new`.`tenant`;

-- BuildIndexesPlan

-- ReadLog(100)
SELECT `id`, `k0`, `k1`, `op` FROM `_line_items_swap_log` ORDER BY `id` LIMIT 100;

-- KeysWithValues(copy, 3)
SELECT `_line_items_swap_new`.`tenant`, `_line_items_swap_new`.`id` FROM `_line_items_swap_new` WHERE (`_line_items_swap_new`.`tenant`, `_line_items_swap_new`.`id`) IN ((@c0_0, @c0_1), (@c1_0, @c1_1), (@c2_0, @c2_1));

-- KeysWithValues(original, 3)
SELECT `line_items`.`tenant`, `line_items`.`id` FROM `line_items` WHERE (`line_items`.`tenant`, `line_items`.`id`) IN ((@o0_0, @o0_1), (@o1_0, @o1_1), (@o2_0, @o2_1));

-- DeleteFromCopy(3)
DELETE FROM `_line_items_swap_new` WHERE (`tenant`, `id`) IN ((@a0_0, @a0_1), (@a1_0, @a1_1), (@a2_0, @a2_1));

-- ResyncInPlace(3)
INSERT INTO `_line_items_swap_new` (`tenant`, `id`, `product_code`, `qty`) SELECT `tenant`, `id`, `sku`, `qty` FROM `line_items` WHERE (`line_items`.`tenant`, `line_items`.`id`) IN ((@a0_0, @a0_1), (@a1_0, @a1_1), (@a2_0, @a2_1)) ON DUPLICATE KEY UPDATE `product_code` = VALUES(`product_code`), `qty` = VALUES(`qty`);

-- ApplyRows(3)
INSERT INTO `_line_items_swap_new` (`tenant`, `id`, `product_code`, `qty`) SELECT `tenant`, `id`, `sku`, `qty` FROM `line_items` WHERE (`line_items`.`tenant`, `line_items`.`id`) IN ((@a0_0, @a0_1), (@a1_0, @a1_1), (@a2_0, @a2_1)) ON DUPLICATE KEY UPDATE `_line_items_swap_new`.`tenant` = `_line_items_swap_new`.`tenant`;

-- DeleteLog(2)
DELETE FROM `_line_items_swap_log` WHERE `id` BETWEEN @r0a AND @r0b OR `id` BETWEEN @r1a AND @r1b;

-- MissingOrDifferent
SELECT s.`k0`, s.`k1` FROM (SELECT o.`tenant` AS `k0`, o.`id` AS `k1`, `tenant` AS `m0`, `id` AS `m1`, `sku` AS `m2`, `qty` AS `m3` FROM `line_items` o WHERE (o.`tenant` >= @l0 AND ((o.`tenant` > @l0) OR (o.`tenant` = @l0 AND o.`id` > @l1))) AND (o.`tenant` <= @u0 AND ((o.`tenant` < @u0) OR (o.`tenant` = @u0 AND o.`id` <= @u1)))) s LEFT JOIN `_line_items_swap_new` c ON c.`tenant` = s.`k0` AND c.`id` = s.`k1` WHERE (c.`tenant` IS NULL OR NOT (s.`m0` <=> c.`tenant` AND s.`m1` <=> c.`id` AND CAST(s.`m2` AS BINARY) <=> CAST(c.`product_code` AS BINARY) AND s.`m3` <=> c.`qty`)) AND NOT EXISTS (SELECT 1 FROM `_line_items_swap_log` l WHERE l.`k0` = s.`k0` AND l.`k1` = s.`k1`) LIMIT 1;

-- Extra
SELECT c.`tenant`, c.`id` FROM `_line_items_swap_new` c WHERE (c.`tenant` >= @l0 AND ((c.`tenant` > @l0) OR (c.`tenant` = @l0 AND c.`id` > @l1))) AND (c.`tenant` <= @u0 AND ((c.`tenant` < @u0) OR (c.`tenant` = @u0 AND c.`id` <= @u1))) AND NOT EXISTS (SELECT 1 FROM `line_items` o WHERE c.`tenant` = o.`tenant` AND c.`id` = o.`id`) AND NOT EXISTS (SELECT 1 FROM `_line_items_swap_log` l WHERE l.`k0` = c.`tenant` AND l.`k1` = c.`id`) LIMIT 1;

-- DefinitionQueries
SHOW CREATE TABLE `line_items`;

SELECT TRIGGER_NAME, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER, ACTION_STATEMENT, DEFINER, SQL_MODE FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = @t AND INSTR(TRIGGER_NAME, '_swap_') = 0 ORDER BY TRIGGER_NAME;

-- CutOverPlan
ANALYZE TABLE `_line_items_swap_new`;

-- locker session per table: SET SESSION lock_wait_timeout = 1

-- locker: LOCK TABLES `line_items` READ

-- apply the rest of the change log (batches of: read log, delete keys from the copy, insert current rows, delete the log rows)

-- renamer session, queued behind the lockers:

RENAME TABLE `line_items` TO `_line_items_swap_old`, `_line_items_swap_new` TO `line_items`;

-- lockers: UNLOCK TABLES, in name order (the RENAME goes first)

-- RemoveCapture
DROP TRIGGER IF EXISTS `_line_items_swap_ins`;

DROP TRIGGER IF EXISTS `_line_items_swap_upd`;

DROP TRIGGER IF EXISTS `_line_items_swap_del`;

DROP TABLE IF EXISTS `_line_items_swap_log`;

-- AfterCutOver

-- DropOld
DROP TABLE IF EXISTS `_line_items_swap_old`;

