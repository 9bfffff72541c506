-- The upgrade chain: every release of spm, installed and updated step by step with
-- ALTER EXTENSION spm UPDATE TO each version on its path, has after each step exactly the
-- objects, labels, aggregate wiring, type definitions and comments of a fresh CREATE EXTENSION
-- of that version (the last step: the development version).
\set describe 'SELECT string_agg(line, E''\n'' ORDER BY line) AS catalog FROM (SELECT pg_describe_object(d.classid, d.objid, 0) || coalesce('' -- '' || obj_description(d.objid, c.relname), '''') || coalesce('' | '' || (SELECT concat_ws('' '', p.prorettype::regtype, p.provolatile, p.proisstrict, p.proparallel, p.prokind, p.prosrc, p.pronargdefaults, pg_get_function_arguments(p.oid), p.prosecdef, p.proleakproof, p.procost, p.prorows, p.proretset, p.proconfig, p.proacl) FROM pg_proc p WHERE c.relname = ''pg_proc'' AND p.oid = d.objid), '''') || coalesce('' | '' || (SELECT concat_ws('' '', a.aggtransfn, a.aggcombinefn, a.aggfinalfn, a.aggmtransfn, a.aggminvtransfn, a.aggmfinalfn, a.aggtranstype::regtype, a.aggmtranstype::regtype, a.agginitval, a.aggminitval, a.aggfinalmodify, a.aggmfinalmodify, a.aggkind, a.aggserialfn, a.aggdeserialfn, a.aggtransspace, a.aggmtransspace, a.aggsortop) FROM pg_aggregate a WHERE c.relname = ''pg_proc'' AND a.aggfnoid = d.objid), '''') || coalesce('' | '' || (SELECT concat_ws('' '', t.typinput, t.typoutput, t.typreceive, t.typsend, t.typlen, t.typalign, t.typstorage, t.typtype, t.typcategory, t.typispreferred, t.typdefault, t.typelem, t.typanalyze, t.typacl) FROM pg_type t WHERE c.relname = ''pg_type'' AND t.oid = d.objid), '''') AS line FROM pg_depend d JOIN pg_class c ON c.oid = d.classid WHERE d.refclassid = ''pg_extension''::regclass AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = ''spm'') AND d.deptype = ''e'') objects'

CREATE DATABASE spm_upgrade;
\c spm_upgrade
CREATE FUNCTION pg_temp.spm_members() RETURNS text LANGUAGE sql AS :'describe';
-- the schema is not a member of the extension, but its grants are the extension's doing
CREATE FUNCTION pg_temp.spm_catalog() RETURNS text LANGUAGE sql AS $$
SELECT pg_temp.spm_members() || E'\nschema spm grants ' || coalesce(nspacl::text, 'none')
FROM pg_namespace WHERE nspname = 'spm'
$$;
CREATE TEMP TABLE catalogs (start text, reached text, catalog text);

-- the update path from each release to the version installed by default
SELECT p.source, p.path
FROM pg_extension_update_paths('spm') p
JOIN pg_available_extensions a ON a.name = 'spm' AND p.target = a.default_version
ORDER BY string_to_array(p.source, '.')::int[];

-- each version fresh, then updated one step at a time along its path
DO $$
DECLARE
    v text;
    step text;
BEGIN
    FOR v IN SELECT version FROM pg_available_extension_versions WHERE name = 'spm'
             ORDER BY string_to_array(version, '.')::int[] LOOP
        EXECUTE format('CREATE EXTENSION spm VERSION %L', v);
        INSERT INTO catalogs VALUES (v, v, pg_temp.spm_catalog());
        FOR step IN SELECT unnest(s[2:]) FROM pg_extension_update_paths('spm') p,
                        string_to_array(p.path, '--') s
                    WHERE p.source = v AND p.target = (SELECT default_version FROM pg_available_extensions WHERE name = 'spm') LOOP
            EXECUTE format('ALTER EXTENSION spm UPDATE TO %L', step);
            INSERT INTO catalogs SELECT v, extversion, pg_temp.spm_catalog() FROM pg_extension WHERE extname = 'spm';
        END LOOP;
        DROP EXTENSION spm;
        DROP SCHEMA spm;            -- left by DROP EXTENSION, with the grants of the last version
    END LOOP;
END
$$;

-- every update equals the fresh install of the version it reached
SELECT u.start, u.reached, u.catalog = f.catalog AS equals_fresh_install
FROM catalogs u LEFT JOIN catalogs f ON f.start = u.reached AND f.reached = u.reached
WHERE u.start <> u.reached
ORDER BY string_to_array(u.start, '.')::int[], string_to_array(u.reached, '.')::int[];

-- lines in one catalog and not the other (none expected)
SELECT u.start, u.reached, d.side, d.line
FROM catalogs u JOIN catalogs f ON f.start = u.reached AND f.reached = u.reached,
LATERAL (SELECT 'only after update' AS side, line FROM unnest(string_to_array(u.catalog, E'\n')) line
         EXCEPT SELECT 'only after update', unnest(string_to_array(f.catalog, E'\n'))
         UNION ALL
         (SELECT 'only in fresh install', line FROM unnest(string_to_array(f.catalog, E'\n')) line
          EXCEPT SELECT 'only in fresh install', unnest(string_to_array(u.catalog, E'\n')))) d
WHERE u.start <> u.reached
ORDER BY 1, 2, 3, 4;

SELECT array_length(string_to_array(catalog, E'\n'), 1) >= 20 AS fresh_install_has_objects,
       catalog LIKE '%function spm.attainment_accum(spm.attainment_state,numeric,numeric) -- transition function of group_attainment%| spm.attainment_state i f s f spm_attainment_accum%' AS lines_describe_labels
FROM catalogs WHERE start = reached AND reached = (SELECT default_version FROM pg_available_extensions WHERE name = 'spm');

\c contrib_regression
DROP DATABASE spm_upgrade;
