-- The peer for `make bench`: the theme diff an analyst would write in
-- DuckDB instead of running proposal-diff. It reads every year file, splits
-- the theme phrases, maps them through the taxonomy's ids, English labels
-- and aliases (lowercase and trim only: no width, script or punctuation
-- folding, no fuzzy matching), full-joins each year with the next per
-- delegate and theme, and writes the new, dropped and recurring rows.
-- Delegates are taken as spelled in the files (no name resolution). The
-- rows are written unsorted: sorting would only slow the peer down.
--
-- bench/run.py replaces __DATA__ and __OUT__ and runs it with 2 threads.

SET threads = 2;
SET preserve_insertion_order = false;

CREATE TEMP TABLE alias AS
WITH taxonomy AS (
    SELECT id, label_en, aliases
    FROM read_csv('__DATA__/themes.csv', header = true, all_varchar = true)
)
SELECT DISTINCT phrase, id AS theme FROM (
    SELECT lower(trim(id)) AS phrase, id FROM taxonomy
    UNION ALL SELECT lower(trim(label_en)), id FROM taxonomy
    UNION ALL SELECT lower(trim(unnest(string_split(aliases, ';')))), id FROM taxonomy
) WHERE phrase <> '';

CREATE TEMP TABLE facts AS
WITH phrases AS (
    SELECT CAST(year AS INTEGER) AS year, delegate,
           lower(trim(unnest(regexp_split_to_array(themes, '[;；]')))) AS phrase
    FROM read_csv('__DATA__/proposals/*.csv', header = true, all_varchar = true)
)
SELECT DISTINCT p.year, p.delegate, coalesce(a.theme, p.phrase) AS theme
FROM phrases p LEFT JOIN alias a USING (phrase)
WHERE p.phrase <> '';

COPY (
    WITH span AS (SELECT min(year) AS first, max(year) AS last FROM facts),
    a AS (SELECT year, delegate, theme FROM facts, span WHERE year < last),
    b AS (SELECT year - 1 AS year, delegate, theme FROM facts, span WHERE year > first)
    SELECT year AS from_year, year + 1 AS to_year, delegate, theme,
           CASE WHEN a_in IS NULL THEN 'new'
                WHEN b_in IS NULL THEN 'dropped'
                ELSE 'recurring' END AS change
    FROM (SELECT *, true AS a_in FROM a)
    FULL JOIN (SELECT *, true AS b_in FROM b) USING (year, delegate, theme)
) TO '__OUT__/theme_changes.csv' (HEADER, DELIMITER ',');
