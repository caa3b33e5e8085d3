-- Planner
-- copy: changing the type of amount rewrites every row

-- Refusals

-- CreateCopy
CREATE TABLE `_orders_swap_new` LIKE `orders`;

ALTER TABLE `_orders_swap_new` DROP INDEX `ix_orders_customer`, MODIFY COLUMN `amount` DECIMAL(12,2) NOT NULL;

ALTER TABLE `_orders_swap_new` ADD COLUMN `status` VARCHAR(20) NOT NULL DEFAULT 'new' AFTER `amount`;

-- InstallCapture
DROP TABLE IF EXISTS `_orders_swap_log`;

CREATE TABLE `_orders_swap_log` (`id` BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, `op` CHAR(1) NOT NULL, `k0` int(11) NOT NULL, KEY `k` (`k0`)) ENGINE=InnoDB;

CREATE TRIGGER `_orders_swap_ins` AFTER INSERT ON `orders` FOR EACH ROW INSERT INTO `_orders_swap_log` (`op`, `k0`) VALUES ('i', NEW.`id`);

CREATE TRIGGER `_orders_swap_upd` AFTER UPDATE ON `orders` FOR EACH ROW BEGIN INSERT INTO `_orders_swap_log` (`op`, `k0`) VALUES ('u', OLD.`id`); IF NOT (OLD.`id` <=> NEW.`id`) THEN INSERT INTO `_orders_swap_log` (`op`, `k0`) VALUES ('u', NEW.`id`); END IF; END;

CREATE TRIGGER `_orders_swap_del` AFTER DELETE ON `orders` FOR EACH ROW INSERT INTO `_orders_swap_log` (`op`, `k0`) VALUES ('d', OLD.`id`);

-- Boundary(first)
SELECT o.`id` FROM `orders` o ORDER BY o.`id` LIMIT 1 OFFSET 999;

-- Boundary(next)
SELECT o.`id` FROM `orders` o WHERE o.`id` > @l0 ORDER BY o.`id` LIMIT 1 OFFSET 999;

-- CopyChunk(first)
INSERT INTO `_orders_swap_new` (`id`, `customer`, `amount`) SELECT `id`, `customer`, `amount` FROM `orders` o WHERE (o.`id` <= @u0) ON DUPLICATE KEY UPDATE `_orders_swap_new`.`id` = `_orders_swap_new`.`id`;

-- CopyChunk(middle)
INSERT INTO `_orders_swap_new` (`id`, `customer`, `amount`) SELECT `id`, `customer`, `amount` FROM `orders` o WHERE (o.`id` > @l0) AND (o.`id` <= @u0) ON DUPLICATE KEY UPDATE `_orders_swap_new`.`id` = `_orders_swap_new`.`id`;

-- CopyChunk(last)
INSERT INTO `_orders_swap_new` (`id`, `customer`, `amount`) SELECT `id`, `customer`, `amount` FROM `orders` o WHERE (o.`id` > @l0) ON DUPLICATE KEY UPDATE `_orders_swap_new`.`id` = `_orders_swap_new`.`id`;

-- BuildIndexesPlan
ALTER TABLE `_orders_swap_new` ADD INDEX `ix_orders_customer` (`customer`), ADD INDEX `ix_orders_status` (`status`), LOCK=NONE;

-- ReadLog(100)
SELECT `id`, `k0`, `op` FROM `_orders_swap_log` ORDER BY `id` LIMIT 100;

-- KeysWithValues(copy, 3)
SELECT `_orders_swap_new`.`id` FROM `_orders_swap_new` WHERE `_orders_swap_new`.`id` IN (@c0_0, @c1_0, @c2_0);

-- KeysWithValues(original, 3)
SELECT `orders`.`id` FROM `orders` WHERE `orders`.`id` IN (@o0_0, @o1_0, @o2_0);

-- DeleteFromCopy(3)
DELETE FROM `_orders_swap_new` WHERE `id` IN (@a0_0, @a1_0, @a2_0);

-- ResyncInPlace(3)
INSERT INTO `_orders_swap_new` (`id`, `customer`, `amount`) SELECT `id`, `customer`, `amount` FROM `orders` WHERE `orders`.`id` IN (@a0_0, @a1_0, @a2_0) ON DUPLICATE KEY UPDATE `customer` = VALUES(`customer`), `amount` = VALUES(`amount`);

-- ApplyRows(3)
INSERT INTO `_orders_swap_new` (`id`, `customer`, `amount`) SELECT `id`, `customer`, `amount` FROM `orders` WHERE `orders`.`id` IN (@a0_0, @a1_0, @a2_0) ON DUPLICATE KEY UPDATE `_orders_swap_new`.`id` = `_orders_swap_new`.`id`;

-- DeleteLog(2)
DELETE FROM `_orders_swap_log` WHERE `id` BETWEEN @r0a AND @r0b OR `id` BETWEEN @r1a AND @r1b;

-- MissingOrDifferent
SELECT s.`k0` FROM (SELECT o.`id` AS `k0`, `id` AS `m0`, `customer` AS `m1`, `amount` AS `m2` FROM `orders` o WHERE (o.`id` > @l0) AND (o.`id` <= @u0)) s LEFT JOIN `_orders_swap_new` c ON c.`id` = s.`k0` WHERE (c.`id` IS NULL OR NOT (s.`m0` <=> c.`id` AND CAST(s.`m1` AS BINARY) <=> CAST(c.`customer` AS BINARY) AND CAST(s.`m2` AS DECIMAL(12,2)) <=> c.`amount`)) AND NOT EXISTS (SELECT 1 FROM `_orders_swap_log` l WHERE l.`k0` = s.`k0`) LIMIT 1;

-- Extra
SELECT c.`id` FROM `_orders_swap_new` c WHERE (c.`id` > @l0) AND (c.`id` <= @u0) AND NOT EXISTS (SELECT 1 FROM `orders` o WHERE c.`id` = o.`id`) AND NOT EXISTS (SELECT 1 FROM `_orders_swap_log` l WHERE l.`k0` = c.`id`) LIMIT 1;

-- DefinitionQueries
SHOW CREATE TABLE `orders`;

SELECT TRIGGER_NAME, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER, ACTION_STATEMENT, DEFINER, SQL_MODE FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = @t AND INSTR(TRIGGER_NAME, '_swap_') = 0 ORDER BY TRIGGER_NAME;

-- CutOverPlan
ANALYZE TABLE `_orders_swap_new`;

-- locker session per table: SET SESSION lock_wait_timeout = 1

-- locker: LOCK TABLES `orders` READ

-- apply the rest of the change log (batches of: read log, delete keys from the copy, insert current rows, delete the log rows)

-- renamer session, queued behind the lockers:

RENAME TABLE `orders` TO `_orders_swap_old`, `_orders_swap_new` TO `orders`;

-- lockers: UNLOCK TABLES, in name order (the RENAME goes first)

-- RemoveCapture
DROP TRIGGER IF EXISTS `_orders_swap_ins`;

DROP TRIGGER IF EXISTS `_orders_swap_upd`;

DROP TRIGGER IF EXISTS `_orders_swap_del`;

DROP TABLE IF EXISTS `_orders_swap_log`;

-- AfterCutOver

-- DropOld
DROP TABLE IF EXISTS `_orders_swap_old`;

