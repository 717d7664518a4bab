\echo Use "CREATE EXTENSION kaohe" to load this file. \quit
CREATE FUNCTION kaohe_score(ruleset text, record jsonb, unit jsonb DEFAULT NULL) RETURNS jsonb
  AS 'MODULE_PATHNAME', 'kaohe_pg_score' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION kaohe_total(ruleset text, record jsonb, unit jsonb DEFAULT NULL) RETURNS numeric
  AS 'MODULE_PATHNAME', 'kaohe_pg_total' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION kaohe_lines(ruleset text, record jsonb)
  RETURNS TABLE(path text, event text, date text, points numeric, rule text, note text)
  AS 'MODULE_PATHNAME', 'kaohe_pg_lines' LANGUAGE C STABLE PARALLEL SAFE ROWS 20;
-- An aggregate over a population: the rows' results as a jsonb array, scored together (a grade's
-- quota applied to each unit's people), in the aggregate's order (... ORDER BY id).
CREATE FUNCTION kaohe_score_batch_step(internal, text, jsonb) RETURNS internal
  AS 'MODULE_PATHNAME', 'kaohe_pg_batch_step' LANGUAGE C CALLED ON NULL INPUT;
CREATE FUNCTION kaohe_score_batch_step(internal, text, jsonb, jsonb) RETURNS internal
  AS 'MODULE_PATHNAME', 'kaohe_pg_batch_step' LANGUAGE C CALLED ON NULL INPUT;
CREATE FUNCTION kaohe_score_batch_final(internal) RETURNS jsonb
  AS 'MODULE_PATHNAME', 'kaohe_pg_batch_final' LANGUAGE C;
CREATE AGGREGATE kaohe_score_batch(ruleset text, record jsonb) (
  SFUNC = kaohe_score_batch_step, STYPE = internal, FINALFUNC = kaohe_score_batch_final);
CREATE AGGREGATE kaohe_score_batch(ruleset text, record jsonb, unit jsonb) (
  SFUNC = kaohe_score_batch_step, STYPE = internal, FINALFUNC = kaohe_score_batch_final);
