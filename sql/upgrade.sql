-- The upgrade chain: spm installed at its first release (0.1.0) and updated with
-- ALTER EXTENSION spm UPDATE has exactly the objects, labels, aggregate wiring, type
-- definitions and comments of a fresh CREATE EXTENSION spm.
\set describe 'SELECT string_agg(line, E''\n'' ORDER BY line) AS catalog FROM (SELECT pg_describe_object(d.classid, d.objid, 0) || coalesce('' -- '' || obj_description(d.objid, c.relname), '''') || coalesce('' | '' || (SELECT concat_ws('' '', p.prorettype::regtype, p.provolatile, p.proisstrict, p.proparallel, p.prokind, p.prosrc, p.pronargdefaults, pg_get_function_arguments(p.oid)) FROM pg_proc p WHERE c.relname = ''pg_proc'' AND p.oid = d.objid), '''') || coalesce('' | '' || (SELECT concat_ws('' '', a.aggtransfn, a.aggcombinefn, a.aggfinalfn, a.aggmtransfn, a.aggminvtransfn, a.aggmfinalfn, a.aggtranstype::regtype, a.aggmtranstype::regtype, a.agginitval, a.aggminitval, a.aggfinalmodify, a.aggmfinalmodify, a.aggkind) FROM pg_aggregate a WHERE c.relname = ''pg_proc'' AND a.aggfnoid = d.objid), '''') || coalesce('' | '' || (SELECT concat_ws('' '', t.typinput, t.typoutput, t.typreceive, t.typsend, t.typlen, t.typalign, t.typstorage, t.typtype) FROM pg_type t WHERE c.relname = ''pg_type'' AND t.oid = d.objid), '''') AS line FROM pg_depend d JOIN pg_class c ON c.oid = d.classid WHERE d.refclassid = ''pg_extension''::regclass AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = ''spm'') AND d.deptype = ''e'') objects'

CREATE DATABASE spm_upgrade_fresh;
CREATE DATABASE spm_upgrade_updated;

\c spm_upgrade_fresh
CREATE EXTENSION spm;
:describe \gset fresh_

\c spm_upgrade_updated
CREATE EXTENSION spm VERSION '0.1.0';
SELECT extversion AS installed FROM pg_extension WHERE extname = 'spm';
ALTER EXTENSION spm UPDATE;
SELECT extversion = (SELECT default_version FROM pg_available_extensions WHERE name = 'spm') AS updated_to_default
FROM pg_extension WHERE extname = 'spm';
:describe \gset updated_

-- lines in one catalog and not the other (none expected), and how many objects there are
SELECT 'only after update' AS side, line FROM unnest(string_to_array(:'updated_catalog', E'\n')) line
EXCEPT SELECT 'only after update', unnest(string_to_array(:'fresh_catalog', E'\n'))
UNION ALL
(SELECT 'only in fresh install', line FROM unnest(string_to_array(:'fresh_catalog', E'\n')) line
 EXCEPT SELECT 'only in fresh install', unnest(string_to_array(:'updated_catalog', E'\n')))
ORDER BY 1, 2;
SELECT array_length(string_to_array(:'fresh_catalog', E'\n'), 1) >= 20 AS fresh_install_has_objects,
       :'fresh_catalog' LIKE '%function spm.attainment_accum(spm.attainment_state,numeric,numeric) -- transition function of group_attainment%| spm.attainment_state i f s f spm_attainment_accum%' AS lines_describe_labels;

\c contrib_regression
DROP DATABASE spm_upgrade_fresh;
DROP DATABASE spm_upgrade_updated;
