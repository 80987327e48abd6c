-- An amount in a document's currency, in the company's home currency: QuickBooks' rule, amount x
-- ExchangeRate (home units per unit of the document's currency; 1 where the company keeps one
-- currency), to the cent, half away from zero.
create or replace temp macro home_amount(amount, rate) as round(amount * rate, 2)::decimal(18, 2);
-- The ExchangeRate of a record's payload; 1 when it has none (one currency).
create or replace temp macro exchange_rate(payload) as coalesce((payload->>'$.ExchangeRate')::decimal(20, 7), 1);
