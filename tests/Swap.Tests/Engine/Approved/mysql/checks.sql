-- Planner
-- copy: MySQL/MariaDB add a CHECK only by copying the table with writes blocked (ALGORITHM=COPY); the copy gets it, and a row that fails it is named before anything changes

-- Refusals

-- CreateCopy
CREATE TABLE `_accounts_swap_new` LIKE `accounts`;

ALTER TABLE `_accounts_swap_new` DROP CONSTRAINT `ck_kind`;

ALTER TABLE `_accounts_swap_new` ADD CONSTRAINT `ck_amount` CHECK (amount >= 0);

-- InstallCapture
DROP TABLE IF EXISTS `_accounts_swap_log`;

CREATE TABLE `_accounts_swap_log` (`id` BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, `op` CHAR(1) NOT NULL, `k0` int(11) NOT NULL, KEY `k` (`k0`)) ENGINE=InnoDB;

CREATE TRIGGER `_accounts_swap_ins` AFTER INSERT ON `accounts` FOR EACH ROW INSERT INTO `_accounts_swap_log` (`op`, `k0`) VALUES ('i', NEW.`id`);

CREATE TRIGGER `_accounts_swap_upd` AFTER UPDATE ON `accounts` FOR EACH ROW BEGIN INSERT INTO `_accounts_swap_log` (`op`, `k0`) VALUES ('u', OLD.`id`); IF NOT (OLD.`id` <=> NEW.`id`) THEN INSERT INTO `_accounts_swap_log` (`op`, `k0`) VALUES ('u', NEW.`id`); END IF; END;

CREATE TRIGGER `_accounts_swap_del` AFTER DELETE ON `accounts` FOR EACH ROW INSERT INTO `_accounts_swap_log` (`op`, `k0`) VALUES ('d', OLD.`id`);

-- Boundary(first)
SELECT o.`id` FROM `accounts` o ORDER BY o.`id` LIMIT 1 OFFSET 999;

-- Boundary(next)
SELECT o.`id` FROM `accounts` o WHERE o.`id` > @l0 ORDER BY o.`id` LIMIT 1 OFFSET 999;

-- CopyChunk(first)
INSERT INTO `_accounts_swap_new` (`id`, `kind`, `amount`) SELECT `id`, `kind`, `amount` FROM `accounts` o WHERE (o.`id` <= @u0) ON DUPLICATE KEY UPDATE `_accounts_swap_new`.`id` = `_accounts_swap_new`.`id`;

-- CopyChunk(middle)
INSERT INTO `_accounts_swap_new` (`id`, `kind`, `amount`) SELECT `id`, `kind`, `amount` FROM `accounts` o WHERE (o.`id` > @l0) AND (o.`id` <= @u0) ON DUPLICATE KEY UPDATE `_accounts_swap_new`.`id` = `_accounts_swap_new`.`id`;

-- CopyChunk(last)
INSERT INTO `_accounts_swap_new` (`id`, `kind`, `amount`) SELECT `id`, `kind`, `amount` FROM `accounts` o WHERE (o.`id` > @l0) ON DUPLICATE KEY UPDATE `_accounts_swap_new`.`id` = `_accounts_swap_new`.`id`;

-- BuildIndexesPlan

-- ReadLog(100)
SELECT `id`, `k0`, `op` FROM `_accounts_swap_log` ORDER BY `id` LIMIT 100;

-- KeysWithValues(copy, 3)
SELECT `_accounts_swap_new`.`id` FROM `_accounts_swap_new` WHERE `_accounts_swap_new`.`id` IN (@c0_0, @c1_0, @c2_0);

-- KeysWithValues(original, 3)
SELECT `accounts`.`id` FROM `accounts` WHERE `accounts`.`id` IN (@o0_0, @o1_0, @o2_0);

-- DeleteFromCopy(3)
DELETE FROM `_accounts_swap_new` WHERE `id` IN (@a0_0, @a1_0, @a2_0);

-- ResyncInPlace(3)
INSERT INTO `_accounts_swap_new` (`id`, `kind`, `amount`) SELECT `id`, `kind`, `amount` FROM `accounts` WHERE `accounts`.`id` IN (@a0_0, @a1_0, @a2_0) ON DUPLICATE KEY UPDATE `kind` = VALUES(`kind`), `amount` = VALUES(`amount`);

-- ApplyRows(3)
INSERT INTO `_accounts_swap_new` (`id`, `kind`, `amount`) SELECT `id`, `kind`, `amount` FROM `accounts` WHERE `accounts`.`id` IN (@a0_0, @a1_0, @a2_0) ON DUPLICATE KEY UPDATE `_accounts_swap_new`.`id` = `_accounts_swap_new`.`id`;

-- DeleteLog(2)
DELETE FROM `_accounts_swap_log` WHERE `id` BETWEEN @r0a AND @r0b OR `id` BETWEEN @r1a AND @r1b;

-- MissingOrDifferent
SELECT s.`k0` FROM (SELECT o.`id` AS `k0`, `id` AS `m0`, `kind` AS `m1`, `amount` AS `m2` FROM `accounts` o WHERE (o.`id` > @l0) AND (o.`id` <= @u0)) s LEFT JOIN `_accounts_swap_new` c ON c.`id` = s.`k0` WHERE (c.`id` IS NULL OR NOT (s.`m0` <=> c.`id` AND CAST(s.`m1` AS BINARY) <=> CAST(c.`kind` AS BINARY) AND s.`m2` <=> c.`amount`)) AND NOT EXISTS (SELECT 1 FROM `_accounts_swap_log` l WHERE l.`k0` = s.`k0`) LIMIT 1;

-- Extra
SELECT c.`id` FROM `_accounts_swap_new` c WHERE (c.`id` > @l0) AND (c.`id` <= @u0) AND NOT EXISTS (SELECT 1 FROM `accounts` o WHERE c.`id` = o.`id`) AND NOT EXISTS (SELECT 1 FROM `_accounts_swap_log` l WHERE l.`k0` = c.`id`) LIMIT 1;

-- DefinitionQueries
SHOW CREATE TABLE `accounts`;

SELECT TRIGGER_NAME, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER, ACTION_STATEMENT, DEFINER, SQL_MODE FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = @t AND INSTR(TRIGGER_NAME, '_swap_') = 0 ORDER BY TRIGGER_NAME;

-- CutOverPlan
ANALYZE TABLE `_accounts_swap_new`;

-- locker session per table: SET SESSION lock_wait_timeout = 1

-- locker: LOCK TABLES `accounts` READ

-- apply the rest of the change log (batches of: read log, delete keys from the copy, insert current rows, delete the log rows)

-- renamer session, queued behind the lockers:

RENAME TABLE `accounts` TO `_accounts_swap_old`, `_accounts_swap_new` TO `accounts`;

-- lockers: UNLOCK TABLES, in name order (the RENAME goes first)

-- RemoveCapture
DROP TRIGGER IF EXISTS `_accounts_swap_ins`;

DROP TRIGGER IF EXISTS `_accounts_swap_upd`;

DROP TRIGGER IF EXISTS `_accounts_swap_del`;

DROP TABLE IF EXISTS `_accounts_swap_log`;

-- AfterCutOver

-- DropOld
DROP TABLE IF EXISTS `_accounts_swap_old`;

