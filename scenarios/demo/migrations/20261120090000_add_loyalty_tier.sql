-- Customers get a loyalty tier. MigrateFillLoyaltyTiers fills it in from their order history.
ALTER TABLE customers ADD COLUMN loyalty_tier VARCHAR(10) NULL;
CREATE INDEX customers_loyalty_tier ON customers (loyalty_tier);

-- swap:down
DROP INDEX customers_loyalty_tier;
ALTER TABLE customers DROP COLUMN loyalty_tier;
