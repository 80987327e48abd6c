-- An amount in a document's currency, in the company's home currency: QuickBooks' rule, amount x
-- ExchangeRate (home units per unit of the document's currency; 1 where the company keeps one
-- currency), to the cent, half away from zero.
create or replace temp macro home_amount(amount, rate) as round(amount * rate, 2)::decimal(18, 2);
-- A record's ExchangeRate from its text (what `payload->>'$.ExchangeRate'` gives: the models read it with the
-- payload's other fields, in one parse); 1 when it has none (one currency).
create or replace temp macro exchange_rate(rate_text) as coalesce((rate_text)::decimal(20, 7), 1);
