-- RevertRefusals

-- InstallCapture(window)
DROP TABLE IF EXISTS `_line_items_swap_rlog`;

CREATE TABLE `_line_items_swap_rlog` (`id` BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, `op` CHAR(1) NOT NULL, `k0` int(11) NOT NULL, `k1` bigint(20) NOT NULL, KEY `k` (`k0`, `k1`)) ENGINE=InnoDB;

CREATE TRIGGER `_line_items_swap_rins` AFTER INSERT ON `_line_items_swap_new` FOR EACH ROW INSERT INTO `_line_items_swap_rlog` (`op`, `k0`, `k1`) VALUES ('i', NEW.`tenant`, NEW.`id`);

CREATE TRIGGER `_line_items_swap_rupd` AFTER UPDATE ON `_line_items_swap_new` FOR EACH ROW BEGIN INSERT INTO `_line_items_swap_rlog` (`op`, `k0`, `k1`) VALUES ('u', OLD.`tenant`, OLD.`id`); IF NOT (OLD.`tenant` <=> NEW.`tenant`) OR NOT (OLD.`id` <=> NEW.`id`) THEN INSERT INTO `_line_items_swap_rlog` (`op`, `k0`, `k1`) VALUES ('u', NEW.`tenant`, NEW.`id`); END IF; END;

CREATE TRIGGER `_line_items_swap_rdel` AFTER DELETE ON `_line_items_swap_new` FOR EACH ROW INSERT INTO `_line_items_swap_rlog` (`op`, `k0`, `k1`) VALUES ('d', OLD.`tenant`, OLD.`id`);

-- DetachOld

-- ReadLog(100)
SELECT `id`, `k0`, `k1`, `op` FROM `_line_items_swap_rlog` ORDER BY `id` LIMIT 100;

-- KeysPresent(original, 3)
SELECT `line_items`.`tenant`, `line_items`.`id` FROM `line_items` WHERE (`line_items`.`tenant`, `line_items`.`id`) IN ((@v0_0, @v0_1), (@v1_0, @v1_1), (@v2_0, @v2_1));

-- DeleteFromCopy(3)
DELETE FROM `_line_items_swap_old` WHERE (`tenant`, `id`) IN ((@a0_0, @a0_1), (@a1_0, @a1_1), (@a2_0, @a2_1));

-- UpsertRows(3)
INSERT INTO `_line_items_swap_old` (`tenant`, `id`, `sku`, `note`, `qty`) SELECT `tenant`, `id`, `product_code`, ('reverted'), `qty` FROM `line_items` WHERE (`line_items`.`tenant`, `line_items`.`id`) IN ((@a0_0, @a0_1), (@a1_0, @a1_1), (@a2_0, @a2_1)) ON DUPLICATE KEY UPDATE `sku` = VALUES(`sku`), `qty` = VALUES(`qty`);

-- DeleteLog(2)
DELETE FROM `_line_items_swap_rlog` WHERE `id` BETWEEN @r0a AND @r0b OR `id` BETWEEN @r1a AND @r1b;

-- Boundary(next)
SELECT o.`tenant`, o.`id` FROM `line_items` o WHERE o.`tenant` >= @l0 AND ((o.`tenant` > @l0) OR (o.`tenant` = @l0 AND o.`id` > @l1)) ORDER BY o.`tenant`, o.`id` LIMIT 1 OFFSET 19999;

-- MissingOrDifferent
SELECT s.`k0`, s.`k1` FROM (SELECT o.`tenant` AS `k0`, o.`id` AS `k1`, `tenant` AS `m0`, `id` AS `m1`, `product_code` AS `m2`, `qty` AS `m3` FROM `line_items` o WHERE (o.`tenant` >= @l0 AND ((o.`tenant` > @l0) OR (o.`tenant` = @l0 AND o.`id` > @l1))) AND (o.`tenant` <= @u0 AND ((o.`tenant` < @u0) OR (o.`tenant` = @u0 AND o.`id` <= @u1)))) s LEFT JOIN `_line_items_swap_old` c ON c.`tenant` = s.`k0` AND c.`id` = s.`k1` WHERE (c.`tenant` IS NULL OR NOT (s.`m0` <=> c.`tenant` AND s.`m1` <=> c.`id` AND CAST(s.`m2` AS BINARY) <=> CAST(c.`sku` AS BINARY) AND s.`m3` <=> c.`qty`)) AND NOT EXISTS (SELECT 1 FROM `_line_items_swap_rlog` l WHERE l.`k0` = s.`k0` AND l.`k1` = s.`k1`) LIMIT 1;

-- Extra
SELECT c.`tenant`, c.`id` FROM `_line_items_swap_old` c WHERE (c.`tenant` >= @l0 AND ((c.`tenant` > @l0) OR (c.`tenant` = @l0 AND c.`id` > @l1))) AND (c.`tenant` <= @u0 AND ((c.`tenant` < @u0) OR (c.`tenant` = @u0 AND c.`id` <= @u1))) AND NOT EXISTS (SELECT 1 FROM `line_items` o WHERE c.`tenant` = o.`tenant` AND c.`id` = o.`id`) AND NOT EXISTS (SELECT 1 FROM `_line_items_swap_rlog` l WHERE l.`k0` = c.`tenant` AND l.`k1` = c.`id`) LIMIT 1;

-- CutOverPlan
ANALYZE TABLE `_line_items_swap_old`;

-- locker session per table: SET SESSION lock_wait_timeout = 1

-- locker: LOCK TABLES `line_items` READ

-- apply the rest of the change log (batches of: read log, delete keys from the copy, insert current rows, delete the log rows)

-- renamer session, queued behind the lockers:

RENAME TABLE `line_items` TO `_line_items_swap_new`, `_line_items_swap_old` TO `line_items`;

-- lockers: UNLOCK TABLES, in name order (the RENAME goes first)

-- RemoveCapture
DROP TRIGGER IF EXISTS `_line_items_swap_rins`;

DROP TRIGGER IF EXISTS `_line_items_swap_rupd`;

DROP TRIGGER IF EXISTS `_line_items_swap_rdel`;

DROP TABLE IF EXISTS `_line_items_swap_rlog`;

-- AfterCutOver

-- DropOld
DROP TABLE IF EXISTS `_line_items_swap_new`;

