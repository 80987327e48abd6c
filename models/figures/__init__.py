"""The figures: reports over the snapshot and what the owner reads in them (periods, trends, drill-down to the
lines, the month-end pack as data), with how money, months and columns read."""
