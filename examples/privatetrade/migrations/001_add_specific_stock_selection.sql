-- greenlight:since 2.0.0
-- PrivateTrade v2.0.0: choose between all stocks and a specific list.
-- Columns are added (nullable TEXT), never renamed or dropped, so v1.9.0 keeps working.
ALTER TABLE config ADD COLUMN stock_mode TEXT;
ALTER TABLE config ADD COLUMN selected_specific_stocks TEXT;
UPDATE config SET stock_mode = 'all', selected_specific_stocks = '[]' WHERE name = 'stock_universe';
