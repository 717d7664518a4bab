\echo Use "CREATE EXTENSION kaohe" to load this file. \quit
CREATE FUNCTION kaohe_score(ruleset text, record jsonb, unit jsonb DEFAULT NULL) RETURNS jsonb
  AS 'MODULE_PATHNAME', 'kaohe_pg_score' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION kaohe_total(ruleset text, record jsonb, unit jsonb DEFAULT NULL) RETURNS numeric
  AS 'MODULE_PATHNAME', 'kaohe_pg_total' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION kaohe_lines(ruleset text, record jsonb)
  RETURNS TABLE(path text, event text, date text, points numeric, rule text, note text)
  AS 'MODULE_PATHNAME', 'kaohe_pg_lines' LANGUAGE C STABLE PARALLEL SAFE ROWS 20;
