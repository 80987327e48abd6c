-- Rows of {model} that share their key ({key}) with another row: its grain, one row per key, is broken
-- (zero rows pass). The build runs this for each model sql/tests/grains.toml declares.
select {key}, count(*) as copies
from {model}
group by all
having count(*) > 1
