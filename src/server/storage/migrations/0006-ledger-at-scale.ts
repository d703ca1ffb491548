import type { Migration } from './migration';

/**
 * The ledger at a million issues: an index per filter the ledger offers, each ending in the two
 * sorts, and a text index that finds Chinese words of one and two characters.
 *
 * Every index starts (after the district on PostgreSQL) with the filter's column and the status:
 * the ledger asks one status at a time (issue-query.ts: statusBranches) and merges, so each branch
 * reads its first page straight off an index in sort order, and the per-status counts behind the
 * totals and the status chips are index-only range counts. The status indexes carry both times,
 * so that a range on one time sorted by the other (a week's reports by deadline, the overdue ones
 * by report time) is a range read and a small sort inside the index. The single-column indexes
 * they start with (status, unit, street) go; the others stay for the map's counts.
 *
 * Text search indexes character bigrams (each character with the one after it, or with 0 at the
 * end of a field) and single characters, not words: Chinese has no spaces, most searches are one
 * or two characters (垃圾, 井盖), and trigram indexes (SQLite's FTS5 trigram tokenizer, pg_trgm)
 * cannot answer those — pg_trgm on a C-locale cluster does not even see CJK characters. SQLite: a
 * contentless FTS5 table of tokens `g<hex>x<hex>` (bigrams, in text order: a phrase query of a
 * search's bigrams finds exactly the rows containing it) and `u<hex>` (characters), ASCII so that
 * the tokenizer keeps them whole, filled by triggers, with a position table standing in for a
 * loop (triggers allow no WITH). PostgreSQL: a
 * GIN index on the array of a row's lowercased characters and bigrams. Both only narrow the
 * candidates; the LIKE / ILIKE test still decides, so the meaning of `text` is unchanged.
 */
export const ledgerAtScale: Migration = {
  version: 6,
  name: 'ledger indexes per filter and sort, bigram text search',
  sqlite: `
      DROP INDEX issues_status;
      DROP INDEX issues_unit;
      DROP INDEX issues_street;
      CREATE INDEX issues_status_reported ON issues (status, reported_ms, deadline_ms, seq);
      CREATE INDEX issues_status_deadline ON issues (status, deadline_ms, reported_ms, seq);
      CREATE INDEX issues_unit_reported ON issues (unit_id, status, reported_ms, seq);
      CREATE INDEX issues_unit_deadline ON issues (unit_id, status, deadline_ms, seq);
      CREATE INDEX issues_street_reported ON issues (street_id, status, reported_ms, seq);
      CREATE INDEX issues_street_deadline ON issues (street_id, status, deadline_ms, seq);
      CREATE INDEX issues_category_reported ON issues (category, status, reported_ms, seq);
      CREATE INDEX issues_category_deadline ON issues (category, status, deadline_ms, seq);
      CREATE INDEX issues_reporter_reported ON issues (reported_by, status, reported_ms, seq);
      CREATE INDEX issues_reporter_deadline ON issues (reported_by, status, deadline_ms, seq);

      -- 1 … 5000: the character positions the text triggers walk. Longer fields are found
      -- through issues_long_text instead (see issue-query.ts).
      CREATE TABLE issue_text_positions (n INTEGER PRIMARY KEY);
      WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 5000)
        INSERT INTO issue_text_positions SELECT x FROM n;
      CREATE INDEX issues_long_text ON issues (seq) WHERE length(code) > 5000 OR length(description) > 5000 OR length(id) > 5000;

      -- rowid = issues.seq. grams: the bigram tokens of code, description and id (id only when it
      -- differs from the code) in text order, so that a phrase of a search's bigrams is a substring;
      -- chars: the character tokens. Contentless: it stores the index, not the text.
      CREATE VIRTUAL TABLE issue_text USING fts5(grams, chars, content = '', contentless_delete = 1, tokenize = 'ascii');
      CREATE TRIGGER issue_text_insert AFTER INSERT ON issues BEGIN
        INSERT INTO issue_text (rowid, grams, chars)
        SELECT new.seq,
          group_concat(printf('g%xx%x', unicode(lower(substr(f.v, p.n, 1))), coalesce(unicode(lower(substr(f.v, p.n + 1, 1))), 0)), ' ' ORDER BY f.k, p.n),
          group_concat(printf('u%x', unicode(lower(substr(f.v, p.n, 1)))), ' ' ORDER BY f.k, p.n)
        FROM (SELECT 1 AS k, new.code AS v UNION ALL SELECT 2, new.description UNION ALL SELECT 3, new.id WHERE new.id <> new.code) AS f
        JOIN issue_text_positions AS p ON p.n <= length(f.v);
      END;
      CREATE TRIGGER issue_text_delete AFTER DELETE ON issues BEGIN
        DELETE FROM issue_text WHERE rowid = old.seq;
      END;
      CREATE TRIGGER issue_text_update AFTER UPDATE OF code, description, id ON issues BEGIN
        DELETE FROM issue_text WHERE rowid = old.seq;
        INSERT INTO issue_text (rowid, grams, chars)
        SELECT new.seq,
          group_concat(printf('g%xx%x', unicode(lower(substr(f.v, p.n, 1))), coalesce(unicode(lower(substr(f.v, p.n + 1, 1))), 0)), ' ' ORDER BY f.k, p.n),
          group_concat(printf('u%x', unicode(lower(substr(f.v, p.n, 1)))), ' ' ORDER BY f.k, p.n)
        FROM (SELECT 1 AS k, new.code AS v UNION ALL SELECT 2, new.description UNION ALL SELECT 3, new.id WHERE new.id <> new.code) AS f
        JOIN issue_text_positions AS p ON p.n <= length(f.v);
      END;
      INSERT INTO issue_text (rowid, grams, chars)
      SELECT i.seq,
        (SELECT group_concat(printf('g%xx%x', unicode(lower(substr(f.v, p.n, 1))), coalesce(unicode(lower(substr(f.v, p.n + 1, 1))), 0)), ' ' ORDER BY f.k, p.n)
         FROM (SELECT 1 AS k, i.code AS v UNION ALL SELECT 2, i.description UNION ALL SELECT 3, i.id WHERE i.id <> i.code) AS f
         JOIN issue_text_positions AS p ON p.n <= length(f.v)),
        (SELECT group_concat(printf('u%x', unicode(lower(substr(f.v, p.n, 1)))), ' ' ORDER BY f.k, p.n)
         FROM (SELECT 1 AS k, i.code AS v UNION ALL SELECT 2, i.description UNION ALL SELECT 3, i.id WHERE i.id <> i.code) AS f
         JOIN issue_text_positions AS p ON p.n <= length(f.v))
      FROM issues AS i;
    `,
  postgres: `
      DROP INDEX issues_status;
      DROP INDEX issues_unit;
      DROP INDEX issues_street;
      CREATE INDEX issues_status_reported ON issues (district_id, status, reported_ms, deadline_ms, seq);
      CREATE INDEX issues_status_deadline ON issues (district_id, status, deadline_ms, reported_ms, seq);
      CREATE INDEX issues_unit_reported ON issues (district_id, unit_id, status, reported_ms, seq);
      CREATE INDEX issues_unit_deadline ON issues (district_id, unit_id, status, deadline_ms, seq);
      CREATE INDEX issues_street_reported ON issues (district_id, street_id, status, reported_ms, seq);
      CREATE INDEX issues_street_deadline ON issues (district_id, street_id, status, deadline_ms, seq);
      CREATE INDEX issues_category_reported ON issues (district_id, category, status, reported_ms, seq);
      CREATE INDEX issues_category_deadline ON issues (district_id, category, status, deadline_ms, seq);
      CREATE INDEX issues_reporter_reported ON issues (district_id, reported_by, status, reported_ms, seq);
      CREATE INDEX issues_reporter_deadline ON issues (district_id, reported_by, status, deadline_ms, seq);

      -- Every character and every pair of neighbouring characters of the three searchable fields,
      -- lowercased as ILIKE compares them (pairs across the line breaks that join the fields are
      -- harmless: ILIKE decides). Regular expressions do the walking: far cheaper per row than a
      -- generate_series. COST: evaluating it is expensive, so that the planner reads the index
      -- rather than computing it for every row of a scan.
      CREATE FUNCTION dutymap_text_grams(code text, description text, id text) RETURNS text[]
      LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 10000 AS $$
        SELECT string_to_array(v, NULL)
          || ARRAY(SELECT m[1] FROM regexp_matches(v, '(..)', 'g') AS m)
          || ARRAY(SELECT m[1] FROM regexp_matches(substr(v, 2), '(..)', 'g') AS m)
        FROM (SELECT lower(code) || E'\n' || lower(description) || E'\n' || lower(id) AS v) AS s
      $$;
      -- What a search for q requires of a row's grams: its bigrams, or the character itself.
      CREATE FUNCTION dutymap_query_grams(q text) RETURNS text[]
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT CASE WHEN length(q) < 2 THEN ARRAY[lower(q)]
          ELSE ARRAY(SELECT m[1] FROM regexp_matches(lower(q), '(..)', 'g') AS m)
            || ARRAY(SELECT m[1] FROM regexp_matches(substr(lower(q), 2), '(..)', 'g') AS m) END
      $$;
      CREATE INDEX issues_text_grams ON issues USING gin (dutymap_text_grams(code, description, id));
    `,
};
