-- The second peer for `make bench`: the four long tables of
-- `proposal-diff report` (theme_changes.csv, delegate_changes.csv,
-- theme_history.csv, proposals.csv), with the same rows, written by DuckDB.
--
-- Name and theme resolution (folding, aliases, fuzzy matching) is report's
-- own: the peer is GIVEN it, as report's normalization.csv (__LOOKUP__):
-- one resolved id per (kind, raw), `delegate` spellings to delegate ids and
-- `theme` phrases to theme ids; an unmapped phrase has an empty `resolved`
-- and tags nothing. Everything else is done here: trimming every cell as
-- report does (Unicode whitespace), splitting the theme cells on `;`, `；`
-- and `|`, tagging, the year pairs (consecutive dataset years: the years of
-- the proposals and of the proposals/<YYYY>.csv file names), the per-pair
-- delegate states, memberships and body moves, the theme changes, the
-- history with streaks and returns, and the proposal rows with their
-- delegate and theme columns.
--
-- Not reproduced: `similarity` of theme_changes (a wording ratio of the
-- delegates' own titles computed by the `similar` crate after folding
-- traditional characters): written empty. Input is taken as valid UTF-8
-- (report also reads GB18030 and UTF-16), and bodies other than NPC/CPPCC
-- are taken as their trimmed cell. The datasets are taken as valid (report
-- stops on invalid ones; the peer checks nothing). A membership's delegate
-- is resolved by the lookup when the proposal files spell it so, else taken
-- as a delegate id (report resolves any spelling there).
--
-- Text cells get report's spreadsheet-formula guard (a leading `'` before
-- `=`, `+`, `-`, `@`, tab or CR unless the cell is a number). Rows are
-- written unsorted: sorting would only slow the peer down.
--
-- bench/peer.py replaces __DATA__, __OUT__ and __LOOKUP__.

SET threads = 2;
SET preserve_insertion_order = false;

-- Rust's str::trim (Unicode White_Space: RE2's \p{Z} and the ASCII and
-- U+0085 controls); an absent or empty cell is ''. A regular expression:
-- trim(s, characters) is six times slower here.
CREATE MACRO tr(s) AS coalesce(regexp_replace(s,
    '^[\t\n\x{0B}\f\r\x{85}\p{Z}]+|[\t\n\x{0B}\f\r\x{85}\p{Z}]+$', '', 'g'), '');

-- report's formula guard of a CSV text cell (src/report/escape.rs).
CREATE MACRO cell(s) AS
    CASE WHEN left(s, 1) IN ('=', '+', '-', '@', chr(9), chr(13))
              AND (TRY_CAST(s AS DOUBLE) IS NULL OR contains(s, '_'))
         THEN '''' || s ELSE s END;

-- normalization.csv's cells carry the guard: taken off again.
CREATE MACRO unguard(s) AS
    CASE WHEN regexp_matches(s, '^''[=+\-@\t\r]')
              AND (TRY_CAST(substr(s, 2) AS DOUBLE) IS NULL OR contains(s, '_'))
         THEN substr(s, 2) ELSE s END;

-- report's names of the two built-in bodies; any other body as its cell.
CREATE MACRO body_of(b) AS
    CASE WHEN lower(tr(b)) IN ('npc', '全国人大', '全国人民代表大会', '人大',
                               'national people''s congress') THEN 'NPC'
         WHEN lower(tr(b)) IN ('cppcc', '全国政协', '政协', '中国人民政治协商会议',
                               '中国人民政治协商会议全国委员会',
                               'chinese people''s political consultative conference') THEN 'CPPCC'
         ELSE tr(b) END;

CREATE TEMP TABLE lookup AS
SELECT kind, unguard(coalesce(raw, '')) AS raw, unguard(coalesce(resolved, '')) AS resolved
FROM read_csv('__LOOKUP__', header = true, all_varchar = true,
              delim = ',', quote = '"', escape = '"');

-- The year files: <YYYY>.csv only.
CREATE TEMP TABLE year_files AS
SELECT file, CAST(regexp_extract(file, '([0-9]{4})\.csv$', 1) AS INTEGER) AS year
FROM glob('__DATA__/proposals/*.csv')
WHERE regexp_matches(file, '(^|[/\\])[0-9]{4}\.csv$');

-- Every proposal row; the optional columns are empty when a file has none.
CREATE TEMP TABLE prop AS
WITH src AS (
    SELECT * FROM (SELECT NULL::VARCHAR AS company, NULL::VARCHAR AS summary,
                          NULL::VARCHAR AS title_zh, NULL::VARCHAR AS confidence,
                          NULL::VARCHAR AS themes WHERE false)
    UNION ALL BY NAME
    SELECT * FROM read_csv('__DATA__/proposals/[0-9][0-9][0-9][0-9].csv',
                           header = true, all_varchar = true, union_by_name = true,
                           delim = ',', quote = '"', escape = '"')
)
SELECT tr(s.id) AS id, CAST(tr(s.year) AS INTEGER) AS year,
       coalesce(l.resolved, tr(s.delegate)) AS delegate,
       body_of(s.body) AS body,
       tr(s.company) AS company, tr(s.title) AS title, tr(s.summary) AS summary,
       tr(s.source) AS source, tr(s.title_zh) AS title_zh,
       CASE lower(tr(s.confidence)) WHEN 'high' THEN 'high' WHEN 'low' THEN 'low' ELSE '' END
           AS confidence,
       tr(s.themes) AS themes
FROM src s
LEFT JOIN (SELECT raw, resolved FROM lookup WHERE kind = 'delegate') l ON l.raw = tr(s.delegate)
WHERE tr(s.id) <> '';

-- Per proposal: its distinct mapped themes (unmapped phrases tag nothing).
CREATE TEMP TABLE tags AS
WITH phrases AS (
    SELECT id, tr(unnest(regexp_split_to_array(themes, '[;；|]'))) AS phrase
    FROM prop WHERE themes <> ''
)
SELECT DISTINCT p.id, l.resolved AS theme
FROM phrases p JOIN (SELECT raw, resolved FROM lookup WHERE kind = 'theme') l
    ON l.raw = p.phrase
WHERE p.phrase <> '' AND l.resolved <> '';

-- Dataset years, ascending, with their positions (streaks count positions).
CREATE TEMP TABLE years AS
SELECT year, row_number() OVER (ORDER BY year) AS pos
FROM (SELECT year FROM prop UNION SELECT year FROM year_files);

CREATE TEMP TABLE pairs AS
SELECT a.year AS from_year, b.year AS to_year
FROM years a JOIN years b ON b.pos = a.pos + 1;

-- Per (delegate, theme, year): the proposals, by id; any of low
-- confidence; the year the delegate last raised the theme before.
CREATE TEMP TABLE facts AS
SELECT *, lag(year) OVER (PARTITION BY delegate, theme ORDER BY year) AS before
FROM (SELECT p.delegate, t.theme, p.year,
             string_agg(p.id, ';' ORDER BY p.id) AS ids,
             bool_or(p.confidence = 'low') AS low
      FROM prop p JOIN tags t ON t.id = p.id
      GROUP BY p.delegate, t.theme, p.year);

-- Per delegate and year with records (a proposal, even without themes):
-- its distinct themes, sorted; the number of bodies and the body of its
-- proposals.
CREATE TEMP TABLE active AS
SELECT p.delegate, p.year, t.themes, p.n_bodies, p.body
FROM (SELECT delegate, year, count(DISTINCT body) AS n_bodies, min(body) AS body
      FROM prop GROUP BY delegate, year) p
LEFT JOIN (SELECT delegate, year, string_agg(theme, ';' ORDER BY theme) AS themes
           FROM facts GROUP BY delegate, year) t
    ON t.delegate = p.delegate AND t.year = p.year;

-- The memberships, their delegate resolved as report does: a spelling of
-- the proposal files by the lookup, else a delegate id.
CREATE TEMP TABLE terms AS
WITH src AS (
    SELECT * FROM (SELECT NULL::VARCHAR AS last_seen WHERE false)
    UNION ALL BY NAME
    SELECT * FROM read_csv('__DATA__/memberships.csv', header = true, all_varchar = true,
                           delim = ',', quote = '"', escape = '"')
)
SELECT coalesce(l.resolved, tr(s.delegate)) AS delegate,
       body_of(s.body) AS body,
       CAST(nullif(tr(s."from"), '') AS INTEGER) AS t_from,
       CAST(nullif(tr(s."to"), '') AS INTEGER) AS t_to,
       CASE WHEN tr(s."to") = '' THEN CAST(nullif(tr(s.last_seen), '') AS INTEGER) END AS last_seen
FROM src s
LEFT JOIN (SELECT raw, resolved FROM lookup WHERE kind = 'delegate') l ON l.raw = tr(s.delegate)
WHERE tr(s.delegate) <> '';

-- Every delegate in either year of each pair.
CREATE TEMP TABLE dpairs AS
SELECT coalesce(a.from_year, b.from_year) AS from_year,
       coalesce(a.to_year, b.to_year) AS to_year,
       coalesce(a.delegate, b.delegate) AS delegate,
       a.delegate IS NOT NULL AS in_from, b.delegate IS NOT NULL AS in_to,
       a.themes AS themes_from, b.themes AS themes_to
FROM (SELECT q.from_year, q.to_year, x.delegate, x.themes
      FROM pairs q JOIN active x ON x.year = q.from_year) a
FULL JOIN (SELECT q.from_year, q.to_year, x.delegate, x.themes
           FROM pairs q JOIN active x ON x.year = q.to_year) b
    ON a.from_year = b.from_year AND a.delegate = b.delegate;

-- Per (delegate, year) a pair asks about: the body of the year (its
-- proposals', else the one membership covering it) and the standing the
-- memberships give (member < unknown < not-member; unknown without rows).
CREATE TEMP TABLE asked AS
WITH need AS (
    SELECT DISTINCT delegate, year FROM (
        SELECT delegate, from_year AS year FROM dpairs
        UNION ALL SELECT delegate, to_year FROM dpairs)
),
judged AS (
    SELECT n.delegate, n.year, m.body,
           (m.t_from IS NULL OR m.t_from <= n.year) AND (m.t_to IS NULL OR n.year <= m.t_to)
               AND (m.t_to IS NOT NULL OR m.last_seen IS NULL OR n.year <= m.last_seen) AS covers,
           m.t_to IS NULL AND (m.t_from IS NULL OR m.t_from <= n.year) AS open_started,
           m.delegate IS NOT NULL AS has_term
    FROM need n LEFT JOIN terms m ON m.delegate = n.delegate
),
by_terms AS (
    SELECT delegate, year,
           CASE WHEN NOT bool_or(has_term) THEN 2
                ELSE min(CASE WHEN covers THEN 1 WHEN open_started THEN 2 ELSE 3 END) END AS standing,
           count(DISTINCT body) FILTER (WHERE covers) AS n_bodies,
           min(body) FILTER (WHERE covers) AS body
    FROM judged GROUP BY delegate, year
)
SELECT t.delegate, t.year,
       CASE t.standing WHEN 1 THEN 'member' WHEN 2 THEN 'unknown' ELSE 'not-member' END AS standing,
       CASE WHEN x.delegate IS NOT NULL THEN (CASE WHEN x.n_bodies = 1 THEN x.body END)
            WHEN t.n_bodies = 1 THEN t.body END AS body
FROM by_terms t LEFT JOIN active x ON x.delegate = t.delegate AND x.year = t.year;

CREATE TEMP TABLE first_record AS
SELECT delegate, min(year) AS year FROM prop GROUP BY delegate;

COPY (
    WITH d AS (
        SELECT p.*,
               CASE WHEN p.in_from AND p.in_to THEN NULL
                    WHEN p.in_from THEN st.standing ELSE sf.standing END AS membership,
               sf.body AS body_from, st.body AS body_to
        FROM dpairs p
        JOIN asked sf ON sf.delegate = p.delegate AND sf.year = p.from_year
        JOIN asked st ON st.delegate = p.delegate AND st.year = p.to_year
    )
    SELECT d.from_year, d.to_year, cell(d.delegate) AS delegate,
           CASE WHEN d.in_from AND d.in_to THEN 'continuing'
                WHEN d.in_to AND d.membership <> 'not-member' AND f.year = d.to_year THEN 'first-record'
                WHEN d.in_to AND d.membership <> 'not-member' THEN 'resumed'
                WHEN d.in_to THEN 'joined'
                WHEN d.membership <> 'not-member' THEN 'no-record'
                ELSE 'left' END AS state,
           cell(d.themes_from) AS themes_from, cell(d.themes_to) AS themes_to,
           d.membership,
           CASE WHEN d.body_from <> d.body_to THEN cell(d.body_from || '>' || d.body_to) END AS moved
    FROM d LEFT JOIN first_record f ON f.delegate = d.delegate
) TO '__OUT__/delegate_changes.csv' (HEADER, DELIMITER ',');

-- The history: per (delegate, theme), the years raised, the longest run
-- of consecutive dataset years, and whether it was left in a year the
-- delegate has records and raised again.
CREATE TEMP TABLE history AS
WITH runs AS (
    SELECT f.delegate, f.theme, f.year,
           y.pos - row_number() OVER (PARTITION BY f.delegate, f.theme ORDER BY f.year) AS run
    FROM facts f JOIN years y ON y.year = f.year
),
streaks AS (
    SELECT delegate, theme, max(n) AS longest_streak FROM (
        SELECT delegate, theme, run, count(*) AS n FROM runs GROUP BY ALL)
    GROUP BY ALL
),
raised AS (
    SELECT delegate, theme, list(year ORDER BY year) AS raised,
           min(year) AS first_year, max(year) AS last_year, count(*) AS n_years
    FROM facts GROUP BY ALL
),
-- Years with records between the first and the last raised: one more
-- than the years raised between them makes a return.
inside AS (
    SELECT r.delegate, r.theme, count(*) AS n
    FROM raised r JOIN active x
        ON x.delegate = r.delegate AND x.year > r.first_year AND x.year < r.last_year
    WHERE r.n_years >= 2
    GROUP BY ALL
)
SELECT r.*, s.longest_streak,
       coalesce(i.n, 0) > r.n_years - 2 AND r.n_years >= 2 AS "returning"
FROM raised r JOIN streaks s USING (delegate, theme)
LEFT JOIN inside i USING (delegate, theme);

COPY (
    SELECT cell(delegate) AS delegate, cell(theme) AS theme, first_year, last_year,
           array_to_string(raised, ';') AS years, longest_streak, "returning", n_years
    FROM history
) TO '__OUT__/theme_history.csv' (HEADER, DELIMITER ',');

-- Themes of continuing delegates raised in either year of a pair.
COPY (
    WITH c AS (SELECT from_year, to_year, delegate FROM dpairs WHERE in_from AND in_to),
    a AS (SELECT c.from_year, c.to_year, f.delegate, f.theme, f.ids, f.low
          FROM c JOIN facts f ON f.delegate = c.delegate AND f.year = c.from_year),
    b AS (SELECT c.from_year, c.to_year, f.delegate, f.theme, f.ids, f.low, f.before
          FROM c JOIN facts f ON f.delegate = c.delegate AND f.year = c.to_year),
    t AS (
        SELECT coalesce(a.from_year, b.from_year) AS from_year,
               coalesce(a.to_year, b.to_year) AS to_year,
               coalesce(a.delegate, b.delegate) AS delegate,
               coalesce(a.theme, b.theme) AS theme,
               CASE WHEN a.ids IS NULL THEN 'new' WHEN b.ids IS NULL THEN 'dropped'
                    ELSE 'recurring' END AS change,
               a.ids AS proposals_from, b.ids AS proposals_to,
               coalesce(a.low, false) OR coalesce(b.low, false) AS low,
               -- New: not raised in the first year, the year before the
               -- second of the pair, so its last year before the second is
               -- its last before the first.
               CASE WHEN a.ids IS NULL THEN b.before END AS last_raised
        FROM a FULL JOIN b
            ON a.from_year = b.from_year AND a.delegate = b.delegate AND a.theme = b.theme
    )
    SELECT t.from_year, t.to_year, cell(t.delegate) AS delegate, cell(t.theme) AS theme,
           t.change, cell(t.proposals_from) AS proposals_from,
           cell(t.proposals_to) AS proposals_to,
           NULL::VARCHAR AS similarity, t.last_raised,
           CASE WHEN t.low THEN 'low' ELSE 'high' END AS confidence
    FROM t
) TO '__OUT__/theme_changes.csv' (HEADER, DELIMITER ',');

-- One row per proposal and theme (by theme id); one with empty theme
-- cells for a proposal without themes.
COPY (
    WITH dl AS (
        SELECT tr(id) AS id, tr(name_en) AS name_en, tr(name_zh) AS name_zh
        FROM read_csv('__DATA__/delegates.csv', header = true, all_varchar = true,
                      delim = ',', quote = '"', escape = '"')
    ),
    th AS (
        SELECT tr(id) AS id, tr(label_en) AS label_en, tr(label_zh) AS label_zh,
               tr(category) AS category, CAST(nullif(tr(cap_major), '') AS INTEGER) AS cap_major
        FROM (SELECT * FROM (SELECT NULL::VARCHAR AS cap_major WHERE false)
              UNION ALL BY NAME
              SELECT * FROM read_csv('__DATA__/themes.csv', header = true, all_varchar = true,
                                     delim = ',', quote = '"', escape = '"'))
    )
    SELECT cell(p.id) AS proposal, p.year, cell(p.delegate) AS delegate,
           cell(dl.name_en) AS name_en, cell(dl.name_zh) AS name_zh, cell(p.company) AS company,
           cell(p.body) AS body, cell(p.title) AS title, cell(p.summary) AS summary,
           cell(p.source) AS source, p.confidence,
           cell(th.id) AS theme, cell(th.label_en) AS theme_label_en,
           cell(th.label_zh) AS theme_label_zh, cell(th.category) AS category, th.cap_major,
           cell(p.title_zh) AS title_zh
    FROM prop p
    LEFT JOIN dl ON dl.id = p.delegate
    LEFT JOIN tags t ON t.id = p.id
    LEFT JOIN th ON th.id = t.theme
) TO '__OUT__/proposals.csv' (HEADER, DELIMITER ',');
